/// A self-contained HTML5 page: inline CSS and inline SVG, no script, nothing fetched from
/// the network, printable on A4 (charts scale to the page width and are not split across
/// pages). The markup is also well-formed XML (void elements self-closed, only the five
/// XML entities), so tests can read it with an XML parser. Used by `report.html`, and by
/// any other report built from the same pieces (a comparison of runs).
public struct HTMLPage: Sendable {
    public var title: String
    /// The body's content (built with the helpers below or by hand, escaped).
    public var body: String

    public init(title: String, body: String) {
        self.title = title
        self.body = body
    }

    /// The whole document.
    public var text: String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
            + "<title>\(Markup.escape(title))</title>\n<style>\n\(Self.style)</style>\n</head>\n<body>\n"
            + body + "</body>\n</html>\n"
    }

    /// The page's style: readable on screen, A4 on paper, charts as wide as the text.
    public static let style = """
        @page { size: A4; margin: 14mm 14mm 16mm 14mm; }
        html { background: #fff; color: #1a1a1a; }
        body { font-family: Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.45; max-width: 920px; margin: 0 auto; padding: 24px 32px; }
        h1 { font-size: 26px; margin: 0 0 4px 0; }
        h2 { font-size: 19px; margin: 28px 0 8px 0; border-bottom: 1px solid #ccc; break-after: avoid; page-break-after: avoid; }
        p.lead { margin: 4px 0 8px 0; color: #333; }
        p.provenance { font-size: 13px; color: #555; margin: 0 0 12px 0; }
        table { border-collapse: collapse; margin: 6px 0 12px 0; break-inside: avoid; page-break-inside: avoid; }
        caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
        th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid #e2e2e2; vertical-align: top; overflow-wrap: anywhere; }
        th { font-weight: normal; color: #444; }
        td.number { font-variant-numeric: tabular-nums; }
        code { font-family: Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
        figure { margin: 18px 0; break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-size: 13px; color: #444; margin-top: 4px; }
        svg.chart, svg.map { display: block; width: 100%; height: auto; max-width: 100%; }
        table.ranking { font-size: 11px; break-inside: auto; page-break-inside: auto; }
        table.ranking td { white-space: nowrap; overflow-wrap: normal; border-bottom: none; padding: 2px 8px 0 0; font-variant-numeric: tabular-nums; }
        table.ranking td.name { white-space: normal; overflow-wrap: anywhere; font-weight: bold; }
        table.ranking td.verdict { white-space: normal; color: #444; padding-bottom: 4px; border-bottom: 1px solid #e2e2e2; }
        table.ranking th { font-size: 11px; vertical-align: bottom; }
        table.ranking th:first-child { white-space: nowrap; }
        table.ranking tbody { break-inside: avoid; page-break-inside: avoid; }
        footer { margin-top: 28px; font-size: 12px; color: #555; border-top: 1px solid #ccc; padding-top: 6px; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10.5pt; }
          h1 { font-size: 18pt; }
          h2 { font-size: 13pt; }
          figure, table { break-inside: avoid; page-break-inside: avoid; }
        }

        """

    /// A table of name–value rows with a caption; values are escaped here and right-hand
    /// columns of numbers keep their digits aligned.
    public static func table(caption: String, rows: [(name: String, value: String)]) -> String {
        var out = "<table>\n<caption>\(Markup.escape(caption))</caption>\n<tbody>\n"
        for row in rows {
            out += "<tr><th scope=\"row\">\(Markup.escape(row.name))</th><td class=\"number\">\(Markup.escape(row.value))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// A figure: a drawing (an `<svg>` element) with its caption (escaped here).
    public static func figure(_ svg: String, caption: String) -> String {
        "<figure>\n" + svg + "<figcaption>\(Markup.escape(caption))</figcaption>\n</figure>\n"
    }

    /// A heading and a paragraph, escaped.
    public static func heading(_ text: String) -> String { "<h2>\(Markup.escape(text))</h2>\n" }
    public static func paragraph(_ text: String, class name: String? = nil) -> String {
        "<p\(name.map { " class=\"\(Markup.escape($0))\"" } ?? "")>\(Markup.escape(text))</p>\n"
    }
}

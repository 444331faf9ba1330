/// Text and numbers for the HTML and SVG outputs: escaping and fixed-decimal numbers, so
/// that a report is well-formed (XML-compatible) and byte-identical for the same data.
public enum Markup {
    /// `text` escaped for an element's content or a quoted attribute value; line breaks
    /// become spaces.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\r", "\r\n", "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// `value` with exactly `decimals` digits after the point (`NumberFormatting.fixed`);
    /// "–" when there is none.
    public static func number(_ value: Double?, _ decimals: Int) -> String {
        guard let value, value.isFinite else { return "–" }
        let text = NumberFormatting.fixed(value, decimals: decimals)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }

    /// A coordinate in an SVG drawing: one decimal, ASCII minus.
    static func coordinate(_ value: Double) -> String { NumberFormatting.fixed(value, decimals: 1) }
}

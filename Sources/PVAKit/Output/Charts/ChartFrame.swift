/// What every chart shares: the `<svg class="chart">` element with its `<title>` (named by
/// `aria-labelledby`) and optional `<desc>`, the visible title, the plot rectangle, grid
/// lines, the two axes with tick labels and axis labels, and the legend below. Each part
/// is marked for tests and styles: `<text class="chart-title">`, `<g class="axis x-axis">`,
/// `<g class="axis y-axis">`, `<text class="axis-label">`, `<g class="legend">`.
/// Coordinates have one decimal, so the same data give the same bytes.
struct ChartFrame {
    /// The width of every chart's drawing (the page scales it to fit).
    static let width = 720.0

    let id: String
    let title: String
    let description: String?
    /// The plot rectangle.
    let left: Double, top: Double, right: Double, bottom: Double
    let legend: ChartLegend

    init(id: String, title: String, description: String?, plotHeight: Double = 250,
         leftMargin: Double = 72, rightMargin: Double = 24, topMargin: Double = 44, legend: [ChartLegend.Entry] = []) {
        self.id = id
        self.title = title
        self.description = description
        left = leftMargin
        right = Self.width - rightMargin
        top = topMargin
        bottom = top + plotHeight
        self.legend = ChartLegend(legend, width: Self.width - 2 * 16)
    }

    var height: Double { bottom + 50 + legend.height }

    /// The opening of the drawing: the root element, title, description, white background
    /// and the visible title.
    func open() -> String {
        let c = Markup.coordinate
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"\(Markup.escape(id))\" role=\"img\""
        out += " aria-labelledby=\"\(Markup.escape(id))-title\""
        if description != nil { out += " aria-describedby=\"\(Markup.escape(id))-desc\"" }
        out += " width=\"\(c(Self.width))\" height=\"\(c(height))\" viewBox=\"0 0 \(c(Self.width)) \(c(height))\""
        out += " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        out += "<title id=\"\(Markup.escape(id))-title\">\(Markup.escape(title))</title>\n"
        if let description { out += "<desc id=\"\(Markup.escape(id))-desc\">\(Markup.escape(description))</desc>\n" }
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text class=\"chart-title\" x=\"16\" y=\"24\" font-size=\"15\" font-weight=\"bold\">\(Markup.escape(title))</text>\n"
        return out
    }

    func close() -> String { legend.svg(x: 16, y: bottom + 48) + "</svg>\n" }

    /// Horizontal grid lines at the y ticks.
    func horizontalGrid(_ y: ChartScale) -> String {
        let c = Markup.coordinate
        let path = y.ticks.map { "M\(c(left)),\(c(y.position($0)))H\(c(right))" }.joined()
        return path.isEmpty ? "" : "<path class=\"grid\" d=\"\(path)\" stroke=\"\(ChartPalette.grid)\" stroke-width=\"1\"/>\n"
    }

    /// Vertical grid lines at the x ticks.
    func verticalGrid(_ x: ChartScale) -> String {
        let c = Markup.coordinate
        let path = x.ticks.map { "M\(c(x.position($0))),\(c(top))V\(c(bottom))" }.joined()
        return path.isEmpty ? "" : "<path class=\"grid\" d=\"\(path)\" stroke=\"\(ChartPalette.grid)\" stroke-width=\"1\"/>\n"
    }

    /// The x axis along the bottom of the plot: line, ticks, tick labels, axis label.
    func xAxis(_ x: ChartScale, label: String) -> String {
        let c = Markup.coordinate
        var out = "<g class=\"axis x-axis\" fill=\"\(ChartPalette.axis)\">\n"
        var path = "M\(c(left)),\(c(bottom))H\(c(right))"
        for tick in x.ticks { path += "M\(c(x.position(tick))),\(c(bottom))v5" }
        out += "<path d=\"\(path)\" stroke=\"\(ChartPalette.axis)\" stroke-width=\"1\" fill=\"none\"/>\n"
        for tick in x.ticks {
            out += "<text class=\"tick-label\" x=\"\(c(x.position(tick)))\" y=\"\(c(bottom + 18))\" text-anchor=\"middle\">\(x.label(tick))</text>\n"
        }
        out += "<text class=\"axis-label\" x=\"\(c((left + right) / 2))\" y=\"\(c(bottom + 38))\" text-anchor=\"middle\" font-size=\"13\">\(Markup.escape(label))</text>\n"
        return out + "</g>\n"
    }

    /// The y axis along the left of the plot: line, ticks, tick labels, axis label (turned).
    func yAxis(_ y: ChartScale, label: String) -> String {
        let c = Markup.coordinate
        var out = "<g class=\"axis y-axis\" fill=\"\(ChartPalette.axis)\">\n"
        var path = "M\(c(left)),\(c(top))V\(c(bottom))"
        for tick in y.ticks { path += "M\(c(left)),\(c(y.position(tick)))h-5" }
        out += "<path d=\"\(path)\" stroke=\"\(ChartPalette.axis)\" stroke-width=\"1\" fill=\"none\"/>\n"
        for tick in y.ticks {
            out += "<text class=\"tick-label\" x=\"\(c(left - 8))\" y=\"\(c(y.position(tick) + 4))\" text-anchor=\"end\">\(y.label(tick))</text>\n"
        }
        out += yLabel(label)
        return out + "</g>\n"
    }

    /// A y axis of named rows (a forest plot's): line, each row's name level with its
    /// centre, and the axis label above the names.
    func categoryAxis(_ rows: [(y: Double, name: String)], label: String) -> String {
        let c = Markup.coordinate
        var out = "<g class=\"axis y-axis\" fill=\"\(ChartPalette.axis)\">\n"
        out += "<path d=\"M\(c(left)),\(c(top))V\(c(bottom))\" stroke=\"\(ChartPalette.axis)\" stroke-width=\"1\" fill=\"none\"/>\n"
        for row in rows {
            out += "<text class=\"tick-label\" x=\"\(c(left - 8))\" y=\"\(c(row.y + 4))\" text-anchor=\"end\">\(Markup.escape(row.name))</text>\n"
        }
        out += "<text class=\"axis-label\" x=\"\(c(left - 8))\" y=\"\(c(top - 6))\" text-anchor=\"end\" font-size=\"13\" font-weight=\"bold\">\(Markup.escape(label))</text>\n"
        return out + "</g>\n"
    }

    /// Left and right margins of a chart of named rows (forest plot, tornado chart): room for
    /// the longest name (or the axis label) on the left and the longest note on the right.
    static func rowMargins(names: [String], axisLabel: String, notes: [String?]) -> (left: Double, right: Double) {
        let characters = Double(ChartLegend.characterWidth)
        let longestName = names.map(\.count).max() ?? 0
        let left = min(300, max(110, 24 + Double(max(longestName, axisLabel.count)) * characters))
        let right = notes.compactMap { $0?.count }.max().map { min(240, max(60, 24 + Double($0) * characters)) } ?? 24
        return (left, right)
    }

    /// A dashed vertical reference line at `value` on `x`, if it lies on the axis.
    func referenceLine(at value: Double, _ x: ChartScale) -> String {
        guard value >= x.low && value <= x.high else { return "" }
        let c = Markup.coordinate
        return "<path class=\"reference\" d=\"M\(c(x.position(value))),\(c(top))V\(c(bottom))\" stroke=\"\(ChartPalette.axis)\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n"
    }

    /// Each row's note right of the plot, level with its centre (nothing when no row has one).
    func notes(_ rows: [(y: Double, note: String?)]) -> String {
        guard rows.contains(where: { $0.note != nil }) else { return "" }
        let c = Markup.coordinate
        var out = "<g class=\"notes\" font-size=\"12\">\n"
        for row in rows {
            out += "<text x=\"\(c(right + 12))\" y=\"\(c(row.y + 4))\">\(Markup.escape(row.note ?? "–"))</text>\n"
        }
        return out + "</g>\n"
    }

    private func yLabel(_ label: String) -> String {
        let c = Markup.coordinate
        let x = 18.0, y = (top + bottom) / 2
        return "<text class=\"axis-label\" x=\"\(c(x))\" y=\"\(c(y))\" transform=\"rotate(-90 \(c(x)) \(c(y)))\" text-anchor=\"middle\" font-size=\"13\">\(Markup.escape(label))</text>\n"
    }
}

/// A chart's legend: one entry per series, band or layer, each a swatch drawn as the data
/// are drawn and the entry's name, laid out in rows below the plot. Widths are estimated
/// from character counts (no font metrics here), so the layout is the same everywhere.
struct ChartLegend {
    enum Swatch {
        case line(colour: String, dash: String?)
        case band(colour: String)
        case box(colour: String)
        case interval(colour: String)
    }

    struct Entry {
        var name: String
        var swatch: Swatch
    }

    static let rowHeight = 18.0
    static let swatchWidth = 24.0
    /// Estimated advance of a character at the legend's 12 px (Helvetica's mean is ≈ 0.55 em).
    static let characterWidth = 6.6

    let entries: [Entry]
    /// Entry positions: row and x offset from the legend's left edge.
    let placed: [(row: Int, x: Double)]

    init(_ entries: [Entry], width: Double) {
        self.entries = entries
        var placed: [(row: Int, x: Double)] = []
        var row = 0, x = 0.0
        for entry in entries {
            let w = Self.swatchWidth + 6 + Double(entry.name.count) * Self.characterWidth + 18
            if x > 0 && x + w > width { row += 1; x = 0 }
            placed.append((row: row, x: x))
            x += w
        }
        self.placed = placed
    }

    var height: Double { entries.isEmpty ? 0 : Double((placed.last?.row ?? 0) + 1) * Self.rowHeight + 6 }

    /// The legend with its top left corner at (x, y).
    func svg(x: Double, y: Double) -> String {
        guard !entries.isEmpty else { return "" }
        let c = Markup.coordinate
        var out = "<g class=\"legend\" font-size=\"12\">\n"
        for (entry, place) in zip(entries, placed) {
            let left = x + place.x, middle = y + Double(place.row) * Self.rowHeight + 9
            switch entry.swatch {
            case .line(let colour, let dash):
                out += "<path d=\"M\(c(left)),\(c(middle))H\(c(left + Self.swatchWidth))\" stroke=\"\(colour)\" stroke-width=\"2.5\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>\n"
            case .band(let colour):
                out += "<rect x=\"\(c(left))\" y=\"\(c(middle - 6))\" width=\"\(c(Self.swatchWidth))\" height=\"12\" fill=\"\(colour)\" fill-opacity=\"0.22\"/>\n"
            case .box(let colour):
                out += "<rect x=\"\(c(left + 5))\" y=\"\(c(middle - 6))\" width=\"14\" height=\"12\" fill=\"\(colour)\"/>\n"
            case .interval(let colour):
                out += "<path d=\"M\(c(left)),\(c(middle))H\(c(left + Self.swatchWidth))\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>\n"
                out += "<rect x=\"\(c(left + Self.swatchWidth / 2 - 4))\" y=\"\(c(middle - 4))\" width=\"8\" height=\"8\" fill=\"\(colour)\"/>\n"
            }
            out += "<text x=\"\(c(left + Self.swatchWidth + 6))\" y=\"\(c(middle + 4))\">\(Markup.escape(entry.name))</text>\n"
        }
        return out + "</g>\n"
    }
}

/// A tornado chart: one horizontal bar per parameter, the most influential at the top, each
/// drawn from a centre line (the base run's outcome, or 0) to where the parameter takes
/// the outcome: for a one-at-a-time study two bars, to the outcome with the parameter at
/// its low end and at its high end; for a regression one bar, to the standardised
/// coefficient. Whiskers give each end's 95 % interval. Drawn as SVG by `svg(id:)`; see
/// `ChartFrame` for what every chart holds.
public struct TornadoChart: Sendable {
    /// One bar end: where it reaches and its interval.
    public struct End: Sendable {
        public var value: Double
        public var low: Double?
        public var high: Double?

        public init(_ value: Double, low: Double? = nil, high: Double? = nil) {
            self.value = value
            self.low = low
            self.high = high
        }
    }

    public struct Row: Sendable {
        public var label: String
        /// The bar for the parameter's low end (OAT) — nil for a regression's single bar.
        public var lowEnd: End?
        /// The bar for the parameter's high end (OAT), or the coefficient (regression).
        public var highEnd: End?
        /// Text at the right of the row.
        public var note: String?

        public init(_ label: String, lowEnd: End?, highEnd: End?, note: String? = nil) {
            self.label = label
            self.lowEnd = lowEnd
            self.highEnd = highEnd
            self.note = note
        }
    }

    public var title: String
    public var description: String?
    public var axis: ChartAxis
    public var rowsLabel: String
    /// Rows top to bottom (sort them by influence first).
    public var rows: [Row]
    /// Where the bars start, and its name in the legend.
    public var centre: Double
    public var centreLabel: String
    /// Legend names of the two bars (the second alone when no row has a low end).
    public var lowLabel: String
    public var highLabel: String

    public init(title: String, description: String? = nil, axis: ChartAxis, rowsLabel: String, rows: [Row], centre: Double,
                centreLabel: String, lowLabel: String = "parameter at its low end", highLabel: String = "parameter at its high end") {
        self.title = title
        self.description = description
        self.axis = axis
        self.rowsLabel = rowsLabel
        self.rows = rows
        self.centre = centre
        self.centreLabel = centreLabel
        self.lowLabel = lowLabel
        self.highLabel = highLabel
    }

    static let rowHeight = 26.0

    public func svg(id: String) -> String {
        let (left, right) = ChartFrame.rowMargins(names: rows.map(\.label), axisLabel: rowsLabel, notes: rows.map(\.note))
        let hasLow = rows.contains { $0.lowEnd != nil }
        let lowColour = ChartPalette.colour(0), highColour = ChartPalette.colour(1)
        var legend: [ChartLegend.Entry] = []
        if hasLow { legend.append(ChartLegend.Entry(name: lowLabel, swatch: .box(colour: lowColour))) }
        legend.append(ChartLegend.Entry(name: highLabel, swatch: .box(colour: highColour)))
        legend.append(ChartLegend.Entry(name: "95 % interval", swatch: .interval(colour: ChartPalette.axis)))
        legend.append(ChartLegend.Entry(name: centreLabel, swatch: .line(colour: ChartPalette.axis, dash: "4 3")))
        let frame = ChartFrame(id: id, title: title, description: description, plotHeight: Double(max(1, rows.count)) * Self.rowHeight + 8,
                               leftMargin: left, rightMargin: right, topMargin: 60, legend: legend)
        let values: [Double?] = rows.flatMap { row in [row.lowEnd, row.highEnd].flatMap { end in [end?.value, end?.low, end?.high] } } + [centre]
        let xScale = ChartScale(axis, values: values, from: frame.left, to: frame.right, tickCount: 6)
        let c = Markup.coordinate
        func centreY(_ i: Int) -> Double { frame.top + 4 + (Double(i) + 0.5) * Self.rowHeight }
        var out = frame.open()
        out += frame.verticalGrid(xScale)
        out += "<g class=\"bars\">\n"
        for (i, row) in rows.enumerated() {
            let half = hasLow ? 8.0 : 7.0
            for (end, colour) in [(row.lowEnd, lowColour), (row.highEnd, highColour)] {
                guard let end, end.value.isFinite else { continue }
                let x0 = xScale.position(min(centre, end.value)), x1 = xScale.position(max(centre, end.value))
                out += "<rect x=\"\(c(x0))\" y=\"\(c(centreY(i) - half))\" width=\"\(c(max(1, x1 - x0)))\" height=\"\(c(2 * half))\" fill=\"\(colour)\" fill-opacity=\"0.85\"/>\n"
            }
            for end in [row.lowEnd, row.highEnd] {
                guard let end, let low = end.low, let high = end.high, low.isFinite, high.isFinite else { continue }
                let x0 = c(xScale.position(low)), x1 = c(xScale.position(high)), y = c(centreY(i))
                out += "<path d=\"M\(x0),\(y)H\(x1)M\(x0),\(c(centreY(i) - 4))v8M\(x1),\(c(centreY(i) - 4))v8\" stroke=\"\(ChartPalette.axis)\" stroke-width=\"1.2\" fill=\"none\"/>\n"
            }
        }
        out += "</g>\n"
        out += frame.referenceLine(at: centre, xScale)
        out += frame.notes(rows.indices.map { (y: centreY($0), note: rows[$0].note) })
        out += frame.xAxis(xScale, label: axis.label)
        out += frame.categoryAxis(rows.indices.map { (y: centreY($0), name: rows[$0].label) }, label: rowsLabel)
        return out + frame.close()
    }
}

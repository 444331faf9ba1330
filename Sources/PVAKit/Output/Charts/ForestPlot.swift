/// A forest plot: one row per item (a scenario, an intervention), its point estimate with
/// an interval on a shared, labelled x axis, and a vertical reference line (by default at
/// 0, "no difference"). Row names form the y axis; an optional note per row (the numbers)
/// stands at the right. Made for comparisons (ΔP(E) or ΔN of each scenario against a
/// baseline). Drawn as SVG by `svg(id:)`; see `ChartFrame` for what every chart holds.
public struct ForestPlot: Sendable {
    /// One row: an estimate and its interval (nil where there is none).
    public struct Row: Sendable {
        public var label: String
        public var estimate: Double?
        public var low: Double?
        public var high: Double?
        /// Text at the right of the row, e.g. "0.675 [0.605–0.745]".
        public var note: String?
        /// Its colour (nil: the palette's first).
        public var colour: String?

        public init(_ label: String, estimate: Double?, low: Double? = nil, high: Double? = nil,
                    note: String? = nil, colour: String? = nil) {
            self.label = label
            self.estimate = estimate
            self.low = low
            self.high = high
            self.note = note
            self.colour = colour
        }
    }

    public var title: String
    /// What the plot shows, in a sentence (the SVG's `<desc>`).
    public var description: String?
    /// The x axis: what the estimates measure, with units.
    public var axis: ChartAxis
    /// The label of the rows (the y axis), e.g. "Scenario".
    public var rowsLabel: String
    public var rows: [Row]
    /// Where the reference line stands (nil: none) and its name in the legend.
    public var reference: Double?
    public var referenceLabel: String
    /// The legend's name of a point with its interval.
    public var intervalLabel: String

    public init(title: String, description: String? = nil, axis: ChartAxis, rowsLabel: String, rows: [Row],
                reference: Double? = 0, referenceLabel: String = "no difference (0)",
                intervalLabel: String = "estimate with 95 % interval") {
        self.title = title
        self.description = description
        self.axis = axis
        self.rowsLabel = rowsLabel
        self.rows = rows
        self.reference = reference
        self.referenceLabel = referenceLabel
        self.intervalLabel = intervalLabel
    }

    /// Whether there is nothing to draw (no row has an estimate).
    public var isEmpty: Bool { !rows.contains { $0.estimate?.isFinite == true } }

    static let rowHeight = 26.0

    /// The plot as an `<svg class="chart">` element with id `id`.
    public func svg(id: String) -> String {
        let (left, right) = ChartFrame.rowMargins(names: rows.map(\.label), axisLabel: rowsLabel, notes: rows.map(\.note))
        var legend = [ChartLegend.Entry(name: intervalLabel, swatch: .interval(colour: ChartPalette.colour(0)))]
        if reference != nil { legend.append(ChartLegend.Entry(name: referenceLabel, swatch: .line(colour: ChartPalette.axis, dash: "4 3"))) }
        let frame = ChartFrame(id: id, title: title, description: description, plotHeight: Double(max(1, rows.count)) * Self.rowHeight + 8,
                               leftMargin: left, rightMargin: right, topMargin: 60, legend: legend)
        let values = rows.flatMap { [$0.estimate, $0.low, $0.high] } + [reference]
        let xScale = ChartScale(axis, values: values, from: frame.left, to: frame.right, tickCount: 6)
        let c = Markup.coordinate
        func centre(_ i: Int) -> Double { frame.top + 4 + (Double(i) + 0.5) * Self.rowHeight }
        var out = frame.open()
        out += frame.verticalGrid(xScale)
        if let reference { out += frame.referenceLine(at: reference, xScale) }
        out += "<g class=\"estimates\">\n"
        for (i, row) in rows.enumerated() {
            let colour = row.colour ?? ChartPalette.colour(0)
            let y = c(centre(i))
            if let low = row.low, let high = row.high, low.isFinite, high.isFinite {
                let x0 = c(xScale.position(low)), x1 = c(xScale.position(high))
                out += "<path d=\"M\(x0),\(y)H\(x1)M\(x0),\(c(centre(i) - 5))v10M\(x1),\(c(centre(i) - 5))v10\" stroke=\"\(colour)\" stroke-width=\"1.8\" fill=\"none\"/>\n"
            }
            if let estimate = row.estimate, estimate.isFinite {
                out += "<rect x=\"\(c(xScale.position(estimate) - 5))\" y=\"\(c(centre(i) - 5))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>\n"
            }
        }
        out += "</g>\n"
        out += frame.notes(rows.indices.map { (y: centre($0), note: rows[$0].note) })
        out += frame.xAxis(xScale, label: axis.label)
        out += frame.categoryAxis(rows.indices.map { (y: centre($0), name: rows[$0].label) }, label: rowsLabel)
        return out + frame.close()
    }
}

/// A scatter plot: one point per draw, x against y, with the least-squares line through
/// them. Drawn as SVG by `svg(id:)`; see `ChartFrame` for what every chart holds.
public struct ScatterPlot: Sendable {
    public var title: String
    public var description: String?
    public var x: ChartAxis
    public var y: ChartAxis
    public var points: [(x: Double, y: Double)]
    public var pointLabel: String

    public init(title: String, description: String? = nil, x: ChartAxis, y: ChartAxis, points: [(x: Double, y: Double)],
                pointLabel: String = "one draw") {
        self.title = title
        self.description = description
        self.x = x
        self.y = y
        self.points = points.filter { $0.x.isFinite && $0.y.isFinite }
        self.pointLabel = pointLabel
    }

    public var isEmpty: Bool { points.isEmpty }

    public func svg(id: String) -> String {
        let colour = ChartPalette.colour(0)
        let frame = ChartFrame(id: id, title: title, description: description, plotHeight: 190,
                               legend: [ChartLegend.Entry(name: pointLabel, swatch: .box(colour: colour)),
                                        ChartLegend.Entry(name: "least-squares line", swatch: .line(colour: ChartPalette.colour(1), dash: nil))])
        let xs = ChartScale(x, values: points.map(\.x), from: frame.left, to: frame.right, tickCount: 6)
        let ys = ChartScale(y, values: points.map(\.y), from: frame.bottom, to: frame.top, tickCount: 5)
        let c = Markup.coordinate
        var out = frame.open()
        out += frame.horizontalGrid(ys)
        out += "<g class=\"points\" fill=\"\(colour)\" fill-opacity=\"0.6\">\n"
        for p in points {
            out += "<circle cx=\"\(c(xs.position(p.x)))\" cy=\"\(c(ys.position(p.y)))\" r=\"2.5\"/>\n"
        }
        out += "</g>\n"
        let n = Double(points.count)
        let mx = points.reduce(0) { $0 + $1.x } / n, my = points.reduce(0) { $0 + $1.y } / n
        let sxx = points.reduce(0) { $0 + ($1.x - mx) * ($1.x - mx) }
        if points.count > 1 && sxx > 0 {
            let slope = points.reduce(0) { $0 + ($1.x - mx) * ($1.y - my) } / sxx
            // The line across the plot, cut where it leaves the y range.
            var x0 = xs.low, x1 = xs.high
            if slope != 0 {
                let atLow = mx + (ys.low - my) / slope, atHigh = mx + (ys.high - my) / slope
                x0 = max(x0, min(atLow, atHigh))
                x1 = min(x1, max(atLow, atHigh))
            }
            if x1 > x0 { out += "<path class=\"fit\" d=\"M\(c(xs.position(x0))),\(c(ys.position(my + slope * (x0 - mx))))L\(c(xs.position(x1))),\(c(ys.position(my + slope * (x1 - mx))))\" stroke=\"\(ChartPalette.colour(1))\" stroke-width=\"1.8\" fill=\"none\"/>\n" }
        }
        out += frame.xAxis(xs, label: x.label)
        out += frame.yAxis(ys, label: y.label)
        return out + frame.close()
    }
}

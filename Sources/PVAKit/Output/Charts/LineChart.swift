/// A line chart: one or more series over a shared x axis, each optionally with a shaded
/// band (a 5–95 % range, a confidence interval) and a legend naming both. Several
/// scenarios overlaid are several series (and bands) in palette order. A missing value
/// (nil) breaks a line or band rather than being drawn as 0. Drawn as SVG by
/// `svg(id:)`; see `ChartFrame` for what every chart holds.
public struct LineChart: Sendable {
    /// One line: y per x, nil where there is no value.
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double?]
        /// Its colour and dash pattern (nil: the palette's, by the series' place).
        public var colour: String?
        public var dash: String?

        public init(_ name: String, x: [Double], y: [Double?], colour: String? = nil, dash: String? = nil) {
            self.name = name
            self.x = x
            self.y = y
            self.colour = colour
            self.dash = dash
        }
    }

    /// A shaded range between `low` and `high` per x, drawn beneath the lines.
    public struct Band: Sendable {
        public var name: String
        public var x: [Double]
        public var low: [Double?]
        public var high: [Double?]
        /// Its colour (nil: the palette's, by the band's place, so band k goes with series k).
        public var colour: String?

        public init(_ name: String, x: [Double], low: [Double?], high: [Double?], colour: String? = nil) {
            self.name = name
            self.x = x
            self.low = low
            self.high = high
            self.colour = colour
        }
    }

    /// A labelled vertical line at an x value (a target year).
    public struct Marker: Sendable {
        public var x: Double
        public var label: String

        public init(x: Double, label: String) {
            self.x = x
            self.label = label
        }
    }

    public var title: String
    /// What the chart shows, in a sentence (the SVG's `<desc>`).
    public var description: String?
    public var x: ChartAxis
    public var y: ChartAxis
    public var series: [Series]
    public var bands: [Band]
    public var markers: [Marker]

    public init(title: String, description: String? = nil, x: ChartAxis, y: ChartAxis,
                series: [Series], bands: [Band] = [], markers: [Marker] = []) {
        self.title = title
        self.description = description
        self.x = x
        self.y = y
        self.series = series
        self.bands = bands
        self.markers = markers
    }

    /// Whether there is nothing to draw (no series or band has a value).
    public var isEmpty: Bool {
        !series.contains { $0.y.contains { $0?.isFinite == true } }
            && !bands.contains { $0.low.contains { $0?.isFinite == true } }
    }

    func colour(ofSeries k: Int) -> String { series[k].colour ?? ChartPalette.colour(k) }
    func dash(ofSeries k: Int) -> String? { series[k].colour == nil && series[k].dash == nil ? ChartPalette.dash(cycle: k) : series[k].dash }
    func colour(ofBand k: Int) -> String { bands[k].colour ?? ChartPalette.colour(k) }

    /// The chart as an `<svg class="chart">` element with id `id`.
    public func svg(id: String) -> String {
        let legend = series.indices.map { ChartLegend.Entry(name: series[$0].name, swatch: .line(colour: colour(ofSeries: $0), dash: dash(ofSeries: $0))) }
            + bands.indices.map { ChartLegend.Entry(name: bands[$0].name, swatch: .band(colour: colour(ofBand: $0))) }
        let frame = ChartFrame(id: id, title: title, description: description, legend: legend)
        let xs = series.flatMap(\.x) + bands.flatMap(\.x) + markers.map(\.x)
        let ys = series.flatMap(\.y) + bands.flatMap(\.low) + bands.flatMap(\.high)
        let xScale = ChartScale(x, values: xs, from: frame.left, to: frame.right, tickCount: 6)
        let yScale = ChartScale(y, values: ys, from: frame.bottom, to: frame.top)
        let c = Markup.coordinate
        var out = frame.open()
        out += frame.horizontalGrid(yScale)
        for (k, band) in bands.enumerated() {
            var path = ""
            let pairs = zip(band.low, band.high).map { l, h -> (Double, Double)? in l.flatMap { l in h.map { (l, $0) } } }
            for run in Self.runs(band.x, pairs, { $0.0.isFinite && $0.1.isFinite }) {
                path += "M" + run.map { "\(c(xScale.position($0.x))),\(c(yScale.position($0.value.1)))" }.joined(separator: "L")
                path += "L" + run.reversed().map { "\(c(xScale.position($0.x))),\(c(yScale.position($0.value.0)))" }.joined(separator: "L") + "Z"
            }
            if !path.isEmpty { out += "<path class=\"band\" d=\"\(path)\" fill=\"\(colour(ofBand: k))\" fill-opacity=\"0.22\" stroke=\"none\"/>\n" }
        }
        for marker in markers where marker.x >= xScale.low && marker.x <= xScale.high {
            let px = c(xScale.position(marker.x))
            out += "<path class=\"marker\" d=\"M\(px),\(c(frame.top))V\(c(frame.bottom))\" stroke=\"\(ChartPalette.mutedText)\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>\n"
            out += "<text x=\"\(px)\" y=\"\(c(frame.top - 4))\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(ChartPalette.mutedText)\">\(Markup.escape(marker.label))</text>\n"
        }
        for (k, s) in series.enumerated() {
            var path = "", dots = ""
            for run in Self.runs(s.x, s.y, { $0.isFinite }) {
                let points = run.map { (c(xScale.position($0.x)), c(yScale.position($0.value))) }
                if points.count == 1 {
                    dots += "<circle cx=\"\(points[0].0)\" cy=\"\(points[0].1)\" r=\"2.5\" fill=\"\(colour(ofSeries: k))\"/>\n"
                } else {
                    path += "M" + points.map { "\($0.0),\($0.1)" }.joined(separator: "L")
                }
            }
            if !path.isEmpty {
                out += "<path class=\"series\" d=\"\(path)\" fill=\"none\" stroke=\"\(colour(ofSeries: k))\" stroke-width=\"2\" stroke-linejoin=\"round\""
                out += (dash(ofSeries: k).map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>\n"
            }
            out += dots
        }
        out += frame.xAxis(xScale, label: x.label)
        out += frame.yAxis(yScale, label: y.label)
        return out + frame.close()
    }

    /// The stretches of consecutive points that have a value (`usable`).
    static func runs<T>(_ x: [Double], _ values: [T?], _ usable: (T) -> Bool) -> [[(x: Double, value: T)]] {
        var runs: [[(x: Double, value: T)]] = [], current: [(x: Double, value: T)] = []
        for (px, v) in zip(x, values) {
            if let v, px.isFinite, usable(v) {
                current.append((x: px, value: v))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}

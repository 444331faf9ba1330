/// A stacked chart: at each x, layers (causes, reasons) stacked from 0, as bars or as
/// areas, each layer one colour of the palette and named in the legend. Values are
/// amounts (negative ones are drawn as 0). Drawn as SVG by `svg(id:)`; see `ChartFrame`
/// for what every chart holds.
public struct StackedChart: Sendable {
    public enum Style: Sendable {
        /// A bar per x (years as separate counts).
        case bars
        /// Areas joined from x to x (many x values).
        case areas
    }

    /// One layer: its value at each x of the chart, bottom layer first.
    public struct Layer: Sendable {
        public var name: String
        public var values: [Double]
        /// Its colour (nil: the palette's, by the layer's place).
        public var colour: String?

        public init(_ name: String, values: [Double], colour: String? = nil) {
            self.name = name
            self.values = values
            self.colour = colour
        }
    }

    public var title: String
    /// What the chart shows, in a sentence (the SVG's `<desc>`).
    public var description: String?
    public var x: ChartAxis
    public var y: ChartAxis
    public var xValues: [Double]
    public var layers: [Layer]
    public var style: Style

    public init(title: String, description: String? = nil, x: ChartAxis, y: ChartAxis,
                xValues: [Double], layers: [Layer], style: Style = .bars) {
        self.title = title
        self.description = description
        self.x = x
        self.y = y
        self.xValues = xValues
        self.layers = layers
        self.style = style
    }

    /// Whether there is nothing to draw (no layer has a positive value).
    public var isEmpty: Bool { xValues.isEmpty || !layers.contains { $0.values.contains { $0 > 0 } } }

    func colour(ofLayer k: Int) -> String { layers[k].colour ?? ChartPalette.colour(k) }

    /// The chart as an `<svg class="chart">` element with id `id`.
    public func svg(id: String) -> String {
        let legend = layers.indices.map { ChartLegend.Entry(name: layers[$0].name, swatch: .box(colour: colour(ofLayer: $0))) }
        let frame = ChartFrame(id: id, title: title, description: description, legend: legend)
        let n = xValues.count
        // Cumulative tops: tops[k][i] = Σ of layers 0…k at x i.
        var tops: [[Double]] = []
        var running = [Double](repeating: 0, count: n)
        for layer in layers {
            for i in 0..<n { running[i] += max(0, i < layer.values.count && layer.values[i].isFinite ? layer.values[i] : 0) }
            tops.append(running)
        }
        // Bars are centred on their x: the axis runs half a spacing beyond the first and last.
        let spacing = n > 1 ? (xValues[n - 1] - xValues[0]) / Double(n - 1) : 1
        let xData = style == .bars ? xValues + [(xValues.first ?? 0) - spacing / 2, (xValues.last ?? 0) + spacing / 2] : xValues
        let xScale = ChartScale(x, values: xData, from: frame.left, to: frame.right, tickCount: 6)
        let yScale = ChartScale(y, values: (tops.last ?? []) + [0], from: frame.bottom, to: frame.top)
        let c = Markup.coordinate
        var out = frame.open()
        out += frame.horizontalGrid(yScale)
        let barWidth = n == 0 ? 0 : abs(xScale.position(xValues[0] + spacing) - xScale.position(xValues[0])) * 0.8
        for k in layers.indices {
            var path = ""
            switch style {
            case .bars:
                for i in 0..<n {
                    let low = k == 0 ? 0 : tops[k - 1][i], high = tops[k][i]
                    guard high > low else { continue }
                    let y0 = yScale.position(low), y1 = yScale.position(high)
                    path += "M\(c(xScale.position(xValues[i]) - barWidth / 2)),\(c(y0))h\(c(barWidth))V\(c(y1))h\(c(-barWidth))Z"
                }
            case .areas:
                guard n > 1, (0..<n).contains(where: { tops[k][$0] > (k == 0 ? 0 : tops[k - 1][$0]) }) else { continue }
                path = "M" + (0..<n).map { "\(c(xScale.position(xValues[$0]))),\(c(yScale.position(tops[k][$0])))" }.joined(separator: "L")
                path += "L" + (0..<n).reversed().map { "\(c(xScale.position(xValues[$0]))),\(c(yScale.position(k == 0 ? 0 : tops[k - 1][$0])))" }.joined(separator: "L") + "Z"
            }
            if !path.isEmpty { out += "<path class=\"layer\" d=\"\(path)\" fill=\"\(colour(ofLayer: k))\" stroke=\"white\" stroke-width=\"0.4\"/>\n" }
        }
        out += frame.xAxis(xScale, label: x.label)
        out += frame.yAxis(yScale, label: y.label)
        return out + frame.close()
    }
}

import Foundation

/// The files `pva calibrate` writes, as text: `draws.csv` (every draw), `posterior.csv`
/// (the accepted draws, best first), `calibration.json` (the posterior summary) and
/// `calibration.svg` (prior against posterior per parameter, and the hindcast band
/// against each observation).
public struct CalibrationReport: Sendable {
    public let result: Calibration.Result
    /// SHA-256 of the calibration file and of the hindcast scenario as read.
    public let provenance: [String: String]

    public init(result: Calibration.Result, provenance: [String: String] = [:]) {
        self.result = result
        self.provenance = provenance
    }

    public static let files = ["draws.csv", "posterior.csv", "calibration.json", "calibration.svg"]

    public func text(of file: String) -> String {
        switch file {
        case "draws.csv": return csv(result.draws.indices.map { $0 })
        case "posterior.csv": return csv(result.accepted)
        case "calibration.json": return JSONWriter.write(summaryJSON)
        default: return svg
        }
    }

    func csv(_ rows: [Int]) -> String {
        let spec = result.spec
        var out = (["draw"] + spec.parameters.map(\.path) + ["score"] + spec.observations.indices.map { "hit\($0)" })
            .map(CSVTable.quoted).joined(separator: ",") + "\n"
        for i in rows {
            let d = result.draws[i]
            out += ([String(d.index)] + zip(spec.parameters, d.values).map { $0.text($1) } + [NumberFormatting.fixed(d.score, decimals: 6)]
                    + d.hits.map { NumberFormatting.fixed($0, decimals: 6) }).joined(separator: ",") + "\n"
        }
        return out
    }

    var summaryJSON: JSONOutput {
        let spec = result.spec
        let parameters: [JSONOutput] = spec.parameters.enumerated().map { p, parameter in
            let s = result.summary(p)
            return .object(["path": .string(parameter.path), "priorMin": .number(parameter.minimum), "priorMax": .number(parameter.maximum),
                            "posteriorMedian": .real(s.median), "posterior05": .real(s.q05), "posterior95": .real(s.q95)])
        }
        let correlations: [JSONOutput] = spec.parameters.indices.map { a in
            .array(spec.parameters.indices.map { b in .real(result.correlation(a, b)) })
        }
        let observations: [JSONOutput] = spec.observations.enumerated().map { i, o in
            let band = result.bands.first { $0.series == o.series }
            let t = band?.years.firstIndex(of: o.year)
            return .object(["year": .integer(o.year), "series": .string(o.series), "low": .number(o.low), "high": .number(o.high),
                            "source": .string(o.source),
                            "hindcast05": .real(t.map { band!.q05[$0] }), "hindcastMedian": .real(t.map { band!.q50[$0] }),
                            "hindcast95": .real(t.map { band!.q95[$0] }),
                            "shareOfAcceptedReplicatesInside": .real(result.accepted.map { result.draws[$0].hits[i] }.reduce(0, +) / Double(result.accepted.count))])
        }
        return .object([
            "name": .string(spec.name), "scenario": .string(spec.scenario), "draws": .integer(spec.draws),
            "replicatesPerDraw": .integer(spec.replicatesPerDraw), "seed": .integer(Int(spec.seed)),
            "accepted": .integer(result.accepted.count),
            "score": .string("-Σ ln max(p_i, 0.5/R): p_i the share of a draw's R replicates inside observation i's interval"),
            "bestScore": .real(result.accepted.first.map { result.draws[$0].score }),
            "acceptedScoreAtMost": .real(result.accepted.last.map { result.draws[$0].score }),
            "parameters": .array(parameters), "correlations": .array(correlations), "observations": .array(observations),
            "provenance": .object(provenance.mapValues { .string($0) }),
        ])
    }

    // MARK: the chart

    var svg: String {
        let spec = result.spec
        let panelW = 300.0, panelH = 180.0, margin = 40.0
        let parameterPanels = spec.parameters.count, bandPanels = result.bands.count
        let columns = 3
        let rows = (parameterPanels + columns - 1) / columns + (bandPanels + columns - 1) / columns
        let width = Double(columns) * (panelW + margin) + margin, height = Double(rows) * (panelH + 2 * margin) + margin
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        func f(_ x: Double) -> String { NumberFormatting.fixed(x, decimals: 1) }
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func origin(_ k: Int, rowOffset: Int) -> (Double, Double) {
            (margin + Double(k % columns) * (panelW + margin), margin + Double(rowOffset + k / columns) * (panelH + 2 * margin))
        }
        // Prior (all draws, grey) against posterior (accepted, blue): histograms in 20 bins, each scaled to its own peak.
        for (p, parameter) in spec.parameters.enumerated() {
            let (x0, y0) = origin(p, rowOffset: 0)
            let bins = 20
            func histogram(_ rows: [Int]) -> [Int] {
                var h = [Int](repeating: 0, count: bins)
                for i in rows {
                    let u = (result.draws[i].values[p] - parameter.minimum) / (parameter.maximum - parameter.minimum)
                    h[min(bins - 1, max(0, Int(u * Double(bins))))] += 1
                }
                return h
            }
            out += "<text x=\"\(f(x0))\" y=\"\(f(y0 - 8))\" font-weight=\"bold\">\(escape(parameter.path))</text>\n"
            out += "<rect x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(panelW))\" height=\"\(f(panelH))\" fill=\"none\" stroke=\"#999\"/>\n"
            for (rows, colour) in [(Array(result.draws.indices), "#cccccc"), (result.accepted, "#3366cc")] {
                let h = histogram(rows), peak = Double(max(1, h.max() ?? 1))
                for (b, c) in h.enumerated() where c > 0 {
                    let bh = Double(c) / peak * (panelH - 10)
                    out += "<rect x=\"\(f(x0 + Double(b) * panelW / Double(bins) + 1))\" y=\"\(f(y0 + panelH - bh))\" width=\"\(f(panelW / Double(bins) - 2))\" height=\"\(f(bh))\" fill=\"\(colour)\" fill-opacity=\"0.7\"/>\n"
                }
            }
            let s = result.summary(p)
            out += "<text x=\"\(f(x0))\" y=\"\(f(y0 + panelH + 14))\">\(NumberFormatting.shortest(parameter.minimum))</text>"
            out += "<text x=\"\(f(x0 + panelW))\" y=\"\(f(y0 + panelH + 14))\" text-anchor=\"end\">\(NumberFormatting.shortest(parameter.maximum))</text>\n"
            out += "<text x=\"\(f(x0 + panelW / 2))\" y=\"\(f(y0 + panelH + 28))\" text-anchor=\"middle\">posterior median \(NumberFormatting.fixed(s.median, decimals: 3)), 90 % \(NumberFormatting.fixed(s.q05, decimals: 3))–\(NumberFormatting.fixed(s.q95, decimals: 3))</text>\n"
        }
        // Each series: the pooled accepted replicates' 5–95 % band and median, and the observations.
        let bandRowOffset = (parameterPanels + columns - 1) / columns
        for (k, band) in result.bands.enumerated() {
            let (x0, y0) = origin(k, rowOffset: bandRowOffset)
            let observations = spec.observations.filter { $0.series == band.series }
            let top = max(1, (band.q95 + observations.map(\.high)).max() ?? 1) * 1.1
            let first = Double(band.years.first ?? 0), last = Double(max((band.years.last ?? 1), (band.years.first ?? 0) + 1))
            func x(_ year: Double) -> Double { x0 + (year - first) / (last - first) * panelW }
            func y(_ v: Double) -> Double { y0 + panelH - v / top * panelH }
            out += "<text x=\"\(f(x0))\" y=\"\(f(y0 - 8))\" font-weight=\"bold\">\(escape(band.series))</text>\n"
            out += "<rect x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(panelW))\" height=\"\(f(panelH))\" fill=\"none\" stroke=\"#999\"/>\n"
            let upper = band.years.indices.map { "\(f(x(Double(band.years[$0])))),\(f(y(band.q95[$0])))" }
            let lower = band.years.indices.reversed().map { "\(f(x(Double(band.years[$0])))),\(f(y(band.q05[$0])))" }
            out += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"#3366cc\" fill-opacity=\"0.25\"/>\n"
            out += "<polyline points=\"\(band.years.indices.map { "\(f(x(Double(band.years[$0])))),\(f(y(band.q50[$0])))" }.joined(separator: " "))\" fill=\"none\" stroke=\"#3366cc\"/>\n"
            for o in observations {
                out += "<line x1=\"\(f(x(Double(o.year))))\" x2=\"\(f(x(Double(o.year))))\" y1=\"\(f(y(o.low)))\" y2=\"\(f(y(o.high)))\" stroke=\"#cc3300\" stroke-width=\"3\"/>\n"
                out += "<circle cx=\"\(f(x(Double(o.year))))\" cy=\"\(f(y((o.low + o.high) / 2)))\" r=\"3\" fill=\"#cc3300\"/>\n"
            }
            out += "<text x=\"\(f(x0))\" y=\"\(f(y0 + panelH + 14))\">\(Int(first))</text>"
            out += "<text x=\"\(f(x0 + panelW))\" y=\"\(f(y0 + panelH + 14))\" text-anchor=\"end\">\(Int(last))</text>"
            out += "<text x=\"\(f(x0 - 4))\" y=\"\(f(y0 + 10))\" text-anchor=\"end\">\(Int(top))</text>\n"
        }
        out += "<text x=\"\(f(margin))\" y=\"\(f(height - 8))\" fill=\"#555\">grey: all \(result.draws.count) draws (prior); blue: the \(result.accepted.count) accepted (posterior); band: 5–95 % of the accepted draws' replicates, line their median; red: observations</text>\n"
        out += "</svg>\n"
        return out
    }
}

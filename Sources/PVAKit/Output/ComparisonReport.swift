import Foundation

/// The files of a comparison (`pva compare`): the ranked table as Markdown (also printed),
/// CSV and JSON. Each column is declared once, for the CSV; the Markdown shows the same
/// figures in fewer, wider columns.
extension ScenarioComparison {
    static func fixed(_ v: Double?, _ d: Int = 3) -> String { v.map { NumberFormatting.fixed($0, decimals: d) } ?? "–" }
    static func pText(_ p: Double?) -> String { p.map { $0 < 0.001 ? "< 0.001" : fixed($0) } ?? "–" }

    /// The second-population answer at the last year the scenario asks about.
    static func lastAsked(_ run: ComparedRun) -> (t: Int, atLeast: Proportion, reachedBy: Proportion)? {
        run.secondPopulation?.atYears.last
    }

    /// The ranked table as text, the Markdown's and the report's: its header (rank, scenario,
    /// the figures, the verdict) and a row of cells per run, best first.
    var textTable: (header: [String], rows: [[String]]) {
        let base = runs[baseline]
        let hasGenetics = runs.contains { $0.geneDiversity != nil }
        let second = runs.first { $0.secondPopulation != nil }?.secondPopulation
        var header = ["rank", "scenario", "P(E) by \(base.year) [95 %]", "ΔP(E) vs baseline [95 %], p", "mean N [95 %]",
                      "median N [95 %]", "ΔN [95 %], Mann–Whitney p"]
        if hasGenetics { header.append("gene diversity retained") }
        if let second, let t = second.atYears.last?.t { header.append("P(≥ \(second.threshold) in \(second.region) at \(t) y) [95 %]") }
        header.append("against the baseline")
        let cells = rows.enumerated().map { i, row -> [String] in
            let r = row.run
            let ci = r.extinct.wilson95
            var cells = ["\(i + 1)", row.isBaseline ? r.name + " (baseline)" : r.name,
                         "\(Self.fixed(r.extinct.estimate)) [\(Self.fixed(ci?.low))–\(Self.fixed(ci?.high))]"]
            cells.append(row.pe.map { "\(Self.fixed($0.estimate)) [\(Self.fixed($0.low))–\(Self.fixed($0.high))], p \(Self.pText($0.p))" } ?? "–")
            cells.append("\(Self.fixed(r.meanN, 1)) [\(Self.fixed(row.meanInterval.low, 1))–\(Self.fixed(row.meanInterval.high, 1))]")
            cells.append("\(Self.fixed(row.medianN, 1)) [\(row.medianInterval.map { "\($0.low)–\($0.high)" } ?? "–")]")
            cells.append(row.n.map { "\(Self.fixed($0.estimate, 1)) [\(Self.fixed($0.low, 1))–\(Self.fixed($0.high, 1))], p \(Self.pText(row.mannWhitneyP))" } ?? "–")
            if hasGenetics {
                cells.append("\(Self.fixed(r.geneDiversity)) (\(Self.fixed(r.geneDiversityRetained.map { $0 * 100 }, 1)) %)")
            }
            if second != nil {
                cells.append(Self.lastAsked(r).map { a in
                    let w = a.atLeast.wilson95
                    return "\(Self.fixed(a.atLeast.estimate)) [\(Self.fixed(w?.low))–\(Self.fixed(w?.high))]"
                } ?? "–")
            }
            cells.append(row.verdict)
            return cells
        }
        return (header, cells)
    }

    public var markdown: String {
        let table = textTable
        var lines = ["| " + table.header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: table.header.count)]
        for cells in table.rows { lines.append("| " + cells.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `comparison.csv`: one row per run, best first.
    public static var table: OutputTable<(rank: Int, row: Row)> {
        typealias C = OutputColumn<(rank: Int, row: Row)>
        return OutputTable([
            C("rank", "rank by P(E) at the horizon (then mean final N)") { .integer($0.rank) },
            C("scenario", "results folder") { .text($0.row.run.name) },
            C("baseline", "1 for the baseline") { .integer($0.row.isBaseline ? 1 : 0) },
            C("year", "the horizon") { .integer($0.row.run.year) },
            C("replicates", "replicates run") { .integer($0.row.run.extinct.trials) },
            C("PE", "P(extinct by the horizon)") { .real($0.row.run.extinct.estimate) },
            C("PELow95", "Wilson 95 % interval, low") { .real($0.row.run.extinct.wilson95?.low) },
            C("PEHigh95", "Wilson 95 % interval, high") { .real($0.row.run.extinct.wilson95?.high) },
            C("PEDifference", "P(E) minus the baseline's") { .real($0.row.pe?.estimate) },
            C("PEDifferenceLow95", "Newcombe hybrid score 95 % interval, low") { .real($0.row.pe?.low) },
            C("PEDifferenceHigh95", "Newcombe hybrid score 95 % interval, high") { .real($0.row.pe?.high) },
            C("PEDifferenceP", "two-proportion z-test (pooled), two-sided p") { .real($0.row.pe?.p) },
            C("ReplicatesToSeparatePE", "replicates per scenario for 80 % power at the 5 % level at the P(E)s seen") { .real($0.row.replicatesToSeparate) },
            C("NMean", "mean final N over all replicates") { .real($0.row.run.meanN) },
            C("NMeanLow95", "mean ± 1.96 SE, low") { .real($0.row.meanInterval.low) },
            C("NMeanHigh95", "mean ± 1.96 SE, high") { .real($0.row.meanInterval.high) },
            C("NMedian", "median final N") { .real($0.row.medianN) },
            C("NMedianLow95", "order-statistic 95 % interval of the median, low") { $0.row.medianInterval.map { .integer($0.low) } ?? .missing },
            C("NMedianHigh95", "order-statistic 95 % interval of the median, high") { $0.row.medianInterval.map { .integer($0.high) } ?? .missing },
            C("NDifference", "mean final N minus the baseline's") { .real($0.row.n?.estimate) },
            C("NDifferenceLow95", "95 % interval (z, the two SEs), low") { .real($0.row.n?.low) },
            C("NDifferenceHigh95", "95 % interval, high") { .real($0.row.n?.high) },
            C("NMannWhitneyP", "Mann–Whitney test of final N against the baseline (normal, tie-corrected), two-sided p") { .real($0.row.mannWhitneyP) },
            C("GeneDiversity", "mean gene diversity at the horizon") { .real($0.row.run.geneDiversity) },
            C("GeneDiversityRetained", "gene diversity at the horizon / at year 0") { .real($0.row.run.geneDiversityRetained) },
            C("SecondPopulationRegion", "the first target region") { .text($0.row.run.secondPopulation?.region ?? "") },
            C("SecondPopulationT", "the last year asked about (years from the start)") { lastAsked($0.row.run).map { .integer($0.t) } ?? .missing },
            C("SecondPopulationPAtLeast", "P(at least the threshold there then)") { .real(lastAsked($0.row.run)?.atLeast.estimate) },
            C("SecondPopulationPReachedBy", "P(reached by then)") { .real(lastAsked($0.row.run)?.reachedBy.estimate) },
            C("Verdict", "against the baseline, in words") { .text($0.row.verdict) },
        ])
    }

    public var csv: String { Self.table.text(rows.enumerated().map { (rank: $0.offset + 1, row: $0.element) }) }

    public var json: String {
        let columns = Self.table.columns
        let objects = rows.enumerated().map { i, row -> JSONOutput in
            var object: [String: JSONOutput] = [:]
            for c in columns {
                switch c.cell((rank: i + 1, row: row)) {
                case .integer(let v): object[c.name] = .integer(v)
                case .real(let v), .fixed(let v, _): object[c.name] = .real(v)
                case .text(let s): object[c.name] = .string(s)
                case .missing: object[c.name] = .null
                }
            }
            return .object(object)
        }
        return JSONWriter.write(.object(["baseline": .string(runs[baseline].name), "runs": .array(objects),
                                          "method": .string(Self.method)]))
    }

    /// How the figures were computed, for the files and the report.
    public static let method = "Ranked by P(E) at the horizon, then mean final N. P(E): Wilson 95 % interval; its difference from the baseline: Newcombe's hybrid score interval and the pooled two-proportion z-test. Mean final N: mean ± 1.96 SE; median: order-statistic interval; final N against the baseline: Mann–Whitney test (normal approximation, tie-corrected). Replicates to separate: per scenario, for 80 % power at the 5 % level at the two P(E)s seen (Fleiss; R's power.prop.test). All tests two-sided."
}

import Foundation
import PVAKit

enum CompareCommand {
    static let help = """
    Usage: pva compare RESULT_DIR... [--baseline DIR]

    Compares finished runs by their summary.json: a table ranked by the
    probability of extinction at the horizon, each run with P(E) and its 95 %
    interval and mean final N, and its difference from the baseline (the first
    folder unless --baseline names one) with a 95 % interval and the p-value of
    its test (two-proportion z-test for P(E), z-test of the means for N).

    """

    /// What a comparison needs from one summary.json.
    struct Run {
        var folder: String
        var name: String
        var extinct: Proportion
        var meanN: Double
        var meanNSE: Double
        var year: Int
    }

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: ["--baseline"], flagOptions: ["--help"], command: "compare")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        var folders = options.positional
        if let baseline = options.string("--baseline") { folders.removeAll { $0 == baseline }; folders.insert(baseline, at: 0) }
        guard folders.count >= 2 else { throw UsageError(message: "compare needs at least two results folders (see pva compare --help)") }
        let runs = try folders.map(read)
        let baseline = runs[0]
        var lines = ["| run | P(E) by \(baseline.year) [95 %] | ΔP(E) vs \(baseline.folder) [95 %] (p) | mean N [SE] | ΔN [95 %] (p) |",
                     "|---|---|---|---|---|"]
        func f(_ x: Double, _ d: Int = 3) -> String { NumberFormatting.fixed(x, decimals: d) }
        func p(_ x: Double?) -> String { x.map { $0 < 0.001 ? "p < 0.001" : "p = " + f($0) } ?? "p –" }
        for run in runs.sorted(by: { ($0.extinct.estimate ?? 0, $0.folder) < ($1.extinct.estimate ?? 0, $1.folder) }) {
            let ci = run.extinct.wilson95
            var row = "| \(run.folder) | \(f(run.extinct.estimate ?? 0)) [\(f(ci?.low ?? 0))–\(f(ci?.high ?? 0))] | "
            if run.folder == baseline.folder {
                row += "baseline | "
            } else {
                let d = Comparison.proportions(run.extinct, baseline.extinct)
                row += "\(f(d.difference)) [\(f(d.low))–\(f(d.high))] (\(p(d.p))) | "
            }
            row += "\(f(run.meanN, 1)) [\(f(run.meanNSE, 1))] | "
            if run.folder == baseline.folder {
                row += "baseline |"
            } else {
                let d = Comparison.means(run.meanN, run.meanNSE, baseline.meanN, baseline.meanNSE)
                row += "\(f(d.difference, 1)) [\(f(d.low, 1))–\(f(d.high, 1))] (\(p(d.p))) |"
            }
            lines.append(row)
        }
        console.out(lines.joined(separator: "\n") + "\n")
        return ExitCode.success
    }

    /// The figures of one results folder's summary.json.
    static func read(_ folder: String) throws -> Run {
        let path = (folder as NSString).appendingPathComponent("summary.json")
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch {
            throw UsageError(message: "cannot read \(path): \(error)")
        }
        var parser = JSONParser(bytes: bytes)
        guard let root = try? parser.parse().value,
              let final = root["final"]?.value,
              case .number(let pe, _)? = final["PE"]?.value,
              case .number(let n, _)? = final["NAllMean"]?.value,
              case .number(let se, _)? = final["NAllSE"]?.value,
              case .number(let year, _)? = final["year"]?.value,
              case .number(let replicates, _)? = root["provenance"]?.value["replicates"]?.value else {
            throw UsageError(message: "\(path) is not a pva summary (no final.PE, final.NAllMean, final.NAllSE or provenance.replicates)")
        }
        var name = (folder as NSString).lastPathComponent
        if name.isEmpty { name = folder }
        let r = Int(replicates)
        return Run(folder: name, name: name, extinct: Proportion(Int((pe * Double(r)).rounded()), of: r), meanN: n, meanNSE: se, year: Int(year))
    }
}

import Foundation
import PVAKit

enum CompareCommand {
    static let help = """
    Usage: pva compare RESULT_DIR... [--baseline DIR] [--out DIR]

    Compares finished runs (results folders of pva run or pva run-set; a folder
    holding several, e.g. the --out of run-set, stands for every results folder
    below it). Prints a table ranked by the probability of extinction at the
    horizon and writes it to DIR (default results/comparison/) as
    comparison.md, comparison.csv and comparison.json, with report.html: the
    table, the scenarios' N, P(E) and gene diversity over time overlaid, and
    forest plots of their differences from the baseline.

    For each run: P(E) with its 95 % Wilson interval; its difference from the
    baseline (the first folder unless --baseline names one) with Newcombe's
    hybrid score interval and the two-proportion z-test; mean final N (± 1.96
    SE) and median final N (order-statistic interval), and the Mann–Whitney
    test of final N against the baseline; gene diversity at the horizon and the
    share of year 0's retained (with genetics); P(at least the threshold in the
    first target region) at the last year the scenario asks about (with target
    regions); and in words whether it can be told from the baseline — when
    P(E) cannot, how many replicates per scenario would separate the P(E)s seen
    (80 % power at the 5 % level).

    """

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: ["--baseline", "--out"], flagOptions: ["--help"], command: "compare")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        var folders: [String] = []
        for argument in options.positional { folders += try resultFolders(argument) }
        let baselineArgument = options.string("--baseline").map(trimmed)
        if let baseline = baselineArgument {
            guard FileSystem.kind(baseline + "/summary.json") == .file else {
                throw UsageError(message: "--baseline \(baseline) is not a results folder (no summary.json)")
            }
            folders.removeAll { $0 == baseline }
            folders.insert(baseline, at: 0)
        }
        guard folders.count >= 2 else { throw UsageError(message: "compare needs at least two results folders (see pva compare --help)") }
        try write(folders: folders, names: displayNames(folders), out: options.string("--out") ?? "results/comparison", console: console)
        return ExitCode.success
    }

    /// Compares `folders` (the first is the baseline), shown as `names`, writes the comparison
    /// into the results folder `out` and prints its table (`pva compare`, `pva run-set --compare`).
    static func write(folders: [String], names: [String], out: String, console: Console) throws {
        let runs = try zip(folders, names).map { try read($0, name: $1) }
        let comparison = ScenarioComparison(runs: runs, baseline: 0)
        let folder = try ResultsFolder.claimForCommand(out, inputs: folders.map { $0 + "/summary.json" })
        try folder.complete(with: [("comparison.md", comparison.markdown), ("comparison.csv", comparison.csv),
                                   ("comparison.json", comparison.json), ("report.html", comparison.reportHTML)])
        console.out(comparison.markdown)
        console.out("  comparison: \(ScenarioRun.shown(out))\n")
    }

    static func trimmed(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }

    /// `path` if it is a results folder, else every results folder below it (sorted).
    static func resultFolders(_ path: String) throws -> [String] {
        let root = trimmed(path)
        if FileSystem.kind(root + "/summary.json") == .file { return [root] }
        guard FileSystem.kind(root) == .directory else { throw UsageError(message: "\(path) is not a results folder (no summary.json)") }
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw UsageError(message: "cannot read \(path)") }
        let found = walker.compactMap { $0 as? String }.filter { ($0 as NSString).lastPathComponent == "summary.json" }
            .map { root + "/" + ($0 as NSString).deletingLastPathComponent }.sorted()
        guard !found.isEmpty else { throw UsageError(message: "\(path) holds no results folder (no summary.json below it)") }
        return found
    }

    /// The folders' paths without their common leading folders.
    static func displayNames(_ folders: [String]) -> [String] {
        let parts = folders.map { $0.split(separator: "/").map(String.init) }
        var common = 0
        while parts.allSatisfy({ $0.count > common + 1 }) && Set(parts.map { $0[common] }).count == 1 { common += 1 }
        return parts.map { $0.dropFirst(common).joined(separator: "/") }
    }

    /// One results folder's summary.json, replicates.csv and yearly.csv.
    static func read(_ folder: String, name: String) throws -> ComparedRun {
        let summary = try SummaryFile(folder + "/summary.json")
        let f = ["final"]
        let replicates = Int(try summary.integer(["provenance", "replicates"], min: 1, max: 1e9))
        let pe = try summary.number(f + ["PE"])!
        var run = ComparedRun(name: name, year: Int(try summary.integer(f + ["year"], min: -1e9, max: 1e9)),
                              extinct: Proportion(Int((pe * Double(replicates)).rounded()), of: replicates),
                              meanN: try summary.number(f + ["NAllMean"])!, meanNSE: try summary.number(f + ["NAllSE"], nullable: true) ?? 0,
                              finalN: try finalNs(folder + "/replicates.csv", replicates: replicates))
        run.series = try series(folder + "/yearly.csv")
        if summary.value(["genetics"]) != nil {
            run.geneDiversity = try summary.number(["genetics", "GeneDiversityMean"], nullable: true)
            run.geneDiversityInitial = try summary.number(["genetics", "GeneDiversityInitial"], nullable: true)
        }
        if case .array(let targets)? = summary.value(["secondPopulation"]), let first = targets.first?.value,
           case .string(let region)? = first["region"]?.value, case .number(let threshold, _)? = first["threshold"]?.value,
           case .array(let years)? = first["atYears"]?.value {
            func number(_ node: JSONValue, _ key: String) -> Double? {
                if case .number(let v, _)? = node[key]?.value { return v }
                return nil
            }
            let asked = years.compactMap { y -> (t: Int, atLeast: Proportion, reachedBy: Proportion)? in
                guard let t = number(y.value, "t"), let a = number(y.value, "PAtLeast"), let b = number(y.value, "PReachedBy") else { return nil }
                return (Int(t), Proportion(Int((a * Double(replicates)).rounded()), of: replicates),
                        Proportion(Int((b * Double(replicates)).rounded()), of: replicates))
            }
            run.secondPopulation = ComparedRun.SecondPopulationAnswer(region: region, threshold: Int(threshold), atYears: asked,
                                                                     medianYearReached: number(first, "medianYearReached").map { Int($0) })
        }
        return run
    }

    /// Every replicate's final N from replicates.csv.
    static func finalNs(_ path: String, replicates: Int) throws -> [Int] {
        let csv = try CSVReader(path)
        let column = try csv.column("finalN")
        let values = try csv.rows.map { try csv.integer($0, column) }
        guard values.count == replicates else {
            throw UsageError(message: "\(path) holds \(values.count) replicates' final N, its summary.json says \(replicates)")
        }
        return values
    }

    /// The yearly series the comparison report overlays, from yearly.csv.
    static func series(_ path: String) throws -> [(year: Int, pe: Double?, meanN: Double?, medianN: Double?, geneDiversity: Double?)] {
        let csv = try CSVReader(path)
        let year = try csv.column("year"), pe = try csv.column("PE"), mean = try csv.column("NAllMean"), median = try csv.column("NAllQ50")
        let gene = csv.has("GeneDiversityMean") ? try csv.column("GeneDiversityMean") : nil
        return try csv.rows.map { row in
            (try csv.integer(row, year), try csv.number(row, pe), try csv.number(row, mean), try csv.number(row, median),
             try gene.flatMap { try csv.number(row, $0) })
        }
    }
}

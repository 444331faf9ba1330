import Foundation
import PVAKit

/// A finished results folder as `pva check` reads it: the provenance in its summary.json
/// and the statistics `RegressionCheck` compares — from summary.json's `final`, yearly.csv
/// (every 10th year and the final year), and the final year of regions.csv and targets.csv
/// when the folder has them. Bad input is a `UsageError` naming the file, the JSON path or
/// the line and column, and the value.
struct StoredResults {
    /// summary.json's `provenance`: what was run.
    struct Recorded {
        var engineVersion: String
        /// nil: written by a pva that did not record the platform yet.
        var platform: String?
        var seed: UInt64
        var replicates: Int
        var years: Int
        var scenarioSHA256: String
        /// Every override as recorded (`run.replicates=100`, `threats.poaching.probability=0.05`),
        /// in the order the run applied them.
        var overrides: [RunOverrides.Setting]
    }

    /// The folder as the user named it.
    let folder: String
    let recorded: Recorded
    /// The statistics, in a fixed order (summary.json, yearly.csv, regions.csv, targets.csv).
    let statistics: [RegressionCheck.Statistic]
    /// The files the folder's `.pva-results` marker lists; nil without a readable marker.
    let listedFiles: [String]?

    init(_ folder: String) throws {
        self.folder = folder
        switch FileSystem.kind(FileSystem.realPath(folder) ?? folder) {
        case .missing: throw UsageError(message: "\(folder): no such folder (the results to check against)")
        case .directory: break
        default: throw UsageError(message: "\(folder) is not a folder; give the results folder of a pva run, e.g. results/reference/amur-leopard")
        }
        let summaryPath = Self.join(folder, "summary.json")
        guard FileSystem.kind(FileSystem.realPath(summaryPath) ?? summaryPath) != .missing else {
            throw UsageError(message: "\(folder) has no summary.json: it is not a results folder of pva run or pva run-set")
        }
        let summary = try SummaryFile(summaryPath)
        recorded = try summary.recorded()
        var statistics = try summary.statistics(replicates: recorded.replicates)
        statistics += try Self.yearly(CSVReader(Self.join(folder, "yearly.csv")), replicates: recorded.replicates)
        let regions = Self.join(folder, "regions.csv"), targets = Self.join(folder, "targets.csv")
        if FileSystem.kind(regions) != .missing { statistics += try Self.regions(CSVReader(regions), replicates: recorded.replicates) }
        if FileSystem.kind(targets) != .missing { statistics += try Self.targets(CSVReader(targets), replicates: recorded.replicates) }
        self.statistics = statistics
        let marker = try? FileSystem.read(Self.join(folder, ResultsFolder.markerName))
        listedFiles = marker.flatMap { bytes in
            String(decoding: bytes, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("files: ") }
                .map { $0.dropFirst("files: ".count).split(separator: " ").map(String.init) }
        }
    }

    static func join(_ folder: String, _ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// "2035 (t 10)".
    private static func when(_ year: Int, _ t: Int) -> String { "\(year) (t \(t))" }

    /// A proportion of `replicates` from its value in a file (six decimals: exact counts up to 10⁶ replicates).
    private static func proportion(_ value: Double, replicates: Int) -> RegressionCheck.Estimate {
        .proportion(successes: Int((value * Double(replicates)).rounded()), trials: replicates)
    }

    /// A mean over `n` replicates from its value and SD: SE = SD/√n; no SE below two replicates.
    private static func mean(_ value: Double?, sd: Double?, n: Int) -> RegressionCheck.Estimate {
        .mean(value, se: n >= 2 ? sd.map { $0 / Double(n).squareRoot() } : nil)
    }

    /// yearly.csv at t = 10, 20, … and the final year: PE, NAllMean and, with genetics,
    /// GeneDiversityMean (its SE over the replicates not extinct, fewer than those with animals
    /// alive, so an SE on the large side).
    private static func yearly(_ csv: CSVReader, replicates: Int) throws -> [RegressionCheck.Statistic] {
        let t = try csv.column("t"), year = try csv.column("year"), pe = try csv.column("PE")
        let n = try csv.column("NAllMean"), nSD = try csv.column("NAllSD")
        let genetics = csv.has("GeneDiversityMean") ? (try csv.column("GeneDiversityMean"), try csv.column("GeneDiversitySD")) : nil
        let times = try csv.rows.map { try csv.integer($0, t) }
        let finalT = times.max() ?? 0
        var out: [RegressionCheck.Statistic] = []
        for (row, time) in zip(csv.rows, times) where RegressionCheck.isComparedYear(t: time, finalT: finalT) {
            let label = "yearly.csv " + when(try csv.integer(row, year), time) + ": "
            let extinct = try probability(csv, row, pe)
            out.append(.init(label + "PE", proportion(extinct, replicates: replicates)))
            out.append(.init(label + "NAllMean", mean(try csv.number(row, n), sd: try csv.number(row, nSD), n: replicates)))
            if let (g, gSD) = genetics {
                let extant = replicates - Int((extinct * Double(replicates)).rounded())
                out.append(.init(label + "GeneDiversityMean", mean(try csv.number(row, g), sd: try csv.number(row, gSD), n: extant)))
            }
        }
        return out
    }

    /// regions.csv in the final year, per region: NMean and PExtinct.
    private static func regions(_ csv: CSVReader, replicates: Int) throws -> [RegressionCheck.Statistic] {
        let t = try csv.column("t"), year = try csv.column("year"), region = try csv.column("region")
        let n = try csv.column("NMean"), nSD = try csv.column("NSD"), extinct = try csv.column("PExtinct")
        let times = try csv.rows.map { try csv.integer($0, t) }
        let finalT = times.max() ?? 0
        var out: [RegressionCheck.Statistic] = []
        for (row, time) in zip(csv.rows, times) where time == finalT {
            let label = "regions.csv " + when(try csv.integer(row, year), time) + ", " + row.cells[region] + ": "
            out.append(.init(label + "NMean", mean(try csv.number(row, n), sd: try csv.number(row, nSD), n: replicates)))
            out.append(.init(label + "PExtinct", proportion(try probability(csv, row, extinct), replicates: replicates)))
        }
        return out
    }

    /// targets.csv in the final year, per target: PAtLeast.
    private static func targets(_ csv: CSVReader, replicates: Int) throws -> [RegressionCheck.Statistic] {
        let t = try csv.column("t"), year = try csv.column("year"), region = try csv.column("region")
        let threshold = try csv.column("threshold"), minimumAge = try csv.column("minimumAge"), atLeast = try csv.column("PAtLeast")
        let times = try csv.rows.map { try csv.integer($0, t) }
        let finalT = times.max() ?? 0
        var out: [RegressionCheck.Statistic] = []
        for (row, time) in zip(csv.rows, times) where time == finalT {
            let label = "targets.csv " + when(try csv.integer(row, year), time) + ", " + row.cells[region]
                + " (≥ \(row.cells[threshold]) aged \(row.cells[minimumAge])+): "
            out.append(.init(label + "PAtLeast", proportion(try probability(csv, row, atLeast), replicates: replicates)))
        }
        return out
    }

    /// A required proportion between 0 and 1.
    private static func probability(_ csv: CSVReader, _ row: (line: Int, cells: [String]), _ column: Int) throws -> Double {
        guard let p = try csv.number(row, column), p >= 0, p <= 1 else {
            throw UsageError(message: "\(csv.path): line \(row.line), column \(csv.header[column]): expected a proportion between 0 and 1 (got '\(row.cells[column])')")
        }
        return p
    }
}

/// What `pva check` reads from a summary: the provenance and the final statistics.
extension SummaryFile {
    func recorded() throws -> StoredResults.Recorded {
        let p = ["provenance"]
        let hash = try string(p + ["scenarioSHA256"])
        guard hash.count == 64, hash.allSatisfy(\.isHexDigit) else {
            throw problem(p + ["scenarioSHA256"], "expected 64 hexadecimal digits (got \"\(hash)\")")
        }
        var platform: String?
        if value(p + ["platform"]) != nil { platform = try string(p + ["platform"]) }
        var overrides: [RunOverrides.Setting] = []
        switch value(p + ["overrides"]) {
        case nil: break
        case .array(let items)?:
            for (i, item) in items.enumerated() {
                guard case .string(let text) = item.value, let setting = RunOverrides.Setting(argument: text) else {
                    throw problem(p + ["overrides[\(i)]"], "expected PATH=VALUE (got \(item.value.shortDescription))")
                }
                overrides.append(setting)
            }
        case let other?: throw problem(p + ["overrides"], "expected an array of PATH=VALUE strings (got \(other.shortDescription))")
        }
        return StoredResults.Recorded(
            engineVersion: try string(p + ["engineVersion"]), platform: platform,
            seed: UInt64(try integer(p + ["seed"], min: 0, max: Double(ScenarioDecoder.maximumSeed))),
            replicates: Int(try integer(p + ["replicates"], min: 1, max: 100_000_000)),
            years: Int(try integer(p + ["years"], min: 1, max: 100_000)),
            scenarioSHA256: hash, overrides: overrides)
    }

    /// `final`: PE, NAllMean, NExtantMean and stochasticR, each mean with the SE the file gives
    /// (for stochastic r the SE with replicates as clusters, `StochasticGrowth`).
    func statistics(replicates: Int) throws -> [RegressionCheck.Statistic] {
        let f = ["final"]
        let year = Int(try integer(f + ["year"], min: -1e9, max: 1e9))
        let pe = try number(f + ["PE"])!
        guard pe >= 0, pe <= 1 else { throw problem(f + ["PE"], "expected a proportion between 0 and 1 (got \(NumberFormatting.shortest(pe)))") }
        let label = "summary.json final (\(year)): "
        return [
            .init(label + "PE", .proportion(successes: Int((pe * Double(replicates)).rounded()), trials: replicates)),
            .init(label + "NAllMean", .mean(try number(f + ["NAllMean"], nullable: true), se: try number(f + ["NAllSE"], nullable: true))),
            .init(label + "NExtantMean", .mean(try number(f + ["NExtantMean"], nullable: true), se: try number(f + ["NExtantSE"], nullable: true))),
            .init(label + "stochasticR", .mean(try number(f + ["stochasticR"], nullable: true), se: try number(f + ["stochasticRSE"], nullable: true))),
        ]
    }
}

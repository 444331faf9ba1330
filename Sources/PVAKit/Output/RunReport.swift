import Foundation

/// The output files of a run: which there are, and the text of each one
/// built from the run's summary. `replicates.csv` and `trajectories.csv`
/// hold a row per replicate and are streamed as replicates finish
/// (`ReplicateTables`); the rest are written here at the end.
public struct RunReport: Sendable {
    public let result: RunResult
    public let summary: RunSummary
    public let provenance: Provenance
    /// The same run without the scenario's translocations (same seed and replicates), for
    /// what taking animals from the wild costs the source regions; nil when it has none.
    public let withoutTranslocations: RunSummary?

    public init(result: RunResult, provenance: Provenance, withoutTranslocations: RunResult? = nil) {
        self.result = result
        self.summary = RunSummary(result)
        self.provenance = provenance
        self.withoutTranslocations = withoutTranslocations.map(RunSummary.init)
    }

    var model: EngineModel { result.model }

    /// One output file: its name, whether only spatial runs write it, whether it has a row
    /// per replicate (streamed as the run goes), and what it holds.
    public struct FileInfo: Sendable {
        public let name: String
        public let spatialOnly: Bool
        public let perReplicate: Bool
        public let meaning: String
    }

    /// Every output file, in a fixed order.
    public static let outputFiles: [FileInfo] = [
        FileInfo(name: "summary.json", spatialOnly: false, perReplicate: false, meaning: "provenance, deterministic rates, final-year statistics, realised rates"),
        FileInfo(name: "yearly.csv", spatialOnly: false, perReplicate: false, meaning: "P(E), N and deaths by cause per year"),
        FileInfo(name: "classes.csv", spatialOnly: false, perReplicate: false, meaning: "N by sex and age class per year"),
        FileInfo(name: "replicates.csv", spatialOnly: false, perReplicate: true, meaning: "one row per replicate"),
        FileInfo(name: "trajectories.csv", spatialOnly: false, perReplicate: true, meaning: "N of every replicate in every year"),
        FileInfo(name: "regions.csv", spatialOnly: true, perReplicate: false, meaning: "per region and year: N, territorial adults, floaters, P(extinct), P(persist)"),
        FileInfo(name: "targets.csv", spatialOnly: true, perReplicate: false, meaning: "per target region and year: P(at least the threshold), P(reached by then), N, share born there, gene diversity"),
        FileInfo(name: "occupancy.csv", spatialOnly: true, perReplicate: false, meaning: "final-year occupancy of every habitat cell"),
        FileInfo(name: "occupancy.svg", spatialOnly: true, perReplicate: false, meaning: "the occupancy map"),
        FileInfo(name: "report.html", spatialOnly: false, perReplicate: false, meaning: "a page to read or print: key figures, provenance and charts"),
    ]

    /// The files a run of `model` writes.
    public static func files(spatial: Bool) -> [FileInfo] { outputFiles.filter { spatial || !$0.spatialOnly } }

    /// The files a run of `model` writes (`targets.csv` only when it has target regions).
    public static func files(_ model: EngineModel) -> [FileInfo] {
        files(spatial: model.spatial != nil).filter { $0.name != "targets.csv" || !model.targetRegions.isEmpty }
    }

    /// The output files a run writes, as text for help messages ("a, b and c").
    public static func fileList(spatial: Bool, onlySpatial: Bool = false) -> String {
        let names = outputFiles.filter { onlySpatial ? $0.spatialOnly : (spatial || !$0.spatialOnly) }.map(\.name)
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// The text of a file that is not per replicate.
    public func text(of file: FileInfo) -> String {
        switch file.name {
        case "summary.json": return summaryJSON
        case "yearly.csv": return yearlyTable.text(yearRows)
        case "classes.csv": return classesTable.text(summary.classes)
        case "regions.csv": return regionsTable.text(summary.regions)
        case "targets.csv": return targetsTable.text(summary.secondPopulations.flatMap { p in p.years.map { (p, $0) } })
        case "occupancy.csv": return occupancyTable.text(occupancyRows)
        case "occupancy.svg": return occupancySVG ?? ""
        case "report.html": return reportHTML
        default: preconditionFailure("\(file.name) is written per replicate (ReplicateTables)")
        }
    }

    public var extinctionDefinition: String {
        switch model.extinction {
        case .oneSexRemains: return "oneSexRemains"
        case .belowThreshold(let x): return "N<\(x)"
        }
    }

    // MARK: stdout

    /// A few lines for the terminal: what moves first (the model λ with the scenario's
    /// threats), then the outcome.
    public var textSummary: String {
        let s = model.scenario
        let final = summary.final
        let table = model.lifeTable
        func f(_ v: Double?, _ d: Int = 4) -> String { v.map { NumberFormatting.fixed($0, decimals: d) } ?? "–" }
        var lines: [String] = []
        lines.append("\(s.name.isEmpty ? "scenario" : s.name)")
        lines.append("  \(model.replicates) replicates × \(model.years) years (\(model.startYear)–\(model.startYear + model.years)), seed \(model.seed); initial N \(f(summary.years[0].nAll.mean, 1))")
        var growth = "  growth: model λ \(f(model.projection.lambda))"
        if let free = model.threatFreeProjection { growth += " with this scenario's threats (\(f(free.lambda)) without)" }
        growth += "; stochastic r \(f(summary.growth.mean)) (SE \(f(summary.growth.se)))"
        lines.append(growth)
        let ci = final.extinct.wilson95
        lines.append("  P(extinct by \(final.year)) = \(f(final.extinct.estimate)) (SE \(f(final.extinct.standardError)); 95 % \(f(ci?.low))–\(f(ci?.high))); extinction = \(extinctionDefinition)")
        lines.append("  N in \(final.year): extant \(f(final.nExtant.mean, 1)) (SD \(f(final.nExtant.sd, 1))), all \(f(final.nAll.mean, 1)) (SD \(f(final.nAll.sd, 1))); median TE \(summary.medianTimeToExtinction.map(String.init) ?? "–"), mean TE \(f(summary.meanTimeToExtinction, 1))")
        lines.append("  Vortex-convention life table (breeding as an unconditional yearly share, no threats): λ \(f(table.lambda)), r \(f(table.r)), R0 \(f(table.netReproductiveRate)), T \(f(table.generationTime, 2))")
        return lines.joined(separator: "\n") + "\n"
    }
}

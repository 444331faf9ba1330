/// The per-replicate outputs, `replicates.csv` and `trajectories.csv`: their
/// columns declared once, their lines formatted from a `ReplicateRecord` as
/// the replicate finishes (by the worker that ran it), so nothing per
/// replicate stays in memory.
public struct ReplicateTables: Sendable {
    public let startYear: Int
    public let years: Int
    /// `replicates.csv` (one row per replicate) and `trajectories.csv` (N of every replicate in every year).
    public let replicates: OutputTable<ReplicateRecord>
    public let trajectories: OutputTable<TrajectoryRow>

    public init(model: EngineModel) {
        startYear = model.startYear
        years = model.years
        replicates = Self.replicatesTable(startYear: startYear, years: years)
        let names = model.spatial.map { sp in model.targetRegions.map { sp.landscape.regions[$0].name } } ?? []
        trajectories = Self.trajectoriesTable(startYear: startYear, targets: names, minimumAge: model.targets.minimumAge)
    }

    static func replicatesTable(startYear: Int, years: Int) -> OutputTable<ReplicateRecord> {
        typealias C = OutputColumn<ReplicateRecord>
        return OutputTable([
            C("replicate", "replicate index (0-based; its random streams come from the seed and this index)") { .integer($0.index) },
            C("extinctionYear", "calendar year of first extinction (empty if never)") { CSVTable.optional($0.extinctionYear.map { startYear + $0 }) },
            C("extinctionT", "simulation year of first extinction") { CSVTable.optional($0.extinctionYear) },
            C("finalN", "N in the final year") { .integer($0.n(years)) },
            C("finalFemales", "females in the final year") { .integer(Int($0.females[years])) },
            C("finalMales", "males in the final year") { .integer(Int($0.males[years])) },
            C("minN", "smallest N at any census") { r in .integer((0...years).map { r.n($0) }.min() ?? 0) },
            C("meanR", "mean r over its extant years") { .real($0.rCount > 0 ? $0.rSum / Double($0.rCount) : nil) },
            C("rYears", "extant years with an r") { .integer($0.rCount) },
            C("harvested", "animals harvested") { .integer($0.harvested) },
            C("harvestShortfall", "animals a harvest wanted but did not find") { .integer($0.harvestShortfall) },
            C("supplemented", "animals released from captivity (supplementation and captive releases)") { .integer($0.supplemented) },
            C("translocated", "wild animals moved by translocations") { .integer($0.translocated) },
            C("releaseShortfall", "animals a translocation wanted but did not find in its source region") { .integer($0.releaseShortfall) },
        ])
    }

    /// A row of `trajectories.csv`: one replicate in one year.
    public struct TrajectoryRow: Sendable {
        public var record: ReplicateRecord
        public var t: Int
    }

    /// With target regions, a column per target: animals aged at least `minimumAge` there.
    static func trajectoriesTable(startYear: Int, targets: [String] = [], minimumAge: Int = 1) -> OutputTable<TrajectoryRow> {
        typealias C = OutputColumn<TrajectoryRow>
        return OutputTable([
            C("replicate", "replicate index") { .integer($0.record.index) },
            C("year", "calendar year") { .integer(startYear + $0.t) },
            C("t", "simulation year") { .integer($0.t) },
            C("N", "animals at the census") { .integer($0.record.n($0.t)) },
            C("females", "females at the census") { .integer(Int($0.record.females[$0.t])) },
            C("males", "males at the census") { .integer(Int($0.record.males[$0.t])) },
        ] + targets.enumerated().map { k, name in
            C("N\(minimumAge)+ \(name)", "animals aged \(minimumAge) or more in target region \(name) at the census") { .integer($0.record.target(k, t: $0.t)) }
        })
    }

    /// The lines one replicate adds to each file.
    public func lines(_ record: ReplicateRecord) -> (replicates: String, trajectories: String) {
        var trajectory = ""
        for t in 0...years { trajectory += trajectories.line(TrajectoryRow(record: record, t: t)) }
        return (replicates.line(record), trajectory)
    }
}

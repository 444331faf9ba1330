import Foundation

/// The CSV outputs written at the end of a run, each declared once as its
/// columns (name, meaning, value), and the landscape part of `summary.json`.
extension RunReport {
    /// A row of `yearly.csv`: the year's statistics and its deaths by cause (Σ over replicates).
    public struct YearRow: Sendable {
        public var stats: YearStatistics
        public var deaths: [Int]
        /// Breeding-age females that did not breed, by `NonBreedingReason` (Σ over replicates).
        public var notBred: [Int]
        public var replicates: Int
        /// Per `GeneticMeasure`: mean and SD over the replicates with animals alive (empty without genetics).
        public var genetics: [(mean: Double?, sd: Double?)] = []
        /// Habitat in the female territories (km²) and their mean prey index: mean and SD over
        /// all replicates (landscape only).
        public var habitat: (mean: Double?, sd: Double?) = (nil, nil)
        public var prey: (mean: Double?, sd: Double?) = (nil, nil)
        /// Names of the interventions in force in the year, |-separated.
        public var interventions = ""
    }

    var yearRows: [YearRow] {
        summary.years.map { y in
            YearRow(stats: y, deaths: DeathCause.allCases.map { result.tallies.deaths($0, t: y.t) },
                    notBred: NonBreedingReason.allCases.map { result.tallies.notBred($0, t: y.t) }, replicates: summary.replicates,
                    genetics: model.genetics == nil ? [] : GeneticMeasure.allCases.map { result.census.genetic($0, t: y.t) },
                    habitat: result.census.habitat(t: y.t, prey: false), prey: result.census.habitat(t: y.t, prey: true),
                    interventions: model.interventions.filter { $0.isActive(inYear: y.year) && y.t > 0 }.map(\.name).joined(separator: "|"))
        }
    }

    /// `yearly.csv`: one row per census year, year 0 included.
    public static func yearlyTable(thresholds: [Int], genetics: Bool = false, landscape: Bool = false) -> OutputTable<YearRow> {
        typealias C = OutputColumn<YearRow>
        var columns: [C] = [
            C("year", "calendar year") { .integer($0.stats.year) },
            C("t", "simulation year (0 = the initial census)") { .integer($0.stats.t) },
            C("PE", "P(extinct by this year); extinction is absorbing") { .real($0.stats.extinct.estimate) },
            C("PESE", "its standard error") { .real($0.stats.extinct.standardError) },
            C("PELow95", "Wilson 95 % interval, low") { .real($0.stats.extinct.wilson95?.low) },
            C("PEHigh95", "Wilson 95 % interval, high") { .real($0.stats.extinct.wilson95?.high) },
            C("PFirstExtinction", "P(first extinction in this year)") { .real($0.stats.firstExtinction.estimate) },
        ]
        columns += OutputColumn.descriptive("NAll", "N over all replicates").map { $0.on { $0.stats.nAll } }
        columns += OutputColumn.descriptive("NExtant", "N over replicates not extinct by this year").map { $0.on { $0.stats.nExtant } }
        columns += [
            C("FemalesAllMean", "mean females, all replicates") { .real($0.stats.femalesAllMean) },
            C("MalesAllMean", "mean males, all replicates") { .real($0.stats.malesAllMean) },
            C("FemalesExtantMean", "mean females, extant replicates") { .real($0.stats.femalesExtantMean) },
            C("MalesExtantMean", "mean males, extant replicates") { .real($0.stats.malesExtantMean) },
        ]
        for (k, x) in thresholds.enumerated() {
            columns.append(C("PBelow\(x)", "P(N < \(x) in this year)") { .real($0.stats.quasi[k].now.estimate) })
            columns.append(C("PEverBelow\(x)", "P(N < \(x) in some year up to this one)") { .real($0.stats.quasi[k].interval.estimate) })
        }
        for (i, cause) in DeathCause.allCases.enumerated() {
            columns.append(C(cause.columnName, "mean deaths per replicate in the year by cause \(cause.name)") { .real(Double($0.deaths[i]) / Double($0.replicates)) })
        }
        for reason in NonBreedingReason.allCases {
            columns.append(C("NotBred" + reason.name.prefix(1).uppercased() + reason.name.dropFirst(),
                             "mean breeding-age females per replicate that did not breed in the year, reason \(reason.name) (each counted once; see NonBreedingReason)") {
                .real(Double($0.notBred[reason.rawValue]) / Double($0.replicates))
            })
        }
        if genetics {
            for m in GeneticMeasure.allCases {
                columns.append(C(m.name + "Mean", m.meaning + ": mean over replicates with animals alive") { .real($0.genetics[m.rawValue].mean) })
                columns.append(C(m.name + "SD", "its standard deviation over those replicates") { .real($0.genetics[m.rawValue].sd) })
            }
        }
        if landscape {
            columns += [
                C("TerritoryHabitatKm2Mean", "km² of full-quality habitat (suitability × min(prey, 1) × area) in the female territories: mean over all replicates") { .real($0.habitat.mean) },
                C("TerritoryHabitatKm2SD", "its standard deviation over replicates") { .real($0.habitat.sd) },
                C("TerritoryPreyIndexMean", "mean prey index over the cells of the female territories: mean over all replicates") { .real($0.prey.mean) },
                C("TerritoryPreyIndexSD", "its standard deviation over replicates") { .real($0.prey.sd) },
                C("Interventions", "interventions in force in the year, |-separated") { .text($0.interventions) },
            ]
        }
        return OutputTable(columns)
    }

    var yearlyTable: OutputTable<YearRow> {
        Self.yearlyTable(thresholds: model.quasiExtinctionThresholds, genetics: model.genetics != nil, landscape: model.spatial != nil)
    }

    /// `classes.csv`: N by sex and age class (the mortality classes) per year.
    public static func classesTable(labels: [String], startYear: Int) -> OutputTable<ClassYearStatistics> {
        typealias C = OutputColumn<ClassYearStatistics>
        return OutputTable([
            C("year", "calendar year") { .integer(startYear + $0.t) },
            C("t", "simulation year") { .integer($0.t) },
            C("sex", "female or male") { .text($0.sex.name) },
            C("class", "age class (the mortality classes)") { .text(labels[$0.ageClass]) },
        ] + OutputColumn.descriptive("NAll", "N of the class over all replicates").map { $0.on { $0.all } }
          + OutputColumn.descriptive("NExtant", "N of the class over extant replicates").map { $0.on { $0.extant } })
    }

    var classesTable: OutputTable<ClassYearStatistics> {
        Self.classesTable(labels: (0..<model.classCount).map { model.classLabel($0) }, startYear: model.startYear)
    }

    /// `regions.csv`: per year and region, counts over all replicates (mean, SD and the 5,
    /// 50 and 95 % quantiles) and the region's extinction and persistence.
    public static func regionsTable(names: [String], startYear: Int, genetics: Bool = false) -> OutputTable<RegionYearStatistics> {
        typealias C = OutputColumn<RegionYearStatistics>
        func counts(_ prefix: String, _ what: String, _ part: @escaping @Sendable (RegionYearStatistics) -> Descriptive) -> [C] {
            [C(prefix + "Mean", "mean \(what)") { .real(part($0).mean) },
             C(prefix + "SD", "SD of \(what) over replicates") { .real(part($0).sd) },
             C(prefix + "Q05", "5 % quantile of \(what)") { .real(part($0).quantiles[0]) },
             C(prefix + "Q50", "median of \(what)") { .real(part($0).quantiles[2]) },
             C(prefix + "Q95", "95 % quantile of \(what)") { .real(part($0).quantiles[4]) }]
        }
        return OutputTable([
            C("year", "calendar year") { .integer(startYear + $0.t) },
            C("t", "simulation year") { .integer($0.t) },
            C("region", "region name") { .text(names[$0.region]) },
        ] + counts("N", "animals in the region", { $0.n })
          + counts("TerritorialAdults", "territory holders at or past their first breeding age (able to breed)", { $0.territorialAdults })
          + counts("SubadultHolders", "territory holders within a year of their first breeding age (not yet able to breed)", { $0.subadultHolders })
          + counts("Floaters", "independent animals without a territory", { $0.floaters })
          + [C("PExtinct", "share of replicates with nobody in the region this year") { .real($0.extinct.estimate) },
             C("PPersist", "share of replicates with somebody in the region in every year so far") { .real($0.persisting.estimate) }]
          + DeathCause.allCases.enumerated().map { i, cause in
              C(cause.columnName, "mean deaths per replicate in the year by cause \(cause.name) among animals in the region") { .real($0.deaths[i]) }
          }
          + (genetics ? GeneticMeasure.regional.enumerated().flatMap { k, m in
              [C(m.name + "Mean", m.meaning + " in the region: mean over replicates with animals there") { .real($0.genetics[k].mean) },
               C(m.name + "SD", "its standard deviation over those replicates") { .real($0.genetics[k].sd) }]
          } : []))
    }

    var regionsTable: OutputTable<RegionYearStatistics> {
        Self.regionsTable(names: model.spatial?.landscape.regions.map(\.name) ?? [], startYear: model.startYear, genetics: model.genetics != nil)
    }

    /// A cell of `occupancy.csv`.
    public struct OccupancyRow: Sendable {
        public var column: Int, row: Int
        public var x: Double, y: Double
        public var regions: String
        public var occupied: Int, occupiedExtant: Int
        public var replicates: Int, extant: Int
    }

    var occupancyRows: [OccupancyRow] {
        guard let sp = model.spatial else { return [] }
        let l = sp.landscape
        let extant = summary.replicates - summary.final.extinct.successes
        // Only cells some replicate occupied: the rest are 0 (or, outside territories, can never
        // be occupied), and a map of 10⁷ cells would otherwise write 10⁷ rows.
        return (0..<l.cellCount).filter { result.tallies.occupancy[$0] > 0 }.map { c in
            let p = l.centre(c)
            return OccupancyRow(column: l.column(c), row: l.row(c), x: p.x, y: p.y,
                                regions: l.regions(of: c).map { l.regions[Int($0)].name }.joined(separator: "|"),
                                occupied: result.tallies.occupancy[c], occupiedExtant: result.tallies.occupancyExtant[c],
                                replicates: summary.replicates, extant: extant)
        }
    }

    /// `occupancy.csv`: every cell a resident's territory covered in the final year of at least
    /// one replicate, with the share of replicates in which one did (cells not listed: 0).
    public static var occupancyTable: OutputTable<OccupancyRow> {
        typealias C = OutputColumn<OccupancyRow>
        return OutputTable([
            C("column", "grid column (0 = west)") { .integer($0.column) },
            C("row", "grid row (0 = north)") { .integer($0.row) },
            C("x", "cell centre, km east of the map's south-west corner") { .fixed($0.x, decimals: 1) },
            C("y", "cell centre, km north of the map's south-west corner") { .fixed($0.y, decimals: 1) },
            C("region", "regions holding the cell, |-separated") { .text($0.regions) },
            C("occupancy", "share of all replicates with a resident's territory on the cell in the final year") {
                .real(Double($0.occupied) / Double($0.replicates))
            },
            C("occupancyExtant", "the same among replicates not extinct in the final year (empty when none is)") {
                $0.extant > 0 ? .real(Double($0.occupiedExtant) / Double($0.extant)) : .missing
            },
        ])
    }

    var occupancyTable: OutputTable<OccupancyRow> { Self.occupancyTable }

    /// The `landscape` object of summary.json.
    var landscapeJSON: JSONOutput? {
        guard let sp = model.spatial else { return nil }
        let l = sp.landscape
        let n = summary.replicates
        let t = model.years
        let regions = l.regions.enumerated().map { r, region -> JSONOutput in
            let stats = summary.region(r, t: t)
            let females = sp.layout.femaleTerritoriesInRegion[r].count, males = sp.layout.maleTerritoriesInRegion[r].count
            return .object([
                "name": .string(region.name),
                "areaKm2": .real(Double(region.cells.count) * l.cellArea, decimals: 0),
                "habitatKm2": .real(Double(sp.habitatCells[r].count) * l.cellArea, decimals: 0),
                "femaleTerritories": .integer(females),
                "maleTerritories": .integer(males),
                "finalNMean": .real(stats.n.mean), "finalTerritorialAdultsMean": .real(stats.territorialAdults.mean),
                "finalTerritorialAdultsSD": .real(stats.territorialAdults.sd), "finalFloatersMean": .real(stats.floaters.mean),
                "finalPExtinct": .real(stats.extinct.estimate), "finalPPersist": .real(stats.persisting.estimate),
                "finalShareOfFemaleTerritoriesHeld": .real(females > 0 ? Double(result.tallies.occupiedFemaleTerritories[r]) / Double(n * females) : nil),
                "finalShareOfMaleTerritoriesHeld": .real(males > 0 ? Double(result.tallies.occupiedMaleTerritories[r]) / Double(n * males) : nil),
            ])
        }
        return .object([
            "columns": .integer(l.columns), "rows": .integer(l.rows), "cellSizeKm": .number(l.cellSize),
            "habitatCells": .integer(l.habitatCellCount),
            "femaleTerritories": .integer(sp.layout.female.count), "maleTerritories": .integer(sp.layout.male.count),
            "femaleRequirementKm2": .number(sp.settings.territories.femaleRequirement),
            "poachingPressure": .string("the poaching layer is normalised to mean 1 over habitat cells; its raw mean there was "
                                        + NumberFormatting.fixed(l.poachingRawMean, decimals: 4)),
            "regions": .array(regions),
        ])
    }
}

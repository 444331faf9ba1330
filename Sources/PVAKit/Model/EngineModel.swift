import Foundation

/// Everything the engine needs, compiled once from a scenario and shared
/// read-only by all replicates (a class, so that reading it never copies it). The stages of the year read only this (never
/// the raw scenario): rates as tables and samplers, schedules with their
/// regions as indices, the active hazard components, the static landscape.
public final class EngineModel: Sendable {
    /// The scenario as decoded, for reports (the engine does not read it).
    public let scenario: Scenario

    // Run.
    public let startYear: Int
    public let years: Int
    public let replicates: Int
    public let seed: UInt64
    let extinction: ExtinctionDefinition
    let quasiExtinctionThresholds: [Int]

    // Life history.
    let species: Species
    let maxAge: Int
    let dependency: Bool
    /// Young leave their mother's care at this age (dependency rules; UInt8.max otherwise).
    let independenceAge: Int
    /// Last breeding age by sex [female, male].
    let lastBreedingAge: [Int]
    let maleBreedingPool: Double
    let requiresMale: Bool
    let minimumInterval: Int
    let maleShareAtBirth: Double
    /// Output and mortality class of each age 0…maxAge, and the ages of each class.
    let classOfAge: [Int]
    let classAges: [ClosedRange<Int>]
    public let classCount: Int
    let litter: LitterSampler
    let maturity: [MaturitySampler]

    // Environment.
    /// Mortality EV per class and sex: [class][sex].
    let mortalityEV: [[EnvironmentalRate]]
    let breedingEV: EnvironmentalRate
    let densityDependence: DensityDependence?
    let evDistribution: EVDistribution
    let evCorrelation: Double
    let hasEV: Bool
    let catastrophes: [Catastrophe]
    let capacity: CarryingCapacity?

    // Threats: the hazard components in force besides base mortality, in the order
    // their hazards are added and their causes drawn.
    let threats: [HazardComponent]
    /// Poaching hazard at pressure 1 by simulation year t (0…years), and the youngest age poached.
    let poachingHazard: [Double]
    let poachingMinimumAge: Int

    // Schedules.
    let harvests: [Harvest]
    let releases: [CompiledRelease]
    /// Last simulation year in which animals are added (−1 if never): an empty
    /// population before it may still be restocked.
    let lastReleaseT: Int
    let initial: [InitialTemplate]

    /// The columns the animal table needs.
    let features: ColumnFeatures

    // Deterministic figures.
    public let lifeTable: VortexLifeTable
    /// The model projection with threats at pressure 1 (`lambdaModel`).
    public let projection: FamilyProjection
    /// The same without threats (reported when there are threats).
    public let threatFreeProjection: FamilyProjection?

    public let spatial: SpatialModel?

    /// A scheduled release with its region compiled to an index.
    struct CompiledRelease: Sendable {
        var schedule: Schedule
        var animals: [AnimalCount]
        /// Placement region index (nil = anywhere on the map).
        var region: Int?
    }

    /// The model of a scenario the decoder accepted. Use `compile` for one that must
    /// also pass the checks the engine relies on.
    public init(scenario: Scenario, keepsPedigree: Bool = false) {
        self.scenario = scenario
        let run = scenario.run
        startYear = run.startYear
        years = run.years
        replicates = run.replicates
        seed = run.seed
        extinction = run.extinction
        quasiExtinctionThresholds = run.quasiExtinctionThresholds

        let species = scenario.species
        self.species = species
        maxAge = species.maximumAge
        dependency = species.usesDependency
        independenceAge = species.usesDependency ? species.independenceAge : Int(UInt8.max)
        lastBreedingAge = [species.females.lastBreedingAge, species.males.lastBreedingAge]
        maleBreedingPool = species.maleBreedingPool
        requiresMale = species.breeding.requiresMale
        minimumInterval = species.breeding.minimumInterval
        maleShareAtBirth = species.sexRatioAtBirth
        classOfAge = (0...species.maximumAge).map { species.mortalityClassIndex(age: $0) }
        classCount = species.mortality.count
        classAges = species.mortality.indices.map { c in
            species.mortality[c].fromAge...(c + 1 < species.mortality.count ? species.mortality[c + 1].fromAge - 1 : species.maximumAge)
        }
        litter = LitterSampler(species.litterSize)
        maturity = [MaturitySampler(species.females.firstBreedingAge), MaturitySampler(species.males.firstBreedingAge)]

        let distribution = scenario.environment.distribution
        mortalityEV = species.mortality.map { c in
            [EnvironmentalRate(mean: c.female, sd: c.evSD, distribution: distribution),
             EnvironmentalRate(mean: c.male, sd: c.evSD, distribution: distribution)]
        }
        breedingEV = EnvironmentalRate(mean: species.breeding.probability, sd: species.breeding.evSD, distribution: distribution)
        densityDependence = species.breeding.densityDependence
        evDistribution = distribution
        evCorrelation = scenario.environment.correlation
        hasEV = species.breeding.evSD > 0 || species.mortality.contains { $0.evSD > 0 }
        catastrophes = scenario.catastrophes
        capacity = scenario.carryingCapacity

        let poaching = scenario.threats.poaching
        poachingHazard = (0...run.years).map { t in hazard(ofProbability: poaching?.probability(inYear: run.startYear + t) ?? 0) }
        poachingMinimumAge = poaching?.minimumAge ?? Int.max
        var threats: [HazardComponent] = []
        if poaching != nil { threats.append(.poaching) }
        if scenario.spatial != nil { threats.append(.road) }
        self.threats = threats

        let regionIndex = { (name: String?) -> Int? in name.flatMap { n in scenario.spatial?.landscape.regionIndex(named: n) } }
        harvests = scenario.harvests
        releases = scenario.supplements.map { CompiledRelease(schedule: $0.schedule, animals: $0.animals, region: regionIndex($0.region)) }
        lastReleaseT = scenario.supplements.map { $0.schedule.endYear - run.startYear }.max() ?? -1

        var features: ColumnFeatures = .core
        if species.usesDependency { features.insert(.dependency) }
        if scenario.spatial != nil { features.insert(.spatial) }
        // Fathers (and so a pedigree: ids and both parents for life) are drawn and recorded where
        // something reads them: genetics, or a caller that asks (`keepsPedigree`).
        if keepsPedigree { features.insert(.pedigree) }
        if !scenario.supplements.isEmpty { features.insert(.releases) }
        self.features = features

        lifeTable = VortexLifeTable(species: species, catastrophes: scenario.catastrophes)
        let threatFree = MeanRates(species: species, catastrophes: scenario.catastrophes)
        if let poaching {
            // Poaching at pressure 1 in the first simulated year, as an extra competing hazard.
            var rates = threatFree
            let keep = 1 - poaching.probability(inYear: run.startYear + 1)
            for sex in 0..<2 {
                for age in min(poaching.minimumAge, rates.survival[sex].count)..<rates.survival[sex].count { rates.survival[sex][age] *= keep }
            }
            projection = FamilyProjection(species: species, rates: rates)
            threatFreeProjection = FamilyProjection(species: species, rates: threatFree)
        } else {
            projection = FamilyProjection(species: species, rates: threatFree)
            threatFreeProjection = nil
        }
        spatial = scenario.spatial.map { SpatialModel(settings: $0) }
        let projection = self.projection
        initial = scenario.initialPopulation.map {
            InitialTemplate(group: $0, species: species, projection: projection, region: regionIndex($0.region))
        }
    }

    /// The model of `scenario`, or every reason it cannot be run, as issues naming
    /// `file` and the JSON path: the checks the engine relies on beyond decoding.
    /// `pva validate` and `pva run` both come through here.
    public static func compile(_ scenario: Scenario, file: String) throws(ScenarioErrors) -> EngineModel {
        let model = EngineModel(scenario: scenario)
        var issues: [ScenarioIssue] = []
        func add(_ path: String, _ message: String, got: String? = nil) {
            issues.append(ScenarioIssue(file: file, path: path, message: message, got: got))
        }
        if let sp = model.spatial {
            let l = sp.landscape
            if sp.layout.female.isEmpty {
                add("landscape.territories.femaleRequirement",
                    "no female territory fits on the map: no contiguous habitat reaches the requirement within femaleMaximumArea",
                    got: NumberFormatting.shortest(sp.settings.territories.femaleRequirement))
            }
            for (i, region) in l.regions.enumerated() where sp.habitatCells[i].isEmpty {
                add("landscape.regions[\(i)]", "region \"\(region.name)\" holds no habitat cell (\(region.cells.count) cells on the map), so no animal can be placed or counted there")
            }
            for (i, group) in scenario.initialPopulation.enumerated() where group.region == nil && sp.habitatCells[l.regions.count].isEmpty {
                add("initialPopulation[\(i)]", "the map has no habitat to place animals on")
            }
        }
        let placed = model.initial.reduce(0) { $0 + $1.totalAnimals }
        if placed == 0 {
            add("initialPopulation", "places no animal")
        }
        guard issues.isEmpty else { throw ScenarioErrors(issues) }
        return model
    }

    /// Regions reported (spatial scenarios).
    public var regionCount: Int { spatial?.landscape.regions.count ?? 0 }

    /// Human-readable label of output class `c` ("0", "1", "2-3", "4+").
    public func classLabel(_ c: Int) -> String {
        let ages = classAges[c]
        if c + 1 == classCount { return ages.count == 1 ? "\(ages.lowerBound)" : "\(ages.lowerBound)+" }
        return ages.count == 1 ? "\(ages.lowerBound)" : "\(ages.lowerBound)-\(ages.upperBound)"
    }
}

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
    /// Distemper (nil: none).
    let disease: DiseaseThreat?
    /// Interventions, their places resolved (spatial scenarios).
    let interventions: [CompiledIntervention]
    /// Per intervention, the efficacy of its vaccine (0 for the others).
    let vaccineEfficacy: [Double]

    // Schedules.
    let harvests: [Harvest]
    /// Per harvest, the cells of its region (nil: everywhere).
    let harvestCovers: [[Bool]?]
    let releases: [CompiledRelease]
    /// Kinship and F of each captive release source (0: supplementation's).
    let captiveSources: [(kinship: Double, inbreeding: Double)]
    /// Some release holds its animals in an enclosure for a year; some sends them walking.
    let hasEnclosures: Bool
    let hasReleaseDispersal: Bool
    /// The second-population question: its settings and the target regions (those named in
    /// `targets`, then every region a release group sets animals down in).
    public let targets: TargetSettings
    public let targetRegions: [Int]
    /// Last simulation year in which animals are added (−1 if never): an empty
    /// population before it may still be restocked.
    let lastReleaseT: Int
    let initial: [InitialTemplate]

    /// The columns the animal table needs.
    let features: ColumnFeatures
    /// Pedigree inbreeding, gene drop and lethals (nil: no genetics).
    public let genetics: GeneticsSettings?

    // Deterministic figures.
    public let lifeTable: VortexLifeTable
    /// The model projection with threats at pressure 1 (`lambdaModel`).
    public let projection: FamilyProjection
    /// The same without threats (reported when there are threats).
    public let threatFreeProjection: FamilyProjection?

    public let spatial: SpatialModel?

    // Rates given as functions (see `FunctionVariables`).
    let variables: FunctionVariables
    let breedingFunction: CompiledExpression?
    /// Per class and sex, [class][sex].
    let mortalityFunctions: [[CompiledExpression?]]
    let capacityFunction: CompiledExpression?
    let hasMortalityFunctions: Bool

    /// Individuals, or class counts (`run.mode`).
    public let mode: SimulationMode

    /// The model of a scenario the decoder accepted. Use `compile` for one that must
    /// also pass the checks the engine relies on.
    public init(scenario: Scenario, keepsPedigree: Bool = false) {
        self.scenario = scenario
        let run = scenario.run
        startYear = run.startYear
        years = run.years
        replicates = run.replicates
        seed = run.seed
        mode = run.mode
        extinction = run.extinction
        quasiExtinctionThresholds = run.quasiExtinctionThresholds

        // Rates given as functions enter the deterministic figures and the initial structure at
        // their values at the initial conditions (see `nominal`).
        let species = Self.nominal(scenario)
        self.species = species
        variables = scenario.variables
        breedingFunction = scenario.species.breeding.probabilityFunction
        mortalityFunctions = scenario.species.mortality.map { [$0.femaleFunction, $0.maleFunction] }
        capacityFunction = scenario.carryingCapacity?.kFunction
        hasMortalityFunctions = mortalityFunctions.contains { $0.contains { $0 != nil } }
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
        hasEV = species.breeding.evSD > 0 || species.mortality.contains { $0.evSD > 0 } || (scenario.carryingCapacity?.evSD ?? 0) > 0
        catastrophes = scenario.catastrophes
        capacity = scenario.carryingCapacity

        let poaching = scenario.threats.poaching
        poachingHazard = (0...run.years).map { t in hazard(ofProbability: poaching?.probability(inYear: run.startYear + t) ?? 0) }
        poachingMinimumAge = poaching?.minimumAge ?? Int.max
        var threats: [HazardComponent] = []
        if poaching != nil { threats.append(.poaching) }
        if scenario.spatial != nil { threats.append(.road) }
        if let g = scenario.genetics, g.hazardPerF > 0 || g.lethalPart > 0 { threats.append(.inbreeding) }
        disease = scenario.threats.disease
        if disease != nil { threats.append(.disease) }
        genetics = scenario.genetics

        let regionIndex = { (name: String?) -> Int? in name.flatMap { n in scenario.spatial?.landscape.regionIndex(named: n) } }
        harvests = scenario.harvests
        harvestCovers = scenario.harvests.map { h in
            h.region.flatMap { name in
                scenario.spatial.map { sp in sp.landscape.marks(sp.landscape.regions[sp.landscape.regionIndex(named: name)!].cells) }
            }
        }
        releases = CompiledRelease.all(scenario)
        captiveSources = CompiledRelease.captiveGenetics(scenario)
        lastReleaseT = releases.map { $0.schedule.endYear - run.startYear + ($0.enclosed ? 1 : 0) }.max() ?? -1
        hasEnclosures = releases.contains { $0.enclosed }
        hasReleaseDispersal = releases.contains { $0.dispersalProbability > 0 }
        if releases.contains(where: { $0.hazard > 0 }) { threats.append(.release) }
        targets = scenario.targets ?? TargetSettings()
        var targetRegions = targets.regions.compactMap { regionIndex($0) }
        for g in scenario.releases.groups {
            if case .region(let name) = g.place, let k = regionIndex(name), !targetRegions.contains(k) { targetRegions.append(k) }
        }
        self.targetRegions = targetRegions
        self.threats = threats

        var features: ColumnFeatures = .core
        if species.usesDependency { features.insert(.dependency) }
        if scenario.spatial != nil { features.insert(.spatial) }
        // Fathers (and so a pedigree: ids and both parents for life) are drawn and recorded where
        // something reads them: genetics, or a caller that asks (`keepsPedigree`).
        if keepsPedigree || scenario.genetics != nil { features.insert(.pedigree) }
        if scenario.genetics != nil { features.insert(.genetics) }
        if !releases.isEmpty { features.insert(.releases) }
        if scenario.interventions.contains(where: { if case .vaccination = $0.action { return true } else { return false } }) {
            features.insert(.vaccination)
        }
        self.features = features

        lifeTable = VortexLifeTable(species: species, catastrophes: scenario.catastrophes)
        let threatFree = MeanRates(species: species, catastrophes: scenario.catastrophes)
        if poaching != nil || disease != nil {
            // Poaching at pressure 1 in the first simulated year and distemper's expected yearly
            // toll (outbreak probability × exposure × fatality), as extra competing hazards.
            var rates = threatFree
            let spread = disease.map { 1 - $0.outbreakProbability * $0.exposure * $0.fatality } ?? 1
            let poached = poaching.map { 1 - $0.probability(inYear: run.startYear + 1) } ?? 1
            for sex in 0..<2 {
                for age in rates.survival[sex].indices {
                    rates.survival[sex][age] *= spread * (age >= (poaching?.minimumAge ?? Int.max) ? poached : 1)
                }
            }
            projection = FamilyProjection(species: species, rates: rates)
            threatFreeProjection = FamilyProjection(species: species, rates: threatFree)
        } else {
            projection = FamilyProjection(species: species, rates: threatFree)
            threatFreeProjection = nil
        }
        spatial = scenario.spatial.map { SpatialModel(settings: $0, threats: scenario.threats, interventions: scenario.interventions) }
        interventions = spatial?.interventions ?? []
        vaccineEfficacy = interventions.map { if case .vaccination(_, _, let e, _) = $0.action { return e } else { return 0 } }
        let projection = self.projection
        initial = scenario.initialPopulation.map {
            InitialTemplate(group: $0, species: species, projection: projection, region: regionIndex($0.region))
        }
    }

    /// The scenario's species with every rate that depends on the state (a function, or
    /// density-dependent breeding) replaced by its value at the initial conditions: N the
    /// animals the initial groups name (adults, total or listed), K the year-0 K (its
    /// function's value at that N), year 0, each class's first age. The deterministic
    /// figures and the initial structure use these.
    static func nominal(_ scenario: Scenario) -> Species {
        var species = scenario.species
        guard scenario.hasFunctions || species.breeding.densityDependence != nil else { return species }
        let n0 = Double(scenario.initialPopulation.reduce(0) { total, group in
            switch group.composition {
            case .adults(let f, let m): return total + f + m
            case .total(let n): return total + n
            case .individuals(let list): return total + list.reduce(0) { $0 + $1.count }
            }
        })
        var values = scenario.variables.values()
        values[FunctionVariables.Letter.n.rawValue] = n0
        values[FunctionVariables.Letter.y.rawValue] = 0
        values[FunctionVariables.Letter.year.rawValue] = Double(scenario.run.startYear)
        var k0 = scenario.carryingCapacity?.k ?? 0
        if let f = scenario.carryingCapacity?.kFunction { k0 = values.withUnsafeBufferPointer { f.evaluate($0) } }
        values[FunctionVariables.Letter.k.rawValue] = k0
        if let f = species.breeding.probabilityFunction {
            species.breeding.probability = min(1, max(0, values.withUnsafeBufferPointer { f.evaluate($0) }))
        } else if let dd = species.breeding.densityDependence {
            species.breeding.probability = dd.probability(n: Int(n0), k: k0)
        }
        for c in species.mortality.indices {
            values[FunctionVariables.Letter.a.rawValue] = Double(species.mortality[c].fromAge)
            for sex in Sex.allCases {
                guard let f = species.mortality[c].function(sex) else { continue }
                values[FunctionVariables.Letter.s.rawValue] = Double(sex.rawValue)
                let v = min(1, max(0, values.withUnsafeBufferPointer { f.evaluate($0) }))
                if sex == .female { species.mortality[c].female = v } else { species.mortality[c].male = v }
            }
        }
        return species
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
        if model.mode != .individual {
            let mode = "run.mode \"\(model.mode.rawValue)\" simulates counts by age and sex"
            if scenario.spatial != nil {
                add("landscape", "\(mode), with no landscape: remove the landscape or use mode \"individual\"")
            }
            if scenario.threats.disease != nil {
                add("threats.disease", "\(mode), without distemper (a hazard of individuals): remove it or use mode \"individual\"")
            }
            if scenario.species.convention != .vortex {
                add("species.convention", "\(mode), which cannot follow mothers and their young: use convention \"vortex\" or mode \"individual\"",
                    got: scenario.species.convention.rawValue)
            }
            for sex in Sex.allCases where scenario.species.lifeHistory(sex).firstBreedingAge.ages.count > 1 {
                add("species.\(sex == .female ? "females" : "males").firstBreedingAge",
                    "\(mode), so every animal of a sex must start breeding at one age: give a single age or use mode \"individual\"")
            }
            if scenario.species.breeding.minimumInterval > 1 {
                add("species.breeding.minimumInterval", "\(mode), which does not remember when each female last bred: use 1 or mode \"individual\"",
                    got: String(scenario.species.breeding.minimumInterval))
            }
        }
        let placed = model.initial.reduce(0) { $0 + $1.totalAnimals }
        if placed == 0 {
            add("initialPopulation", "places no animal")
        }
        guard issues.isEmpty else { throw ScenarioErrors(issues) }
        return model
    }

    /// The model of the same scenario without its translocations (what the source regions
    /// would have been without the removals); nil when it has none.
    public var withoutTranslocations: EngineModel? {
        guard scenario.releases.hasTranslocations else { return nil }
        var s = scenario
        s.releases = s.releases.withoutTranslocations
        return EngineModel(scenario: s)
    }

    /// Extinct by the scenario's definition with `females` and `males` alive.
    func isExtinct(females: Int, males: Int) -> Bool {
        switch extinction {
        case .oneSexRemains: return females == 0 || males == 0
        case .belowThreshold(let x): return females + males < x
        }
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

import Foundation

/// Samples an age at first breeding from a sex's distribution.
struct MaturitySampler: Sendable {
    let ages: [Int]
    let cumulative: [Double]

    init(_ d: AgeDistribution) {
        ages = d.ages
        var c: [Double] = []
        var total = 0.0
        for p in d.probabilities { total += p; c.append(total) }
        c[c.count - 1] = 1
        cumulative = c
    }

    func draw(_ rng: inout RandomStream) -> Int {
        ages.count == 1 ? ages[0] : ages[rng.categorical(cumulative)]
    }
}

/// Samples litter sizes from a cumulative table. A Normal(mean, SD) litter
/// rounded to the nearest whole number (negatives → 0, no cap) is itself a
/// discrete distribution, P(k) = Φ((k + ½ − μ)/σ) − Φ((k − ½ − μ)/σ), so it is
/// tabulated once (tail mass below 1e-15 dropped) and sampled the same way:
/// the same law as rounding a normal deviate, at a fraction of the cost.
struct LitterSampler: Sendable {
    let sizes: [Int]
    let cumulative: [Double]

    init(_ l: LitterSize) {
        let distribution = l.realisedDistribution
        sizes = distribution.map(\.size)
        var c: [Double] = []
        var total = 0.0
        for x in distribution { total += x.probability; c.append(total) }
        c[c.count - 1] = 1
        cumulative = c
    }

    @inline(__always)
    func draw(_ rng: inout RandomStream) -> Int {
        sizes.count == 1 ? sizes[0] : sizes[rng.categorical(cumulative)]
    }
}

/// Everything the engine needs, derived once from a scenario and shared
/// read-only by all replicates.
public struct EngineModel: Sendable {
    public let scenario: Scenario
    let species: Species
    let maxAge: Int
    let dependency: Bool
    /// Output and mortality class of each age 0…maxAge.
    let classOfAge: [Int]
    public let classCount: Int
    /// Mortality EV per class and sex: [class][sex].
    let mortalityEV: [[EnvironmentalRate]]
    let breedingEV: EnvironmentalRate
    let hasEV: Bool
    let litter: LitterSampler
    let maturity: [MaturitySampler]
    let initial: [InitialTemplate]
    public let lifeTable: VortexLifeTable
    /// The model projection with threats at pressure 1 (`lambdaModel`).
    public let projection: FamilyProjection
    /// The same without threats (reported when there are threats).
    public let threatFreeProjection: FamilyProjection?
    public let spatial: SpatialModel?
    /// Mortality needs competing hazards (threats, or the landscape's floater, prey and road effects).
    let hazards: Bool

    public init(scenario: Scenario) {
        self.scenario = scenario
        species = scenario.species
        maxAge = species.maximumAge
        dependency = species.usesDependency
        let scenarioSpecies = scenario.species
        classOfAge = (0...scenario.species.maximumAge).map { scenarioSpecies.mortalityClassIndex(age: $0) }
        classCount = species.mortality.count
        let distribution = scenario.environment.distribution
        mortalityEV = species.mortality.map { c in
            [EnvironmentalRate(mean: c.female, sd: c.evSD, distribution: distribution),
             EnvironmentalRate(mean: c.male, sd: c.evSD, distribution: distribution)]
        }
        breedingEV = EnvironmentalRate(mean: species.breeding.probability, sd: species.breeding.evSD, distribution: distribution)
        hasEV = species.breeding.evSD > 0 || species.mortality.contains { $0.evSD > 0 }
        litter = LitterSampler(species.litterSize)
        maturity = [MaturitySampler(species.females.firstBreedingAge), MaturitySampler(species.males.firstBreedingAge)]
        lifeTable = VortexLifeTable(species: species, catastrophes: scenario.catastrophes)
        let threatFree = MeanRates(species: species, catastrophes: scenario.catastrophes)
        if let poaching = scenario.threats.poaching {
            // Poaching at pressure 1 in the first simulated year, as an extra competing hazard.
            var rates = threatFree
            let keep = 1 - poaching.probability(inYear: scenario.run.startYear + 1)
            for sex in 0..<2 {
                for age in poaching.minimumAge..<rates.survival[sex].count { rates.survival[sex][age] *= keep }
            }
            projection = FamilyProjection(species: species, rates: rates)
            threatFreeProjection = FamilyProjection(species: species, rates: threatFree)
        } else {
            projection = FamilyProjection(species: species, rates: threatFree)
            threatFreeProjection = nil
        }
        spatial = scenario.spatial.map { SpatialModel(settings: $0) }
        hazards = scenario.spatial != nil || !scenario.threats.isEmpty
        let projection = self.projection
        initial = scenario.initialPopulation.map { InitialTemplate(group: $0, species: scenarioSpecies, projection: projection) }
    }

    /// The model of `scenario`, or every reason it cannot be run, as issues naming
    /// `file` and the JSON path (the checks the engine relies on beyond decoding).
    public static func compile(_ scenario: Scenario, file: String) throws(ScenarioErrors) -> EngineModel {
        let model = EngineModel(scenario: scenario)
        var issues: [ScenarioIssue] = []
        func add(_ path: String, _ message: String, got: String? = nil) {
            issues.append(ScenarioIssue(file: file, path: path, message: message, got: got))
        }
        if let sp = model.spatial {
            if sp.layout.female.isEmpty {
                add("landscape.territories.femaleRequirement", "no female territory fits on the map: no contiguous habitat reaches the requirement within femaleMaximumArea", got: NumberFormatting.shortest(sp.settings.territories.femaleRequirement))
            }
        }
        guard issues.isEmpty else { throw ScenarioErrors(issues) }
        return model
    }

    public var years: Int { scenario.run.years }

    /// Regions reported (spatial scenarios).
    public var regionCount: Int { spatial?.landscape.regions.count ?? 0 }

    /// Poaching hazard −ln(1 − p) at pressure 1 in a calendar year.
    func poachingHazard(inYear year: Int) -> Double {
        guard let p = scenario.threats.poaching?.probability(inYear: year), p > 0 else { return 0 }
        return -log1p(-min(p, 0.999_999))
    }
    public var startYear: Int { scenario.run.startYear }

    /// Human-readable label of output class `c` ("0", "1", "2-3", "4+").
    public func classLabel(_ c: Int) -> String {
        let from = species.mortality[c].fromAge
        let to = c + 1 < classCount ? species.mortality[c + 1].fromAge - 1 : maxAge
        if c + 1 == classCount { return from == to ? "\(from)" : "\(from)+" }
        return from == to ? "\(from)" : "\(from)-\(to)"
    }
}

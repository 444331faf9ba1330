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
    public let projection: FamilyProjection

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
        projection = FamilyProjection(species: species, rates: MeanRates(species: species, catastrophes: scenario.catastrophes))
        let projection = self.projection
        initial = scenario.initialPopulation.map { InitialTemplate(group: $0, species: scenarioSpecies, projection: projection) }
    }

    public var years: Int { scenario.run.years }
    public var startYear: Int { scenario.run.startYear }

    /// Human-readable label of output class `c` ("0", "1", "2-3", "4+").
    public func classLabel(_ c: Int) -> String {
        let from = species.mortality[c].fromAge
        let to = c + 1 < classCount ? species.mortality[c + 1].fromAge - 1 : maxAge
        if c + 1 == classCount { return from == to ? "\(from)" : "\(from)+" }
        return from == to ? "\(from)" : "\(from)-\(to)"
    }
}

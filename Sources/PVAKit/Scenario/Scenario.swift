import Foundation

/// A scenario, decoded and validated: every parameter of one PVA model.
/// Built only by `ScenarioDecoder` (from JSON) or directly in code (tests);
/// the engine trusts it.
public struct Scenario: Sendable {
    public var name: String
    /// What the scenario represents (for reports and comparisons).
    public var description = ""
    public var run: RunSettings
    public var species: Species
    public var environment: EnvironmentalVariation
    public var catastrophes: [Catastrophe]
    /// Required for non-spatial scenarios (spatial capacity comes from territories).
    public var carryingCapacity: CarryingCapacity?
    public var harvests: [Harvest]
    public var supplements: [Supplement]
    public var initialPopulation: [InitialGroup]
    /// Threats as competing hazards (MODEL.md §4.4).
    public var threats: Threats
    /// The habitat grid, territories and dispersal; nil for a non-spatial scenario.
    public var spatial: SpatialSettings?
    /// Named values that rates given as functions may read.
    public var variables: FunctionVariables
    /// Pedigree inbreeding, gene drop, lethals; nil when the scenario has no `genetics`.
    public var genetics: GeneticsSettings?
    /// Management scheduled by year range and place (MODEL.md §4.9).
    public var interventions: [Intervention]
    /// Planned releases and translocations (MODEL.md §4.9).
    public var releases = Releases()
    /// The second-population question for named regions (nil: no target region).
    public var targets: TargetSettings?

    public init(name: String, run: RunSettings, species: Species,
                environment: EnvironmentalVariation = EnvironmentalVariation(),
                catastrophes: [Catastrophe] = [], carryingCapacity: CarryingCapacity?,
                harvests: [Harvest] = [], supplements: [Supplement] = [],
                initialPopulation: [InitialGroup], threats: Threats = Threats(), spatial: SpatialSettings? = nil,
                variables: FunctionVariables = FunctionVariables(), genetics: GeneticsSettings? = nil,
                interventions: [Intervention] = []) {
        self.name = name
        self.run = run
        self.species = species
        self.environment = environment
        self.catastrophes = catastrophes
        self.carryingCapacity = carryingCapacity
        self.harvests = harvests
        self.supplements = supplements
        self.initialPopulation = initialPopulation
        self.threats = threats
        self.spatial = spatial
        self.genetics = genetics
        self.variables = variables
        self.interventions = interventions
    }

    /// Every rate or amount given as a function.
    public var functions: [CompiledExpression] {
        [species.breeding.probabilityFunction, carryingCapacity?.kFunction].compactMap { $0 }
            + species.mortality.flatMap { [$0.femaleFunction, $0.maleFunction].compactMap { $0 } }
            + harvests.flatMap { $0.classes.compactMap { $0.amount.function } }
            + supplements.flatMap { $0.animals.compactMap { $0.countFunction } }
    }

    /// Whether any rate or amount is given as a function.
    public var hasFunctions: Bool { !functions.isEmpty }
}

/// The spatial part of a scenario: the grid and its layers, territory and dispersal rules.
public struct SpatialSettings: Sendable {
    public var landscape: Landscape
    public var territories: TerritorySettings
    public var dispersal: DispersalSettings

    public init(landscape: Landscape, territories: TerritorySettings = TerritorySettings(),
                dispersal: DispersalSettings = DispersalSettings()) {
        self.landscape = landscape
        self.territories = territories
        self.dispersal = dispersal
    }
}

public enum ExtinctionDefinition: Sendable, Equatable {
    /// Extinct when only one sex (or nobody) remains (Vortex's default).
    case oneSexRemains
    /// Extinct in the first census year with N below the threshold.
    case belowThreshold(Int)
}

/// How a run simulates: animals one by one, or class counts.
public enum SimulationMode: String, Sendable, CaseIterable {
    /// Every animal's fate is its own draw (the default; what a landscape, families and
    /// genetics need).
    case individual
    /// Counts by sex and age, each stage's draws made on the counts (binomial survivors and
    /// breeders, multinomial litters, binomial sexes, hypergeometric removals): the same
    /// distribution as `individual` where both apply, at a cost independent of N.
    case population
    /// Vortex's population-based mode: each count is its expected value rounded at random
    /// (⌊x⌋, plus one with probability x − ⌊x⌋), litters from the mean litter size, K
    /// truncation proportional in every class but the oldest. Far less demographic variation
    /// than independent fates; what Vortex's reference runs used.
    case vortexPopulation = "vortex-population"
}

public struct RunSettings: Sendable {
    /// Calendar year of the initial census (year 0). Schedules use calendar years.
    public var startYear: Int
    public var years: Int
    public var replicates: Int
    public var seed: UInt64
    public var extinction: ExtinctionDefinition
    /// Quasi-extinction thresholds x: P(N < x) is reported per year (not absorbing).
    public var quasiExtinctionThresholds: [Int]
    public var mode: SimulationMode = .individual

    public init(startYear: Int = 0, years: Int, replicates: Int, seed: UInt64 = 1,
                extinction: ExtinctionDefinition = .oneSexRemains, quasiExtinctionThresholds: [Int] = []) {
        self.startYear = startYear
        self.years = years
        self.replicates = replicates
        self.seed = seed
        self.extinction = extinction
        self.quasiExtinctionThresholds = quasiExtinctionThresholds
    }
}

public enum Sex: UInt8, Sendable, CaseIterable {
    case female = 0
    case male = 1

    public var name: String { self == .female ? "female" : "male" }
}

/// How breeding probabilities and juvenile survival are to be read (MODEL.md §4.1).
public enum LifeHistoryConvention: String, Sendable {
    /// Unconditional yearly share breeding; total survival; no dependency rules.
    case vortex
    /// A mother with dependent young does not breed; dependent young die with
    /// their mother; breeding probability and juvenile survival are conditional.
    case dependency
}

/// A discrete distribution over ages (age at first breeding).
public struct AgeDistribution: Sendable, Equatable {
    public var ages: [Int]
    public var probabilities: [Double]

    public init(ages: [Int], probabilities: [Double]) {
        self.ages = ages
        self.probabilities = probabilities
    }

    public init(fixed age: Int) { self.init(ages: [age], probabilities: [1]) }

    public var minimum: Int { ages.min() ?? 0 }

    /// P(first breeding age ≤ age).
    public func probabilityMature(at age: Int) -> Double {
        var total = 0.0
        for (a, p) in zip(ages, probabilities) where a <= age { total += p }
        return total
    }
}

public struct SexLifeHistory: Sendable {
    public var firstBreedingAge: AgeDistribution
    public var lastBreedingAge: Int

    public init(firstBreedingAge: AgeDistribution, lastBreedingAge: Int) {
        self.firstBreedingAge = firstBreedingAge
        self.lastBreedingAge = lastBreedingAge
    }
}

/// Vortex's density-dependent breeding:
/// P(N) = (P(0) − (P(0) − P(K))·(N/K)^B) · N/(A + N).
public struct DensityDependence: Sendable {
    public var p0: Double
    public var pK: Double
    public var allee: Double
    public var steepness: Double

    public init(p0: Double, pK: Double, allee: Double, steepness: Double) {
        self.p0 = p0
        self.pK = pK
        self.allee = allee
        self.steepness = steepness
    }

    public func probability(n: Int, k: Double) -> Double {
        guard n > 0 else { return 0 }
        let ratio = k > 0 ? Double(n) / k : .infinity
        let base = p0 - (p0 - pK) * pow(ratio, steepness)
        let p = base * Double(n) / (allee + Double(n))
        return min(1, max(0, p))
    }
}

public struct Breeding: Sendable {
    /// Yearly probability that an eligible adult female breeds (the mean; see convention).
    public var probability: Double
    /// EV: SD of the yearly probability (proportion units).
    public var evSD: Double
    /// Minimum years between litters (1 = may breed every year).
    public var minimumInterval: Int
    public var densityDependence: DensityDependence?
    /// A female breeds only if the breeding pool holds at least one male
    /// (Vortex's polygyny). False makes mates never limiting (female-only models).
    public var requiresMale: Bool
    /// The probability as a function of N, K and the year (then `probability` is its value at
    /// the initial conditions, set by the model).
    public var probabilityFunction: CompiledExpression?

    mutating func setProbability(_ q: Quantity) {
        switch q {
        case .constant(let p): probability = p
        case .function(let f): probabilityFunction = f
        }
    }

    public init(probability: Double, evSD: Double = 0, minimumInterval: Int = 1,
                densityDependence: DensityDependence? = nil, requiresMale: Bool = true) {
        self.probability = probability
        self.evSD = evSD
        self.minimumInterval = minimumInterval
        self.densityDependence = densityDependence
        self.requiresMale = requiresMale
    }
}

public enum LitterSize: Sendable, Equatable {
    /// P(litter = sizes[i]) = probabilities[i].
    case discrete(sizes: [Int], probabilities: [Double])
    /// Normal(mean, sd) rounded to the nearest whole number, negative → 0, no cap
    /// (the rule settled against Vortex's stochastic output; see the ODD).
    case normal(mean: Double, sd: Double)

    /// The mean Vortex uses in its deterministic life table (the nominal mean
    /// for the normal form).
    public var nominalMean: Double {
        switch self {
        case .discrete(let sizes, let probabilities):
            return zip(sizes, probabilities).reduce(0) { $0 + Double($1.0) * $1.1 }
        case .normal(let mean, _): return mean
        }
    }

    /// The exact distribution the engine samples, as (size, probability) with
    /// probabilities summing to 1 (the normal form is cut where the tail is below 1e-15).
    public var realisedDistribution: [(size: Int, probability: Double)] {
        switch self {
        case .discrete(let sizes, let probabilities):
            return zip(sizes, probabilities).filter { $0.1 > 0 }.map { (size: $0.0, probability: $0.1) }
        case .normal(let mean, let sd):
            if sd == 0 { return [(size: max(0, Int(mean.rounded(.toNearestOrAwayFromZero))), probability: 1)] }
            var out: [(size: Int, probability: Double)] = []
            let top = Int((mean + 12 * sd).rounded(.up)) + 1
            // P(round(X) = k) = Φ((k + ½ − μ)/σ) − Φ((k − ½ − μ)/σ); all mass below ½ goes to 0.
            let p0 = SpecialFunctions.normalCDF((0.5 - mean) / sd)
            if p0 > 1e-15 { out.append((size: 0, probability: p0)) }
            if top >= 1 {
                for k in 1...top {
                    let p = SpecialFunctions.normalCDF((Double(k) + 0.5 - mean) / sd)
                        - SpecialFunctions.normalCDF((Double(k) - 0.5 - mean) / sd)
                    if p > 1e-15 { out.append((size: k, probability: p)) }
                }
            }
            let total = out.reduce(0) { $0 + $1.probability }
            return out.map { (size: $0.size, probability: $0.probability / total) }
        }
    }
}

/// Annual mortality of an age class: ages `fromAge` up to the next class's
/// `fromAge` − 1 (the last class runs to the maximum age).
public struct MortalityClass: Sendable {
    public var fromAge: Int
    public var female: Double
    public var male: Double
    /// EV: SD of the yearly mortality (proportion units), both sexes.
    public var evSD: Double
    /// The rates as functions of N, K, the year, age and sex (then `female` and `male` are
    /// their values at the initial conditions and the class's first age, set by the model).
    public var femaleFunction: CompiledExpression?
    public var maleFunction: CompiledExpression?

    mutating func setRates(female f: Quantity, male m: Quantity) {
        if case .constant(let v) = f { female = v } else { femaleFunction = f.function }
        if case .constant(let v) = m { male = v } else { maleFunction = m.function }
    }

    public func function(_ sex: Sex) -> CompiledExpression? { sex == .female ? femaleFunction : maleFunction }

    public init(fromAge: Int, female: Double, male: Double, evSD: Double = 0) {
        self.fromAge = fromAge
        self.female = female
        self.male = male
        self.evSD = evSD
    }

    public func rate(_ sex: Sex) -> Double { sex == .female ? female : male }
}

public struct Species: Sendable {
    public var convention: LifeHistoryConvention
    public var maximumAge: Int
    /// Proportion of newborns that are male.
    public var sexRatioAtBirth: Double
    public var females: SexLifeHistory
    public var males: SexLifeHistory
    /// Share of breeding-age males in the breeding pool each year.
    public var maleBreedingPool: Double
    public var breeding: Breeding
    public var litterSize: LitterSize
    /// Age at which young leave their mother (dependency convention).
    public var independenceAge: Int
    public var mortality: [MortalityClass]

    public init(convention: LifeHistoryConvention, maximumAge: Int, sexRatioAtBirth: Double = 0.5,
                females: SexLifeHistory, males: SexLifeHistory, maleBreedingPool: Double = 1,
                breeding: Breeding, litterSize: LitterSize, independenceAge: Int = 1,
                mortality: [MortalityClass]) {
        self.convention = convention
        self.maximumAge = maximumAge
        self.sexRatioAtBirth = sexRatioAtBirth
        self.females = females
        self.males = males
        self.maleBreedingPool = maleBreedingPool
        self.breeding = breeding
        self.litterSize = litterSize
        self.independenceAge = independenceAge
        self.mortality = mortality
    }

    public func lifeHistory(_ sex: Sex) -> SexLifeHistory { sex == .female ? females : males }

    /// Index of the mortality class of `age`.
    public func mortalityClassIndex(age: Int) -> Int {
        var index = 0
        for (i, c) in mortality.enumerated() where c.fromAge <= age { index = i }
        return index
    }

    /// Mean annual survival of `sex` at `age` (0 at the maximum age: nobody
    /// lives past it).
    public func survival(_ sex: Sex, age: Int) -> Double {
        if age >= maximumAge { return 0 }
        return 1 - mortality[mortalityClassIndex(age: age)].rate(sex)
    }

    /// The dependency rules are in force: young younger than `independenceAge`
    /// are linked to their mother, die with her, and keep her from breeding.
    public var usesDependency: Bool { convention == .dependency }
}

public enum EVDistribution: String, Sendable {
    case binomial
    case beta
}

public struct EnvironmentalVariation: Sendable {
    public var distribution: EVDistribution
    /// Correlation between the reproduction and the survival deviates (−1…1).
    public var correlation: Double

    public init(distribution: EVDistribution = .binomial, correlation: Double = 0) {
        self.distribution = distribution
        self.correlation = correlation
    }
}

public struct Catastrophe: Sendable {
    public var name: String
    public var probability: Double
    /// Multiplier on breeding probability in a year it strikes.
    public var breedingSeverity: Double
    /// Multiplier on survival in a year it strikes.
    public var survivalSeverity: Double

    public init(name: String, probability: Double, breedingSeverity: Double, survivalSeverity: Double) {
        self.name = name
        self.probability = probability
        self.breedingSeverity = breedingSeverity
        self.survivalSeverity = survivalSeverity
    }
}

public struct CapacityTrend: Sendable {
    public var startYear: Int
    public var endYear: Int
    /// Proportional change per year, compounded (−0.01 = −1 % a year).
    public var changePerYear: Double

    public init(startYear: Int, endYear: Int, changePerYear: Double) {
        self.startYear = startYear
        self.endYear = endYear
        self.changePerYear = changePerYear
    }
}

public struct CarryingCapacity: Sendable {
    /// The largest K (and yearly K drawn) the engine holds: 10⁹ animals.
    public static let largest = 1e9
    public var k: Double
    /// SD of the yearly K (animals), drawn from a normal each year.
    public var evSD: Double
    public var trend: CapacityTrend?
    /// K as a function of N and the year (the trend then does not apply).
    public var kFunction: CompiledExpression?

    public init(k: Double, evSD: Double = 0, trend: CapacityTrend? = nil) {
        self.k = k
        self.evSD = evSD
        self.trend = trend
    }

    /// Mean K in calendar year `year`.
    public func mean(inYear year: Int) -> Double {
        guard let trend, year > trend.startYear else { return k }
        let years = min(year, trend.endYear) - trend.startYear
        return max(0, k * pow(1 + trend.changePerYear, Double(years)))
    }
}

/// Years a scheduled action runs: from `startYear` to `endYear` every `interval` years.
public struct Schedule: Sendable, Equatable {
    public var startYear: Int
    public var endYear: Int
    public var interval: Int

    public init(startYear: Int, endYear: Int, interval: Int = 1) {
        self.startYear = startYear
        self.endYear = endYear
        self.interval = interval
    }

    public func isActive(inYear year: Int) -> Bool {
        year >= startYear && year <= endYear && (year - startYear) % interval == 0
    }
}

public enum HarvestAmount: Sendable, Equatable {
    case count(Int)
    /// Each animal of the class is removed with this probability.
    case proportion(Double)
    /// A count as a function (of N, K, the year, sex), rounded at random to a whole number
    /// with the function's value as its expectation.
    case countFunction(CompiledExpression)
    /// A proportion as a function.
    case proportionFunction(CompiledExpression)

    public var function: CompiledExpression? {
        switch self {
        case .countFunction(let f), .proportionFunction(let f): return f
        default: return nil
        }
    }
}

public struct HarvestClass: Sendable {
    public var sex: Sex
    public var minimumAge: Int
    public var maximumAge: Int
    public var amount: HarvestAmount

    public init(sex: Sex, minimumAge: Int, maximumAge: Int, amount: HarvestAmount) {
        self.sex = sex
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
        self.amount = amount
    }
}

public struct Harvest: Sendable {
    public var schedule: Schedule
    public var classes: [HarvestClass]
    /// Only animals in this region (spatial scenarios; nil = everywhere).
    public var region: String?

    public init(schedule: Schedule, classes: [HarvestClass], region: String? = nil) {
        self.schedule = schedule
        self.classes = classes
        self.region = region
    }
}

public struct AnimalCount: Sendable, Equatable {
    public var sex: Sex
    public var age: Int
    public var count: Int
    /// The count as a function (of N, K, the year), rounded at random with the function's
    /// value as its expectation (releases).
    public var countFunction: CompiledExpression?

    public init(sex: Sex, age: Int, count: Int) {
        self.sex = sex
        self.age = age
        self.count = count
    }
}

public struct Supplement: Sendable {
    public var schedule: Schedule
    public var animals: [AnimalCount]
    /// Where released animals are placed (spatial scenarios; nil = anywhere on the map).
    public var region: String?

    public init(schedule: Schedule, animals: [AnimalCount], region: String? = nil) {
        self.schedule = schedule
        self.animals = animals
        self.region = region
    }
}

/// How one group of the initial population is made (MODEL.md §4.10).
public enum InitialComposition: Sendable, Equatable {
    /// Adults (animals at or past their own first breeding age) with the young
    /// of the stable structure added (dependent young linked to their mothers).
    case adults(females: Int, males: Int)
    /// A total at the stable age (and family) distribution.
    case total(Int)
    /// An explicit list.
    case individuals([AnimalCount])
}

public struct InitialGroup: Sendable {
    public var composition: InitialComposition
    /// Region name (spatial scenarios only).
    public var region: String?

    public init(_ composition: InitialComposition, region: String? = nil) {
        self.composition = composition
        self.region = region
    }
}

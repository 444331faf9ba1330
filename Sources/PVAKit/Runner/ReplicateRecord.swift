/// What one replicate leaves for the statistics: its census by year, sex and
/// class, its extinction year and its stochastic-r sums. Kept per replicate
/// (quantiles need every value); everything that only needs totals goes
/// into `Tallies` instead.
public struct ReplicateRecord: Sendable {
    /// Census counts, indexed [(t · 2 + sex) · classCount + class], t = 0…years.
    public var census: [Int32]
    /// Simulation year of first extinction (nil if never).
    public var extinctionYear: Int?
    /// Σ r, Σ r² and the number of extant years with an r (r = ln N_r(t)/N(t−1)).
    public var rSum = 0.0
    public var rSumOfSquares = 0.0
    public var rCount = 0
    public var harvested = 0
    public var harvestShortfall = 0
    public var supplemented = 0

    init(years: Int, classCount: Int) {
        census = [Int32](repeating: 0, count: (years + 1) * 2 * classCount)
    }
}

/// Integer tallies summed over all replicates. Integer sums do not depend on
/// the order of addition, so they are identical for any thread count.
public struct Tallies: Sendable, Equatable {
    /// Females of breeding age at the breed stage (mature and not past the last breeding age).
    public var breedingAgeFemales = 0
    /// Those among them free to breed (no dependent young, interval since the last litter passed).
    public var eligibleFemales = 0
    public var litters = 0
    public var offspring = 0
    public var maleOffspring = 0
    /// Litters by size (index = size; the last slot holds every larger litter).
    public var litterSizes = [Int](repeating: 0, count: Tallies.largestLitterTallied + 1)
    public static let largestLitterTallied = 30
    /// Own survival draws per class and sex: [class · 2 + sex].
    public var atRisk: [Int]
    public var survived: [Int]
    /// Deaths per year and cause: [t · DeathCause.count + cause].
    public var deaths: [Int]
    /// Litters whose mother held no territory (spatial runs; must stay 0: floaters do not breed).
    public var littersWithoutTerritory = 0
    /// Per year and region: Σ and Σ² over replicates of N, territorial adults and floaters,
    /// indexed [(t · regions + region) · 3 + k].
    public var regionSums: [Int]
    public var regionSquares: [Int]
    /// Per cell: replicates with a resident (female or male) covering it in the final year.
    public var occupancy: [Int]
    /// Per region: Σ over replicates of occupied female territories in the final year.
    public var occupiedFemaleTerritories: [Int]
    public var occupiedMaleTerritories: [Int]

    public init(years: Int, classCount: Int, regions: Int = 0, cells: Int = 0) {
        atRisk = [Int](repeating: 0, count: classCount * 2)
        survived = atRisk
        deaths = [Int](repeating: 0, count: (years + 1) * DeathCause.count)
        regionSums = [Int](repeating: 0, count: (years + 1) * regions * 3)
        regionSquares = regionSums
        occupancy = [Int](repeating: 0, count: cells)
        occupiedFemaleTerritories = [Int](repeating: 0, count: regions)
        occupiedMaleTerritories = occupiedFemaleTerritories
    }

    public mutating func add(_ other: Tallies) {
        breedingAgeFemales += other.breedingAgeFemales
        eligibleFemales += other.eligibleFemales
        litters += other.litters
        offspring += other.offspring
        maleOffspring += other.maleOffspring
        for i in litterSizes.indices { litterSizes[i] += other.litterSizes[i] }
        for i in atRisk.indices { atRisk[i] += other.atRisk[i]; survived[i] += other.survived[i] }
        for i in deaths.indices { deaths[i] += other.deaths[i] }
        littersWithoutTerritory += other.littersWithoutTerritory
        for i in regionSums.indices { regionSums[i] += other.regionSums[i]; regionSquares[i] += other.regionSquares[i] }
        for i in occupancy.indices { occupancy[i] += other.occupancy[i] }
        for i in occupiedFemaleTerritories.indices {
            occupiedFemaleTerritories[i] += other.occupiedFemaleTerritories[i]
            occupiedMaleTerritories[i] += other.occupiedMaleTerritories[i]
        }
    }
}

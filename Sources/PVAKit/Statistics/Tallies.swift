/// Integer tallies of events, summed over replicates. Integer sums do not
/// depend on the order of addition, so they are identical for any thread
/// count or shard split.
public struct Tallies: Sendable, Equatable, Codable {
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
    /// Per cell: replicates with a resident (female or male) covering it in the final year,
    /// and those among them not extinct.
    public var occupancy: [Int]
    public var occupancyExtant: [Int]
    /// Per region: Σ over replicates of occupied female / male territories in the final year.
    public var occupiedFemaleTerritories: [Int]
    public var occupiedMaleTerritories: [Int]
    /// Breeding-age females that did not breed, per year and reason:
    /// [t · NonBreedingReason.count + reason].
    public var notBred: [Int]
    /// Litters per year: [t] (with `notBred`, what breeding-age females did each year).
    public var littersByYear: [Int]
    /// Landscape change: bad fire years, cells burnt in them, cells turned to grassland by
    /// repeated fire and to farmland by steady conversion.
    public var badFireYears = 0
    public var cellsBurnt = 0
    public var cellsConvertedByFire = 0
    public var cellsConverted = 0
    /// Deaths per year, region and cause: [(t · regions + region) · DeathCause.count + cause].
    public var regionDeaths: [Int]
    public private(set) var regions = 0

    public init(years: Int, classCount: Int, regions: Int = 0, cells: Int = 0) {
        atRisk = [Int](repeating: 0, count: classCount * 2)
        survived = atRisk
        deaths = [Int](repeating: 0, count: (years + 1) * DeathCause.count)
        occupancy = [Int](repeating: 0, count: cells)
        occupancyExtant = occupancy
        occupiedFemaleTerritories = [Int](repeating: 0, count: regions)
        occupiedMaleTerritories = occupiedFemaleTerritories
        notBred = [Int](repeating: 0, count: (years + 1) * NonBreedingReason.count)
        littersByYear = [Int](repeating: 0, count: years + 1)
        regionDeaths = [Int](repeating: 0, count: (years + 1) * regions * DeathCause.count)
        self.regions = regions
    }

    /// Empty tallies for a run of `model`.
    init(model: EngineModel) {
        self.init(years: model.years, classCount: model.classCount, regions: model.regionCount,
                  cells: model.spatial?.landscape.cellCount ?? 0)
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
        for i in notBred.indices { notBred[i] += other.notBred[i] }
        for i in littersByYear.indices { littersByYear[i] += other.littersByYear[i] }
        for i in regionDeaths.indices { regionDeaths[i] += other.regionDeaths[i] }
        badFireYears += other.badFireYears
        cellsBurnt += other.cellsBurnt
        cellsConvertedByFire += other.cellsConvertedByFire
        cellsConverted += other.cellsConverted
        for i in occupancy.indices { occupancy[i] += other.occupancy[i]; occupancyExtant[i] += other.occupancyExtant[i] }
        for i in occupiedFemaleTerritories.indices {
            occupiedFemaleTerritories[i] += other.occupiedFemaleTerritories[i]
            occupiedMaleTerritories[i] += other.occupiedMaleTerritories[i]
        }
    }

    /// Deaths of `cause` in simulation year t, summed over replicates.
    public func deaths(_ cause: DeathCause, t: Int) -> Int { deaths[t * DeathCause.count + Int(cause.rawValue)] }

    /// Deaths of `cause` in simulation year t among animals in region `region`, summed over replicates.
    public func deaths(_ cause: DeathCause, t: Int, region: Int) -> Int {
        regionDeaths[(t * regions + region) * DeathCause.count + Int(cause.rawValue)]
    }

    /// Breeding-age females that did not breed for `reason` in simulation year t, summed over replicates.
    public func notBred(_ reason: NonBreedingReason, t: Int) -> Int { notBred[t * NonBreedingReason.count + reason.rawValue] }

    /// Litters born in simulation year t, summed over replicates.
    public func litters(t: Int) -> Int { littersByYear[t] }
}

/// Where animals are and what their place means: the one thing a non-spatial
/// and a spatial model do differently. Chosen once per run (`Unstructured` or
/// `Gridded`); the stages are generic over it, so each is compiled for each
/// and no per-animal loop asks which model it is in.
protocol Space: AnyObject {
    /// Has a landscape (dispersal, regions, occupancy).
    static var isSpatial: Bool { get }

    /// The start of a replicate: vacant territories, the static landscape.
    func reset<T>(_ r: Replicate<T>)

    /// A new group of animals is about to be placed (a release): placement starts again
    /// from the best territories.
    func beginPlacement()

    /// Puts a new animal (a founder or a released animal) in region `region`
    /// (nil = anywhere): a territory if it may hold one, otherwise a cell.
    func place(_ row: Int, region: Int?, table: AnimalTable, rng: inout RandomStream)

    /// Sets a released animal down in its release's place: a region as `place`, or a random
    /// one of the release's cells and the nearest vacant territory in reach of it.
    func setDown(_ row: Int, at place: CompiledRelease.Place, table: AnimalTable, rng: inout RandomStream)

    /// Holds a released animal in an enclosure at a random cell of its release's place (no territory).
    func enclose(_ row: Int, at place: CompiledRelease.Place, table: AnimalTable, rng: inout RandomStream)

    /// The animal in `row` gives up its territory and floats where it is.
    func vacate(_ row: Int, table: AnimalTable)

    /// Called once at the Breed stage before any female breeds: false when nobody can
    /// breed this year (no male in the breeding pool).
    func breedingSeason(matureMales: Int, maleBreedingPool: Double, requiresMale: Bool, rng: inout RandomStream) -> Bool

    /// The factor on female `row`'s breeding probability (her territory's prey
    /// sufficiency), or, when she cannot breed here, `Unable.noTerritory` or `Unable.noMate`.
    func breedingFactor(female row: Int, table: AnimalTable, requiresMale: Bool) -> Double

    /// The row of the father of female `row`'s litter: a mature male she can reach.
    func father(of row: Int, table: AnimalTable, matureMales: UnsafeBufferPointer<Int32>, rng: inout RandomStream) -> Int

    /// A newborn of `mother` takes its place.
    func placeNewborn(_ row: Int, mother: Int, table: AnimalTable)

    /// This year's landscape (MODEL.md §3, stage 1): interventions switched on or off, fire,
    /// conversion, prey; before anyone breeds.
    func landscapeYear<T>(_ r: Replicate<T>)

    /// Whether the animal in `row` is in the cells `covers` marks (its territory's home cell
    /// for a resident).
    func isIn(_ covers: [Bool], row: Int, table: AnimalTable) -> Bool

    /// What the animal in `row` faces this year besides base mortality (MODEL.md §4.4).
    func exposure(_ row: Int, table: AnimalTable) -> Exposure

    /// The census of regions and, in the final year, occupancy.
    func census<T>(_ r: Replicate<T>)

    /// What is wrong with the space's own state, or nothing.
    func invariantViolations<T>(_ r: Replicate<T>) -> [String]
}

/// Why `Space.breedingFactor` says a female cannot breed.
enum Unable {
    static let noTerritory = -1.0
    static let noMate = -2.0
}

/// An animal's exposure to the parts of the yearly hazard that depend on where it is.
struct Exposure {
    /// Multiplier on the poaching hazard (1 = the scenario's stated rate), now and without
    /// this year's anti-poaching.
    var poachingPressure = 1.0
    var basePoachingPressure = 1.0
    /// Multiplier on distemper exposure (spillover from dogs), now and without dog management.
    var diseasePressure = 1.0
    var baseDiseasePressure = 1.0
    /// Road hazard −ln(1 − p) of its territory or cell.
    var roadHazard = 0.0
    /// Survival factors with cause natural: the floater cost, a first-year young's prey shortfall.
    var floaterFactor = 1.0
    var preyFactor = 1.0

    /// An animal held in a release enclosure: no pressure, no road, no floater cost.
    static let enclosed = Exposure(poachingPressure: 0, basePoachingPressure: 0, diseasePressure: 0, baseDiseasePressure: 0)
}

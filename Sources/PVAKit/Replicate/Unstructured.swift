import Foundation

/// A non-spatial model: every animal meets every other, every pressure is 1,
/// capacity is K. Breeding needs one male in the yearly breeding pool.
final class Unstructured: Space {
    static let isSpatial = false

    init() {}

    func reset<T>(_ r: Replicate<T>) {}

    func beginPlacement() {}

    func place(_ row: Int, region: Int?, table: AnimalTable, rng: inout RandomStream) {}

    func setDown(_ row: Int, at place: CompiledRelease.Place, table: AnimalTable, rng: inout RandomStream) {}

    func enclose(_ row: Int, at place: CompiledRelease.Place, table: AnimalTable, rng: inout RandomStream) {}

    func vacate(_ row: Int, table: AnimalTable) {}

    /// Each breeding-age male is in the pool with probability `share`; the pool holds
    /// somebody with probability 1 − (1 − share)^M (one draw, only when share < 1).
    func breedingSeason(matureMales: Int, maleBreedingPool share: Double, requiresMale: Bool, rng: inout RandomStream) -> Bool {
        let poolHasMale = matureMales > 0 && (share >= 1 || rng.uniform() < 1 - pow(1 - share, Double(matureMales)))
        return poolHasMale || !requiresMale
    }

    @inline(__always)
    func breedingFactor(female row: Int, table: AnimalTable, requiresMale: Bool) -> Double { 1 }

    /// Polygyny with a new mate each year: a breeding-age male at random. (Each male is
    /// equally likely to be in the pool, so a random pool member is a random male.)
    func father(of row: Int, table: AnimalTable, matureMales: UnsafeBufferPointer<Int32>, rng: inout RandomStream) -> Int {
        matureMales.isEmpty ? -1 : Int(matureMales[rng.below(matureMales.count)])
    }

    @inline(__always) func placeNewborn(_ row: Int, mother: Int, table: AnimalTable) {}

    func landscapeYear<T>(_ r: Replicate<T>) {}

    func isIn(_ covers: [Bool], row: Int, table: AnimalTable) -> Bool { true }

    @inline(__always) func exposure(_ row: Int, table: AnimalTable) -> Exposure { Exposure() }

    func census<T>(_ r: Replicate<T>) {}

    func invariantViolations<T>(_ r: Replicate<T>) -> [String] { [] }
}

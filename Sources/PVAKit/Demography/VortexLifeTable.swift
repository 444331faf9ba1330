import Foundation

/// The deterministic life table exactly as Vortex computes it (checked
/// against all 123 reference projects): females only; a Leslie matrix over
/// census ages 1…maximum age whose first row holds b·s₀ for every breeding
/// age, with b = P(breed) × mean litter × (1 − proportion male) (breeding comes
/// before mortality, so newborns must survive age 0 to be counted), and the
/// sub-diagonal s_a = survival from age a to a + 1.
///
/// λ is the dominant root of the Euler–Lotka equation Σ_a F_a l_a λ^−a = 1
/// (solved by bisection to machine precision), r = ln λ, R0 = Σ_a l_a·b with
/// l_a including s₀, and T = ln(R0)/r. A first-breeding-age distribution
/// enters as b × P(mature by a); catastrophes as their expected multipliers.
public struct VortexLifeTable: Sendable {
    public var lambda: Double
    public var r: Double
    public var netReproductiveRate: Double
    /// ln(R0)/r; nil when r = 0.
    public var generationTime: Double?
    /// Proportions at census ages 1…maximum age (both sexes together sum to 1).
    public var stableAgeDistribution: [(age: Int, female: Double, male: Double)]

    public init(species: Species, catastrophes: [Catastrophe] = []) {
        var breedingFactor = 1.0, survivalFactor = 1.0
        for c in catastrophes {
            breedingFactor *= 1 - c.probability + c.probability * c.breedingSeverity
            survivalFactor *= 1 - c.probability + c.probability * c.survivalSeverity
        }
        let maxAge = species.maximumAge
        let survival: (Sex, Int) -> Double = { sex, age in min(1, species.survival(sex, age: age) * survivalFactor) }
        let b = min(1, species.breeding.probability * breedingFactor) * species.litterSize.nominalMean * (1 - species.sexRatioAtBirth)
        let s0 = survival(.female, 0)
        // l[a] = Π_{x=1}^{a−1} s_x (survivorship from census age 1), F[a] = b·P(mature)·s0.
        var l = [Double](repeating: 0, count: maxAge + 1)
        var fecundity = [Double](repeating: 0, count: maxAge + 1)
        for a in 1...maxAge {
            l[a] = a == 1 ? 1 : l[a - 1] * survival(.female, a - 1)
            if a <= species.females.lastBreedingAge {
                fecundity[a] = b * species.females.firstBreedingAge.probabilityMature(at: a) * s0
            }
        }
        func characteristic(_ lambda: Double) -> Double {
            var sum = 0.0
            var power = 1.0
            for a in 1...maxAge {
                power /= lambda
                sum += fecundity[a] * l[a] * power
            }
            return sum - 1
        }
        let r0 = (1...maxAge).reduce(0.0) { $0 + fecundity[$1] * l[$1] }
        var lambda = 0.0
        if r0 > 0 {
            var lo = 1e-9, hi = 1.0
            while characteristic(hi) > 0 { hi *= 2 }
            for _ in 0..<200 {
                let mid = 0.5 * (lo + hi)
                if characteristic(mid) > 0 { lo = mid } else { hi = mid }
            }
            lambda = 0.5 * (lo + hi)
        }
        self.lambda = lambda
        self.r = lambda > 0 ? log(lambda) : -.infinity
        self.netReproductiveRate = r0
        self.generationTime = (lambda > 0 && r != 0 && r0 > 0) ? log(r0) / r : nil

        // Stable age distribution: a cohort born t years ago is λ^−t as large.
        let growth = lambda > 0 ? lambda : 1
        let maleShare = species.sexRatioAtBirth
        let femaleShare = 1 - maleShare
        var lm = 1.0
        var rows: [(age: Int, female: Double, male: Double)] = []
        for a in 1...maxAge {
            if a > 1 { lm *= survival(.male, a - 1) }
            let discount = pow(growth, -Double(a))
            rows.append((age: a, female: femaleShare * s0 * l[a] * discount, male: maleShare * survival(.male, 0) * lm * discount))
        }
        let total = rows.reduce(0) { $0 + $1.female + $1.male }
        self.stableAgeDistribution = total > 0 ? rows.map { (age: $0.age, female: $0.female / total, male: $0.male / total) } : rows
    }
}

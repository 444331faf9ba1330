import Foundation

/// Differences between two runs' outcomes, with their uncertainty (`pva compare`). Every
/// interval is 95 %; every test two-sided.
public enum Comparison {
    static let z95 = 1.959963984540054

    /// Two-sided p-value of a standard normal z, erfc(|z|/√2) = 2(1 − Φ(|z|)) (accurate far into
    /// the tail, where 1 − Φ(|z|) would round to 0).
    public static func twoSidedP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// Two-proportion z with the pooled proportion, (x₂/n₂ − x₁/n₁) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)),
    /// p̄ = (x₁ + x₂)/(n₁ + n₂); nil when the pooled SE is 0 (both all 0 or all 1).
    public static func twoProportionZ(_ x1: Int, _ n1: Int, _ x2: Int, _ n2: Int) -> Double? {
        guard n1 > 0, n2 > 0 else { return nil }
        let a = Double(n1), b = Double(n2)
        let pooled = Double(x1 + x2) / (a + b)
        let se = (pooled * (1 - pooled) * (1 / a + 1 / b)).squareRoot()
        guard se > 0 else { return nil }
        return (Double(x2) / b - Double(x1) / a) / se
    }

    /// The standard error of the difference of two independent means, √(SE₁² + SE₂²).
    static func differenceSE(_ se1: Double, _ se2: Double) -> Double { (se1 * se1 + se2 * se2).squareRoot() }

    /// z of two independent means, (m₂ − m₁)/√(SE₁² + SE₂²); nil when both SEs are 0.
    public static func meanZ(_ m1: Double, se1: Double, _ m2: Double, se2: Double) -> Double? {
        let se = differenceSE(se1, se2)
        guard se > 0 else { return nil }
        return (m2 - m1) / se
    }

    /// A difference between two runs: the estimate, its 95 % interval and the p-value of its
    /// test (nil when the test has nothing to test, e.g. both proportions 0).
    public struct Difference: Sendable, Equatable {
        public var estimate: Double
        public var low: Double
        public var high: Double
        public var p: Double?
    }

    /// P(E) of run a minus that of run b: Newcombe's hybrid score interval (his method 10,
    /// from the two Wilson intervals; it keeps its coverage near 0 and 1, where P(E) often
    /// is) and the pooled two-proportion z-test (null: equal probabilities).
    public static func proportions(_ a: Proportion, _ b: Proportion) -> Difference {
        let pa = a.estimate ?? 0, pb = b.estimate ?? 0
        let d = pa - pb
        let wa = a.wilson95 ?? (0, 1), wb = b.wilson95 ?? (0, 1)
        let low = d - ((pa - wa.low) * (pa - wa.low) + (wb.high - pb) * (wb.high - pb)).squareRoot()
        let high = d + ((wa.high - pa) * (wa.high - pa) + (pb - wb.low) * (pb - wb.low)).squareRoot()
        let z = twoProportionZ(b.successes, b.trials, a.successes, a.trials)
        return Difference(estimate: d, low: low, high: high, p: z.map(twoSidedP))
    }

    /// Mean of run a minus that of run b from the two means and their standard errors: the
    /// difference, its interval and the z-test (replicates are many, so the means are normal).
    public static func means(_ a: Double, _ seA: Double, _ b: Double, _ seB: Double) -> Difference {
        let d = a - b
        let se = differenceSE(seA, seB)
        return Difference(estimate: d, low: d - z95 * se, high: d + z95 * se, p: meanZ(b, se1: seB, a, se2: seA).map(twoSidedP))
    }

    /// The Mann–Whitney (Wilcoxon rank-sum) test of x against y: U of x (the number of pairs
    /// with x above y, ties counting one half), and the two-sided p-value from the normal
    /// approximation with the tie correction (replicates are many; final N has many ties,
    /// zeros above all). nil p when every value is the same.
    public static func mannWhitney(_ x: [Int], _ y: [Int]) -> (u: Double, z: Double?, p: Double?) {
        let n1 = Double(x.count), n2 = Double(y.count), n = n1 + n2
        // Ranks by counting: values are small whole numbers (animals), so sort the union once.
        let all = (x.map { ($0, 0) } + y.map { ($0, 1) }).sorted { $0.0 < $1.0 }
        var rankSumX = 0.0, tieTerm = 0.0
        var i = 0
        while i < all.count {
            var j = i
            while j < all.count && all[j].0 == all[i].0 { j += 1 }
            let t = Double(j - i), rank = Double(i + j + 1) / 2  // mean of ranks i+1 … j
            for k in i..<j where all[k].1 == 0 { rankSumX += rank }
            tieTerm += t * t * t - t
            i = j
        }
        let u = rankSumX - n1 * (n1 + 1) / 2
        let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else { return (u, nil, nil) }
        let z = (u - n1 * n2 / 2) / variance.squareRoot()
        return (u, z, twoSidedP(z))
    }

    /// A distribution-free 95 % interval for the median of `sorted` (ascending): the order
    /// statistics whose ranks the binomial(n, ½) puts 1.96 SD either side of n/2.
    public static func medianInterval(_ sorted: [Int]) -> (low: Int, high: Int)? {
        let n = sorted.count
        guard n > 0 else { return nil }
        let half = z95 * Double(n).squareRoot() / 2
        let lower = max(1, Int((Double(n) / 2 - half).rounded(.down)))
        let upper = min(n, Int((1 + Double(n) / 2 + half).rounded(.up)))
        return (sorted[lower - 1], sorted[upper - 1])
    }

    /// Replicates per scenario that a two-sided two-proportion z-test at level `alpha` needs
    /// to detect probabilities p1 and p2 with power `power` (the normal approximation of
    /// Fleiss, as R's `power.prop.test`): n = (z_{α/2} √(2 p̄ q̄) + z_β √(p1 q1 + p2 q2))² / (p1 − p2)².
    /// nil when p1 = p2 (no number of replicates separates them).
    public static func replicatesForPower(_ p1: Double, _ p2: Double, alpha: Double = 0.05, power: Double = 0.8) -> Double? {
        guard p1 != p2 else { return nil }
        let za = SpecialFunctions.normalQuantile(1 - alpha / 2), zb = SpecialFunctions.normalQuantile(power)
        let mean = (p1 + p2) / 2
        let a = za * (2 * mean * (1 - mean)).squareRoot() + zb * (p1 * (1 - p1) + p2 * (1 - p2)).squareRoot()
        return a * a / ((p1 - p2) * (p1 - p2))
    }
}

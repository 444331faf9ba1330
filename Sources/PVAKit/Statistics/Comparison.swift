import Foundation

/// Differences between two runs' outcomes, with their uncertainty.
public enum Comparison {
    /// Two-sided p-value of a standard normal statistic z.
    public static func twoSidedP(_ z: Double) -> Double { 2 * (1 - SpecialFunctions.normalCDF(abs(z))) }

    /// P(E) of run a minus that of run b: the difference, its 95 % interval (Wald, unpooled SE)
    /// and the two-sided p-value of the pooled two-proportion z-test (null: equal
    /// probabilities). nil p-value when both proportions are 0 or both 1.
    public static func proportions(_ a: Proportion, _ b: Proportion) -> (difference: Double, low: Double, high: Double, p: Double?) {
        let pa = a.estimate ?? 0, pb = b.estimate ?? 0
        let na = Double(a.trials), nb = Double(b.trials)
        let d = pa - pb
        let se = (pa * (1 - pa) / na + pb * (1 - pb) / nb).squareRoot()
        let pooled = Double(a.successes + b.successes) / (na + nb)
        let sePooled = (pooled * (1 - pooled) * (1 / na + 1 / nb)).squareRoot()
        let z = 1.959963984540054
        return (d, d - z * se, d + z * se, sePooled > 0 ? twoSidedP(d / sePooled) : nil)
    }

    /// Mean of run a minus that of run b from the two means and their standard errors:
    /// the difference, its 95 % interval and the two-sided p-value of the z-test
    /// (replicates are many, so the normal approximation of the means holds).
    public static func means(_ a: Double, _ seA: Double, _ b: Double, _ seB: Double) -> (difference: Double, low: Double, high: Double, p: Double?) {
        let d = a - b
        let se = (seA * seA + seB * seB).squareRoot()
        let z = 1.959963984540054
        return (d, d - z * se, d + z * se, se > 0 ? twoSidedP(d / se) : nil)
    }
}

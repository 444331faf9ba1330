/// Holm's step-down procedure (Holm 1979), which keeps the family-wise error rate —
/// the probability of rejecting at least one true null hypothesis among K — at or below α
/// whatever the dependence between the tests (the statistics `pva check` compares are
/// strongly correlated: P(E) in one year and the next).
///
/// Sort the K p-values, p₍₁₎ ≤ … ≤ p₍K₎. Reject the hypotheses of p₍₁₎, p₍₂₎, … as long as
/// p₍ᵢ₎ ≤ α/(K − i + 1); at the first p₍ᵢ₎ above its threshold stop, and reject none of the
/// rest. It rejects everything the Bonferroni correction (p ≤ α/K) rejects and sometimes more.
public enum HolmBonferroni {
    /// One test's place in the procedure.
    public struct Decision: Sendable, Equatable {
        /// 1-based rank of its p-value, smallest first (ties in the order given).
        public var rank: Int
        /// α/(K − rank + 1): the p-value at or below which it is rejected, had every smaller one been.
        public var threshold: Double
        public var rejected: Bool
    }

    /// The decision for each p-value, in the order given.
    public static func decide(_ p: [Double], alpha: Double) -> [Decision] {
        let k = p.count
        let order = p.indices.sorted { (p[$0], $0) < (p[$1], $1) }
        var decisions = [Decision](repeating: Decision(rank: 0, threshold: 0, rejected: false), count: k)
        var stillRejecting = true
        for (position, index) in order.enumerated() {
            let rank = position + 1
            let threshold = alpha / Double(k - rank + 1)
            if p[index] > threshold { stillRejecting = false }
            decisions[index] = Decision(rank: rank, threshold: threshold, rejected: stillRejecting)
        }
        return decisions
    }
}

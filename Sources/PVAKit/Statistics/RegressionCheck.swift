import Foundation

/// The statistical half of `pva check`: the statistics of two result sets of one scenario
/// (a stored reference and a fresh run, with independent or different random numbers)
/// compared one by one, each difference as a z statistic under the hypothesis that both
/// sets come from the same model, and the family of K tests held to a family-wise error
/// rate α with Holm–Bonferroni (`HolmBonferroni`).
///
/// - A proportion over replicates, p̂ = x/n (P(E), a region's P(extinct), P(at least the
///   target)): the two-proportion z with the pooled p̄ = (x₁ + x₂)/(n₁ + n₂),
///   z = (p̂₂ − p̂₁) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)).
/// - A mean over replicates with its standard error SE = SD/√n (N, gene diversity, stochastic
///   r with its cluster SE): z = (m₂ − m₁) / √(SE₁² + SE₂²). Replicates are independent and
///   many, so each mean is close to normal (central limit theorem) and the two are independent.
///
/// The z statistics and the two-sided p-value, erfc(|z|/√2) = 2(1 − Φ(|z|)), are
/// `Comparison`'s (the same tests `pva compare` makes). A statistic whose SE is 0 on both
/// sides (a pooled proportion of 0 or 1, two means without any variation) has no z: it must
/// be exactly equal (p = 1 if it is, 0 if not). A statistic only one set has is a difference
/// (p = 0). A mean with fewer than two replicates behind it on either side (no SE, or no
/// value: every replicate extinct) is left out: it has no standard error, and P(E) at the
/// same year tests how many replicates went extinct.
public enum RegressionCheck {
    /// The family-wise error rate `pva check` allows: a check of an unchanged engine with other
    /// random numbers fails with probability at most 1 %.
    public static let familyWiseAlpha = 0.01

    /// The years of a yearly table that are compared: every 10th simulation year (t = 10, 20, …)
    /// and the final one. Year 0 is the initial census, the same in every run.
    public static func isComparedYear(t: Int, finalT: Int) -> Bool {
        t > 0 && (t % 10 == 0 || t == finalT)
    }

    /// One statistic of one result set.
    public enum Estimate: Sendable, Equatable {
        /// `successes` of `trials` replicates.
        case proportion(successes: Int, trials: Int)
        /// A mean over replicates and its standard error; nil: no value or no SE (fewer
        /// than two replicates behind it).
        case mean(Double?, se: Double?)

        /// The value (the proportion or the mean).
        public var value: Double? {
            switch self {
            case .proportion(let x, let n): return n > 0 ? Double(x) / Double(n) : nil
            case .mean(let m, _): return m
            }
        }
    }

    /// A named statistic of one result set, e.g. "yearly.csv 2035 (t 10): PE".
    public struct Statistic: Sendable, Equatable {
        public var name: String
        public var estimate: Estimate

        public init(_ name: String, _ estimate: Estimate) {
            self.name = name
            self.estimate = estimate
        }
    }

    /// One statistic compared.
    public struct Test: Sendable {
        public var name: String
        public var stored: Double?
        public var new: Double?
        /// New minus stored.
        public var difference: Double?
        /// nil when the statistic is compared exactly (SE 0 on both sides) or one set lacks it.
        public var z: Double?
        /// Two-sided p-value.
        public var p: Double
        /// Holm's threshold for this test's rank: α/(K − rank + 1).
        public var threshold: Double
        /// Rejected by Holm–Bonferroni: the difference is larger than chance allows.
        public var outside: Bool
        /// Why there is no z ("exactly equal required: SE 0 on both sides", "only in the stored results").
        public var note: String?
    }

    /// The comparison of two result sets.
    public struct Outcome: Sendable {
        public var alpha: Double
        /// Every test, most significant first (smallest p, then largest |z|).
        public var tests: [Test]
        /// Means left out (fewer than two replicates behind them on a side).
        public var leftOut: [String]

        /// The tests outside tolerance, most significant first.
        public var failures: [Test] { tests.filter(\.outside) }
        public var passed: Bool { failures.isEmpty }
    }

    /// Compares `new` with `stored`, statistic by statistic (matched by name; the order of
    /// `stored` first, then statistics only `new` has), at family-wise error rate `alpha`.
    public static func compare(stored: [Statistic], new: [Statistic], alpha: Double = familyWiseAlpha) -> Outcome {
        var newByName: [String: Estimate] = [:]
        for s in new { newByName[s.name] = s.estimate }
        let storedNames = Set(stored.map(\.name))
        var tests: [Test] = []
        var leftOut: [String] = []
        func add(_ name: String, _ a: Double?, _ b: Double?, z: Double?, p: Double, note: String? = nil) {
            let difference: Double? = if let a, let b { b - a } else { nil }
            tests.append(Test(name: name, stored: a, new: b, difference: difference, z: z, p: p, threshold: 0, outside: false, note: note))
        }
        for s in stored {
            guard let other = newByName[s.name] else {
                add(s.name, s.estimate.value, nil, z: nil, p: 0, note: "only in the stored results")
                continue
            }
            switch (s.estimate, other) {
            case (.proportion(let x1, let n1), .proportion(let x2, let n2)):
                let a = s.estimate.value, b = other.value
                if let z = Comparison.twoProportionZ(x1, n1, x2, n2) {
                    add(s.name, a, b, z: z, p: Comparison.twoSidedP(z))
                } else {
                    add(s.name, a, b, z: nil, p: a == b ? 1 : 0, note: "SE 0 on both sides: must be equal")
                }
            case (.mean(let m1?, let se1?), .mean(let m2?, let se2?)):
                if let z = Comparison.meanZ(m1, se1: se1, m2, se2: se2) {
                    add(s.name, m1, m2, z: z, p: Comparison.twoSidedP(z))
                } else {
                    add(s.name, m1, m2, z: nil, p: m1 == m2 ? 1 : 0, note: "SE 0 on both sides: must be equal")
                }
            case (.mean, .mean):
                leftOut.append(s.name)
            default:
                add(s.name, s.estimate.value, other.value, z: nil, p: 0, note: "a proportion in one set, a mean in the other")
            }
        }
        for s in new where !storedNames.contains(s.name) {
            add(s.name, nil, s.estimate.value, z: nil, p: 0, note: "only in the new results")
        }
        let decisions = HolmBonferroni.decide(tests.map(\.p), alpha: alpha)
        for i in tests.indices {
            tests[i].threshold = decisions[i].threshold
            tests[i].outside = decisions[i].rejected
        }
        // Most significant first: by p, then by |z| (p underflows to 0 beyond |z| ≈ 38), a
        // statistic without z (a mismatch) before those with one, then by name.
        func strength(_ t: Test) -> Double { t.z.map { abs($0) } ?? (t.p == 0 ? .infinity : 0) }
        tests.sort { ($0.p, -strength($0), $0.name) < ($1.p, -strength($1), $1.name) }
        return Outcome(alpha: alpha, tests: tests, leftOut: leftOut)
    }
}

import Foundation

/// A rate with environmental variation, drawn each year at a percentile u
/// that the year shares among rates (VORTEX.md): binomial — pick n with
/// p(1−p)/n ≈ SD², take the u-quantile k of Binomial(n, p) and use k/n — or
/// beta with mean p and SD, at the same percentile. A rate of 0 or 1, or an
/// SD of 0, has no variance. The binomial table is built once per rate.
public struct EnvironmentalRate: Sendable {
    public let mean: Double
    public let sd: Double
    public let distribution: EVDistribution
    private let cdf: [Double]
    private let n: Int

    /// Beyond this n the binomial is replaced by Normal(p, SD) clipped to [0, 1]
    /// (the two cannot be told apart, and a table would not fit in memory).
    static let largestTabulatedN = 200_000

    public init(mean: Double, sd: Double, distribution: EVDistribution) {
        self.mean = mean
        self.sd = sd
        self.distribution = distribution
        let n = Self.binomialN(mean: mean, sd: sd)
        self.n = n
        if distribution == .binomial && n > 0 && n <= Self.largestTabulatedN {
            cdf = SpecialFunctions.binomialCDF(n: n, p: mean)
        } else {
            cdf = []
        }
    }

    public var varies: Bool { sd > 0 && mean > 0 && mean < 1 }

    /// n = round(p(1−p)/SD²), at least 1; 0 when there is no variance.
    static func binomialN(mean: Double, sd: Double) -> Int {
        guard sd > 0, mean > 0, mean < 1 else { return 0 }
        // Capped so that a vanishing SD cannot overflow (such an n uses the normal form anyway).
        return max(1, Int(min(1e15, (mean * (1 - mean) / (sd * sd)).rounded())))
    }

    /// This year's rate at percentile `u` ∈ (0, 1).
    public func value(at u: Double) -> Double {
        guard varies else { return mean }
        if !cdf.isEmpty {
            return Double(SpecialFunctions.quantile(ofCDF: cdf, at: u)) / Double(n)
        }
        return Self.value(mean: mean, sd: sd, distribution: distribution, at: u)
    }

    /// The same without a precomputed table (for a mean that changes each year,
    /// as density-dependent breeding does).
    public static func value(mean: Double, sd: Double, distribution: EVDistribution, at u: Double) -> Double {
        guard sd > 0, mean > 0, mean < 1 else { return mean }
        switch distribution {
        case .binomial:
            let n = binomialN(mean: mean, sd: sd)
            if n > largestTabulatedN {
                return min(1, max(0, mean + sd * SpecialFunctions.normalQuantile(u)))
            }
            let q = 1 - mean
            var pk = pow(q, Double(n))
            // Walk the CDF upwards from 0 while P(0) = qⁿ is representable; beyond that (large n,
            // i.e. a small SD) the walk would start from 0 and never reach u.
            guard pk > 1e-280 else { return Double(SpecialFunctions.binomialQuantile(n: n, p: mean, u: u)) / Double(n) }
            var cumulative = pk
            var k = 0
            while cumulative < u && k < n {
                pk *= Double(n - k) / Double(k + 1) * mean / q
                cumulative += pk
                k += 1
            }
            return Double(k) / Double(n)
        case .beta:
            let variance = min(sd * sd, mean * (1 - mean) * 0.999_999)
            let common = mean * (1 - mean) / variance - 1
            return SpecialFunctions.betaQuantile(u, mean * common, (1 - mean) * common)
        }
    }
}

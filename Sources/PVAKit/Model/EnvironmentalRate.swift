import Foundation

/// A rate with environmental variation (EV), drawn each year at a percentile u
/// that the year shares among rates, as Vortex 10 does (Lacy 2000; the rule
/// was read from Vortex's engine and confirmed against its reference
/// outputs, see the model description §7.2):
///
/// - no variation when SD < 0.001 or the mean p lies outside [0.001, 0.999];
/// - binomial EV: n = ⌊½ + p(1−p)/SD²⌋; when n > 25 the year's rate is the
///   normal p + SD·z (z the deviate behind u), clipped to
///   [max(0, 2p − 1), min(1, 2p)] so that it stays symmetric about p;
///   otherwise it is k/n with k the u-quantile of Binomial(n, p);
/// - beta EV: the u-quantile of the beta distribution with mean p and SD.
///
/// The binomial table is built once per rate.
public struct EnvironmentalRate: Sendable {
    public let mean: Double
    public let sd: Double
    public let distribution: EVDistribution
    private let cdf: [Double]
    private let n: Int

    /// Above this n the normal form is used (Vortex's rule).
    static let largestBinomialN = 25

    public init(mean: Double, sd: Double, distribution: EVDistribution) {
        self.mean = mean
        self.sd = sd
        self.distribution = distribution
        let n = Self.binomialN(mean: mean, sd: sd)
        self.n = n
        if distribution == .binomial && n > 0 && n <= Self.largestBinomialN {
            cdf = SpecialFunctions.binomialCDF(n: n, p: mean)
        } else {
            cdf = []
        }
    }

    public var varies: Bool { Self.varies(mean: mean, sd: sd) }

    static func varies(mean: Double, sd: Double) -> Bool { sd >= 0.001 && mean >= 0.001 && mean <= 0.999 }

    /// n = ⌊½ + p(1−p)/SD²⌋, at least 1; 0 when there is no variance.
    static func binomialN(mean: Double, sd: Double) -> Int {
        guard varies(mean: mean, sd: sd) else { return 0 }
        return max(1, Int(0.5 + mean * (1 - mean) / (sd * sd)))
    }

    /// This year's rate at percentile `u` ∈ (0, 1), whose standard normal deviate is `z` (= Φ⁻¹(u)).
    public func value(at u: Double, z: Double) -> Double {
        guard varies else { return mean }
        if !cdf.isEmpty {
            return Double(SpecialFunctions.quantile(ofCDF: cdf, at: u)) / Double(n)
        }
        return Self.value(mean: mean, sd: sd, distribution: distribution, at: u, z: z)
    }

    /// The same at percentile `u` alone.
    public func value(at u: Double) -> Double { value(at: u, z: SpecialFunctions.normalQuantile(u)) }

    /// The same without a precomputed table (for a mean that changes each year: density
    /// dependence, rates given as functions).
    public static func value(mean: Double, sd: Double, distribution: EVDistribution, at u: Double, z: Double) -> Double {
        guard varies(mean: mean, sd: sd) else { return mean }
        switch distribution {
        case .binomial:
            let n = binomialN(mean: mean, sd: sd)
            if n > largestBinomialN {
                return min(min(1, 2 * mean), max(max(0, 2 * mean - 1), mean + sd * z))
            }
            return Double(SpecialFunctions.binomialQuantile(n: n, p: mean, u: u)) / Double(n)
        case .beta:
            let variance = min(sd * sd, mean * (1 - mean) * 0.999_999)
            let common = mean * (1 - mean) / variance - 1
            return SpecialFunctions.betaQuantile(u, mean * common, (1 - mean) * common)
        }
    }

    public static func value(mean: Double, sd: Double, distribution: EVDistribution, at u: Double) -> Double {
        value(mean: mean, sd: sd, distribution: distribution, at: u, z: SpecialFunctions.normalQuantile(u))
    }
}

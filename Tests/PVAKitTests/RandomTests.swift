import Foundation
import Testing
@testable import PVAKit

/// The generator against the reference C code, and every distribution
/// against its parameters. Each statistical check uses a fixed seed (in the
/// code) and a tolerance of 4 standard errors, or the χ² critical value at
/// α = 0.001 — a correct implementation fails none of these by chance with
/// these seeds; a wrong one (an off-by-one, a wrong variance) fails by far.
@Suite struct RandomTests {
    @Test func splitMixAndXoshiroMatchTheReferenceImplementation() {
        // Values printed by Vigna's splitmix64.c and xoshiro256starstar.c (seeded
        // with four splitmix64 outputs from state 42), compiled with gcc.
        var sm = SplitMix64(state: 42)
        #expect(sm.next() == 13_679_457_532_755_275_413)
        var rng = RandomStream(seed: 42)
        let expected: [UInt64] = [1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009,
                                  17_057_574_109_182_124_193, 18_295_552_978_065_317_476]
        for value in expected { #expect(rng.next() == value) }
    }

    @Test func streamsDependOnSeedAndReplicate() {
        var a = RandomStream(masterSeed: 1, stream: 0), b = RandomStream(masterSeed: 1, stream: 1)
        var c = RandomStream(masterSeed: 2, stream: 0), d = RandomStream(masterSeed: 1, stream: 0)
        let x = a.next(), y = b.next(), z = c.next(), w = d.next()
        #expect(x != y && x != z && y != z)
        #expect(x == w)
    }

    @Test func uniformAndNormalMoments() {
        var rng = RandomStream(seed: 7)
        let n = 400_000
        var u = [Double](), z = [Double]()
        for _ in 0..<n { u.append(rng.uniform()); z.append(rng.normal()) }
        #expect(abs(Stat.mean(u) - 0.5) < 4 * (1.0 / 12 / Double(n)).squareRoot())
        #expect(abs(Stat.variance(u) - 1.0 / 12) < 4 * (1.0 / 180 / Double(n)).squareRoot())
        #expect(abs(Stat.mean(z)) < 4 / Double(n).squareRoot())
        #expect(abs(Stat.variance(z) - 1) < 4 * (2 / Double(n)).squareRoot())
        // Normal CDF at ±1.96 by counting: P = 0.975 with binomial SE.
        let below = Double(z.filter { $0 < 1.959964 }.count) / Double(n)
        #expect(abs(below - 0.975) < 4 * (0.975 * 0.025 / Double(n)).squareRoot())
    }

    @Test(arguments: [(5, 0.3), (20, 0.5), (60, 0.1), (1_000, 0.3), (100_000, 0.01), (50, 0.97), (400, 0.5)])
    func binomialMatchesItsExactDistribution(_ n: Int, _ p: Double) {
        var rng = RandomStream(seed: UInt64(n) &* 1_000 &+ UInt64(p * 1000))
        let draws = 200_000
        var counts = [Int](repeating: 0, count: n + 1)
        for _ in 0..<draws { counts[rng.binomial(n, p)] += 1 }
        let cdf = SpecialFunctions.binomialCDF(n: n, p: p)
        let pmf = cdf.indices.map { $0 == 0 ? cdf[0] : cdf[$0] - cdf[$0 - 1] }
        let (chi, df) = Stat.chiSquare(observed: counts, expected: pmf)
        #expect(chi < Stat.chiSquareCritical(df: df), "χ² \(chi) on \(df) df for Binomial(\(n), \(p))")
    }

    @Test func betaAndGammaMoments() {
        var rng = RandomStream(seed: 11)
        let n = 200_000
        for (a, b) in [(2.0, 5.0), (0.5, 0.5), (30.0, 3.0)] {
            let x = (0..<n).map { _ in rng.beta(a, b) }
            let mean = a / (a + b), variance = a * b / ((a + b) * (a + b) * (a + b + 1))
            #expect(abs(Stat.mean(x) - mean) < 4 * (variance / Double(n)).squareRoot(), "Beta(\(a), \(b)) mean")
            // Tolerance: 4 SE of the sample variance (from the draws' own fourth moment).
            #expect(abs(Stat.variance(x) - variance) < 4 * Stat.varianceSE(x), "Beta(\(a), \(b)) variance")
        }
        for shape in [0.3, 1.0, 4.5] {
            let x = (0..<n).map { _ in rng.gamma(shape: shape) }
            #expect(abs(Stat.mean(x) - shape) < 4 * (shape / Double(n)).squareRoot(), "Gamma(\(shape)) mean")
        }
    }

    @Test func belowAndCategoricalAreUnbiased() {
        var rng = RandomStream(seed: 3)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<140_000 { counts[rng.below(7)] += 1 }
        var (chi, df) = Stat.chiSquare(observed: counts, expected: [Double](repeating: 1.0 / 7, count: 7))
        #expect(chi < Stat.chiSquareCritical(df: df))
        let p = [0.25, 0.5, 0.2, 0.05]
        let cumulative = [0.25, 0.75, 0.95, 1.0]
        counts = [Int](repeating: 0, count: 4)
        for _ in 0..<100_000 { counts[rng.categorical(cumulative)] += 1 }
        (chi, df) = Stat.chiSquare(observed: counts, expected: p)
        #expect(chi < Stat.chiSquareCritical(df: df))
    }

    @Test func normalQuantileInvertsTheCDF() {
        for p in [1e-10, 0.001, 0.02, 0.3, 0.5, 0.8, 0.975, 0.999_999] {
            #expect(abs(SpecialFunctions.normalCDF(SpecialFunctions.normalQuantile(p)) - p) < 1e-12 * max(1, p / 1e-3))
        }
        #expect(abs(SpecialFunctions.normalQuantile(0.975) - 1.959963984540054) < 1e-12)
    }

    @Test func incompleteBetaKnownValues() {
        // I_x(1, 1) = x; I_x(a, 1) = x^a; I_0.5(a, a) = 0.5.
        #expect(abs(SpecialFunctions.regularizedIncompleteBeta(1, 1, 0.3) - 0.3) < 1e-14)
        #expect(abs(SpecialFunctions.regularizedIncompleteBeta(3, 1, 0.4) - 0.064) < 1e-14)
        #expect(abs(SpecialFunctions.regularizedIncompleteBeta(7, 7, 0.5) - 0.5) < 1e-13)
        #expect(abs(SpecialFunctions.betaQuantile(0.064, 3, 1) - 0.4) < 1e-9)
    }

    @Test func environmentalRatesHaveTheirMeanAndSD() {
        // The yearly rate drawn at a uniform percentile must have the stated mean and SD.
        var rng = RandomStream(seed: 5)
        for distribution in [EVDistribution.binomial, .beta] {
            let rate = EnvironmentalRate(mean: 0.3, sd: 0.1, distribution: distribution)
            let x = (0..<100_000).map { _ in rate.value(at: rng.uniformOpen()) }
            #expect(abs(Stat.mean(x) - 0.3) < 4 * 0.1 / (100_000.0).squareRoot(), "\(distribution) mean")
            // Binomial: n = round(0.21/0.01) = 21, so SD = √(0.21/21) = 0.1 exactly. Tolerance:
            // 4 SE of the sample SD, SE(s) ≈ SE(s²)/(2s).
            let sd = Stat.variance(x).squareRoot()
            #expect(abs(sd - 0.1) < 4 * Stat.varianceSE(x) / (2 * sd), "\(distribution) SD")
            let direct = (0..<20_000).map { _ in EnvironmentalRate.value(mean: 0.3, sd: 0.1, distribution: distribution, at: rng.uniformOpen()) }
            #expect(abs(Stat.mean(direct) - 0.3) < 4 * 0.1 / (20_000.0).squareRoot(), "\(distribution) untabulated mean")
        }
        #expect(EnvironmentalRate(mean: 1, sd: 0.1, distribution: .binomial).value(at: 0.01) == 1)
        // A vanishing SD is no variation, not a trap (it used to overflow the binomial n).
        #expect(abs(EnvironmentalRate(mean: 0.3, sd: 1e-300, distribution: .binomial).value(at: 0.9) - 0.3) < 1e-9)
        #expect(EnvironmentalRate(mean: 0.4, sd: 0, distribution: .binomial).value(at: 0.01) == 0.4)
    }

    @Test func aSmallSDOnAYearlyMeanStillVariesAroundIt() {
        // Density-dependent breeding draws its EV around a mean that changes each year. With
        // SD 0.01 at p = 0.5 the binomial n is 2,500, whose P(0) = 0.5^2500 underflows; the
        // quantile used to come out as 1 (every female bred). The rate drawn at percentiles
        // must have mean p and SD 0.01: 20,000 draws, 4 SE of each.
        var rng = RandomStream(seed: 29)
        let x = (0..<20_000).map { _ in EnvironmentalRate.value(mean: 0.5, sd: 0.01, distribution: .binomial, at: rng.uniformOpen()) }
        #expect(abs(Stat.mean(x) - 0.5) < 4 * 0.01 / (20_000.0).squareRoot(), "mean \(Stat.mean(x))")
        let sd = Stat.variance(x).squareRoot()
        #expect(abs(sd - 0.01) < 4 * Stat.varianceSE(x) / (2 * sd), "SD \(sd)")
        // And the quantile agrees with the tabulated one where both exist.
        let table = EnvironmentalRate(mean: 0.5, sd: 0.01, distribution: .binomial)
        for u in [0.01, 0.3, 0.5, 0.77, 0.999] {
            #expect(table.value(at: u) == EnvironmentalRate.value(mean: 0.5, sd: 0.01, distribution: .binomial, at: u), "u = \(u)")
        }
    }
}

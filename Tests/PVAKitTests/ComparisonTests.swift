import Foundation
import Testing
@testable import PVAKit

/// The statistics of `pva compare` against published and hand-computed cases.
@Suite struct ComparisonTests {
    /// Newcombe (1998, Statistics in Medicine 17:873–890), Table II, method 10 (the hybrid
    /// score interval from two Wilson intervals), his examples (a)–(d), to 4 decimals.
    @Test(arguments: [(56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090),
                      (6, 7, 2, 7, 0.0582, 0.8062), (5, 56, 0, 29, -0.0381, 0.1926)])
    func differenceIntervalIsNewcombesMethod10(_ a: Int, _ na: Int, _ b: Int, _ nb: Int, _ low: Double, _ high: Double) {
        let d = Comparison.proportions(Proportion(a, of: na), Proportion(b, of: nb))
        #expect(abs(d.low - low) < 0.00006 && abs(d.high - high) < 0.00006, "\(d.low) … \(d.high)")
    }

    /// 30 of 1,000 against 50 of 1,000 extinct: pooled p = 0.04, SE = √(0.04 × 0.96 × 2/1000) =
    /// 0.0087636, z = −0.02/0.0087636 = −2.28218, two-sided p = 2Φ(−2.28218) = 0.022479.
    @Test func twoProportionTestByHand() throws {
        let d = Comparison.proportions(Proportion(30, of: 1000), Proportion(50, of: 1000))
        #expect(abs(d.estimate + 0.02) < 1e-12)
        #expect(abs(try #require(d.p) - 0.022479) < 1e-6)
        #expect(Comparison.proportions(Proportion(0, of: 100), Proportion(0, of: 100)).p == nil)
    }

    /// R's documentation of power.prop.test: p1 = 0.50, p2 = 0.75, power 0.90 at the 5 % level
    /// needs n = 76.7 per group (as R prints it); Fleiss's formula (the same normal approximation) by hand for
    /// p1 = 0.65, p2 = 0.85, power 0.80: (1.95996 √(2 × 0.75 × 0.25) + 0.84162 √(0.2275 + 0.1275))²
    /// / 0.2² = 72.39.
    @Test func replicatesForPowerMatchTheTextbook() throws {
        #expect(abs(try #require(Comparison.replicatesForPower(0.5, 0.75, power: 0.9)) - 76.7) < 0.05)
        #expect(abs(try #require(Comparison.replicatesForPower(0.65, 0.85)) - 72.39) < 0.01)
        #expect(Comparison.replicatesForPower(0.1, 0.1) == nil)
    }

    /// x = 1, 2, 3, 4 against y = 3, 5, 6, 7, 8: U = 1.5 (4 beats 3, 3 ties 3); with the tie
    /// correction var U = 4·5/12 · (10 − (2³ − 2)/(9·8)) = 16.528, z = (1.5 − 10)/4.0655 =
    /// −2.0908, two-sided p = 0.036546.
    @Test func mannWhitneyByHand() throws {
        let t = Comparison.mannWhitney([1, 2, 3, 4], [3, 5, 6, 7, 8])
        #expect(t.u == 1.5)
        #expect(abs(try #require(t.z) + 2.090796) < 1e-5)
        #expect(abs(try #require(t.p) - 0.036546) < 1e-5)
        #expect(Comparison.mannWhitney([2, 2], [2, 2, 2]).p == nil)
    }

    /// For n = 100 the distribution-free 95 % interval of the median is the 40th to the 61st
    /// order statistic (binomial(100, ½): 50 ± 1.96 × 5).
    @Test func medianIntervalIsTheOrderStatistics() throws {
        let i = try #require(Comparison.medianInterval(Array(1...100)))
        #expect(i.low == 40 && i.high == 61)
    }

    /// The ranking and the verdicts: a run with P(E) 0.01 against a baseline of 0.05 at 1,000
    /// replicates is lower (p < 0.001); one at 0.055 cannot be told apart, and the replicates
    /// that would separate 0.05 and 0.055 are Fleiss's n (about 31,000).
    @Test func rankingAndVerdicts() throws {
        func run(_ name: String, _ extinct: Int, _ n: Int) -> ComparedRun {
            ComparedRun(name: name, year: 2125, extinct: Proportion(extinct, of: 1000), meanN: Double(n), meanNSE: 5,
                        finalN: (0..<1000).map { n + $0 % 21 - 10 })
        }
        let c = ScenarioComparison(runs: [run("base", 50, 300), run("better", 10, 400), run("same", 55, 301)], baseline: 0)
        #expect(c.rows.map(\.run.name) == ["better", "base", "same"])
        #expect(c.rows[0].verdict.hasPrefix("P(E) lower; final N higher"))
        #expect(c.rows[2].verdict.hasPrefix("P(E) cannot be told apart with 1000 replicates"))
        let n = try #require(c.rows[2].replicatesToSeparate)
        #expect(abs(n - Comparison.replicatesForPower(0.055, 0.05)!) < 1e-9 && n > 30_000 && n < 32_000)
        #expect(c.csv.split(separator: "\n").count == 4)
    }
}

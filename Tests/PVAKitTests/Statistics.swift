import Foundation
@testable import PVAKit

/// Helpers for statistical tests.
enum Stat {
    /// Upper α quantile of χ²(k) by the Wilson–Hilferty approximation
    /// (accurate to a few tenths of a percent for k ≥ 3).
    static func chiSquareCritical(df k: Int, z: Double = 3.090232) -> Double {
        let kd = Double(k)
        let a = 2 / (9 * kd)
        return kd * pow(1 - a + z * a.squareRoot(), 3)
    }

    /// Pearson χ² of observed counts against expected probabilities, with
    /// bins merged (in order) until each expected count is at least 5.
    /// Returns (statistic, degrees of freedom).
    static func chiSquare(observed: [Int], expected probabilities: [Double]) -> (Double, Int) {
        let n = Double(observed.reduce(0, +))
        var bins: [(o: Double, e: Double)] = []
        var o = 0.0, e = 0.0
        for (count, p) in zip(observed, probabilities) {
            o += Double(count)
            e += p * n
            if e >= 5 {
                bins.append((o, e))
                o = 0
                e = 0
            }
        }
        if e > 0 || o > 0 {
            if bins.isEmpty { bins.append((o, e)) } else { bins[bins.count - 1].o += o; bins[bins.count - 1].e += e }
        }
        let statistic = bins.reduce(0) { $0 + ($1.o - $1.e) * ($1.o - $1.e) / $1.e }
        return (statistic, bins.count - 1)
    }

    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }

    static func variance(_ x: [Double]) -> Double {
        let m = mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }

    /// Standard error of the sample variance of iid draws, from their own fourth central
    /// moment: SE(s²) ≈ √((m₄ − s⁴)/n).
    static func varianceSE(_ x: [Double]) -> Double {
        let m = mean(x), n = Double(x.count)
        let s2 = variance(x)
        let m4 = x.reduce(0) { $0 + pow($1 - m, 4) } / n
        return (max(0, m4 - s2 * s2) / n).squareRoot()
    }
}

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

    /// SE of the SD of r pooled over replicate-years, with replicates as clusters (delta
    /// method): SE(s) ≈ SE(mean r²)/(2s), where the second moment's SE treats each
    /// replicate's Σr² as one observation. (r has mean near 0 relative to its SD in the
    /// reference runs, so the mean's own variation is negligible here.)
    static func growthSDStandardError(_ records: [ReplicateRecord], sd: Double) -> Double {
        let records = records.filter { $0.rCount > 0 }
        let years = Double(records.reduce(0) { $0 + $1.rCount })
        let secondMoment = records.reduce(0) { $0 + $1.rSumOfSquares } / years
        let deviation = records.reduce(0.0) { $0 + pow($1.rSumOfSquares - Double($1.rCount) * secondMoment, 2) }
        let seSecond = (Double(records.count) / Double(records.count - 1) * deviation).squareRoot() / years
        return seSecond / (2 * sd)
    }

    /// Two-sample Kolmogorov–Smirnov statistic D = sup |F₁ − F₂|.
    static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            let v = min(x[i], y[j])
            while i < x.count && x[i] <= v { i += 1 }
            while j < y.count && y[j] <= v { j += 1 }
            d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        return d
    }

    /// The KS critical value at level α = 0.001 for samples of sizes n and m:
    /// c(α)·√((n + m)/(n·m)) with c = √(−ln(α/2)/2) = 1.949.
    static func kolmogorovSmirnovCritical(_ n: Int, _ m: Int) -> Double {
        1.949 * (Double(n + m) / Double(n * m)).squareRoot()
    }
}

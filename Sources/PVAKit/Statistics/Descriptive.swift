import Foundation

/// Mean, SD (n − 1), SE and quantiles of one sample.
public struct Descriptive: Sendable, Equatable {
    public var n: Int
    public var mean: Double?
    public var sd: Double?
    public var se: Double?
    /// Quantiles at 5, 25, 50, 75, 95 % (R's type 7: linear interpolation).
    public var quantiles: [Double?]

    public static let probabilities = [0.05, 0.25, 0.5, 0.75, 0.95]

    /// Summary of `values`; summation runs in the order given.
    public init(_ values: [Double]) {
        n = values.count
        guard n > 0 else {
            mean = nil; sd = nil; se = nil
            quantiles = Self.probabilities.map { _ in nil }
            return
        }
        var sum = 0.0
        for v in values { sum += v }
        let m = sum / Double(n)
        mean = m
        if n > 1 {
            var squares = 0.0
            for v in values { squares += (v - m) * (v - m) }
            let s = (squares / Double(n - 1)).squareRoot()
            sd = s
            se = s / Double(n).squareRoot()
        } else {
            sd = nil
            se = nil
        }
        let sorted = values.sorted()
        quantiles = Self.probabilities.map { Self.quantile(sorted, $0) }
    }

    /// Type-7 quantile of sorted data.
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}

/// Binomial proportion with SE and Wilson 95 % interval.
public struct Proportion: Sendable, Equatable {
    public var successes: Int
    public var trials: Int

    public init(_ successes: Int, of trials: Int) {
        self.successes = successes
        self.trials = trials
    }

    public var estimate: Double? { trials > 0 ? Double(successes) / Double(trials) : nil }

    public var standardError: Double? {
        guard let p = estimate else { return nil }
        return (p * (1 - p) / Double(trials)).squareRoot()
    }

    /// Wilson score interval (z = 1.959964).
    public var wilson95: (low: Double, high: Double)? {
        guard let p = estimate else { return nil }
        let z = 1.959963984540054
        let n = Double(trials)
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
        return (max(0, centre - half), min(1, centre + half))
    }
}

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
        let n = values.count
        guard n > 0 else { self.init(empty: ()); return }
        var sum = 0.0
        for v in values { sum += v }
        let m = sum / Double(n)
        var squares = 0.0
        for v in values { squares += (v - m) * (v - m) }
        let sorted = values.sorted()
        self.init(n: n, mean: m, variance: n > 1 ? squares / Double(n - 1) : nil,
                  quantiles: Self.probabilities.map { Self.quantile(sorted, $0) })
    }

    /// Summary of whole numbers given as a histogram: exact integer sums, so the
    /// result does not depend on the order the values were counted in.
    public init(_ histogram: CountHistogram) {
        let pairs = histogram.pairs
        let n = histogram.count
        guard n > 0 else { self.init(empty: ()); return }
        var sum: Int128 = 0, squares: Int128 = 0
        for (v, c) in pairs {
            sum += Int128(v) * Int128(c)
            squares += Int128(v) * Int128(v) * Int128(c)
        }
        let count = Int128(n)
        // (n Σv² − (Σv)²) / (n (n − 1)), exact up to the final division.
        let numerator = count * squares - sum * sum
        let variance = n > 1 ? Double(numerator) / (Double(n) * Double(n - 1)) : nil
        self.init(n: n, mean: Double(sum) / Double(n), variance: variance,
                  quantiles: Self.probabilities.map { Self.quantile(pairs, count: n, $0) })
    }

    private init(empty: Void) {
        n = 0
        mean = nil; sd = nil; se = nil
        quantiles = Self.probabilities.map { _ in nil }
    }

    private init(n: Int, mean: Double, variance: Double?, quantiles: [Double?]) {
        self.n = n
        self.mean = mean
        self.quantiles = quantiles
        if let variance {
            let s = max(0, variance).squareRoot()
            sd = s
            se = s / Double(n).squareRoot()
        } else {
            sd = nil
            se = nil
        }
    }

    /// Type-7 quantile of sorted data.
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// Type-7 quantile of `count` values given as increasing (value, count) pairs.
    static func quantile(_ pairs: [(value: Int, count: Int)], count: Int, _ p: Double) -> Double {
        let h = Double(count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, count - 1)
        func value(atRank k: Int) -> Double {
            var seen = 0
            for (v, c) in pairs {
                seen += c
                if k < seen { return Double(v) }
            }
            return Double(pairs[pairs.count - 1].value)
        }
        let a = value(atRank: lo), b = value(atRank: hi)
        return a + (h - Double(lo)) * (b - a)
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

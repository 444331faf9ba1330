import Foundation

/// A discrete distribution over whole numbers, sampled by walking its
/// cumulative table from the smallest value: the draw is the first value
/// whose cumulative probability exceeds one uniform deviate (the same draw as
/// `RandomStream.categorical`). The table is allocated once and read through
/// pointers, so a draw in a hot loop costs no reference counting.
final class DiscreteSampler: @unchecked Sendable {
    private let values: UnsafeMutablePointer<Int>
    private let cumulative: UnsafeMutablePointer<Double>
    let count: Int

    /// `values` with `probabilities` (summing to 1).
    init(values: [Int], probabilities: [Double]) {
        precondition(!values.isEmpty && values.count == probabilities.count)
        count = values.count
        self.values = .allocate(capacity: count)
        self.values.initialize(from: values, count: count)
        cumulative = .allocate(capacity: count)
        var total = 0.0
        for (i, p) in probabilities.enumerated() {
            total += p
            cumulative[i] = total
        }
        cumulative[count - 1] = 1
    }

    deinit {
        values.deallocate()
        cumulative.deallocate()
    }

    @inline(__always)
    func draw(_ rng: inout RandomStream) -> Int {
        if count == 1 { return values[0] }
        let u = rng.uniform()
        var i = 0
        let last = count - 1
        while i < last && u >= cumulative[i] { i &+= 1 }
        return values[i]
    }
}

/// Samples an age at first breeding from a sex's distribution.
typealias MaturitySampler = DiscreteSampler

extension DiscreteSampler {
    convenience init(_ d: AgeDistribution) {
        self.init(values: d.ages, probabilities: d.probabilities)
    }

    /// Samples litter sizes. A Normal(mean, SD) litter rounded to the nearest whole number
    /// (negatives → 0, no cap) is itself a discrete distribution,
    /// P(k) = Φ((k + ½ − μ)/σ) − Φ((k − ½ − μ)/σ), so it is tabulated once (tail mass below
    /// 1e-15 dropped) and sampled the same way: the same law as rounding a normal deviate, at
    /// a fraction of the cost.
    convenience init(_ l: LitterSize) {
        let distribution = l.realisedDistribution
        self.init(values: distribution.map(\.size), probabilities: distribution.map(\.probability))
    }
}

typealias LitterSampler = DiscreteSampler

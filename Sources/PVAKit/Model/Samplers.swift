import Foundation

/// Samples an age at first breeding from a sex's distribution.
struct MaturitySampler: Sendable {
    let ages: [Int]
    let cumulative: [Double]

    init(_ d: AgeDistribution) {
        ages = d.ages
        var c: [Double] = []
        var total = 0.0
        for p in d.probabilities { total += p; c.append(total) }
        c[c.count - 1] = 1
        cumulative = c
    }

    func draw(_ rng: inout RandomStream) -> Int {
        ages.count == 1 ? ages[0] : ages[rng.categorical(cumulative)]
    }
}

/// Samples litter sizes from a cumulative table. A Normal(mean, SD) litter
/// rounded to the nearest whole number (negatives → 0, no cap) is itself a
/// discrete distribution, P(k) = Φ((k + ½ − μ)/σ) − Φ((k − ½ − μ)/σ), so it is
/// tabulated once (tail mass below 1e-15 dropped) and sampled the same way:
/// the same law as rounding a normal deviate, at a fraction of the cost.
struct LitterSampler: Sendable {
    let sizes: [Int]
    let cumulative: [Double]

    init(_ l: LitterSize) {
        let distribution = l.realisedDistribution
        sizes = distribution.map(\.size)
        var c: [Double] = []
        var total = 0.0
        for x in distribution { total += x.probability; c.append(total) }
        c[c.count - 1] = 1
        cumulative = c
    }

    /// The same draw as `RandomStream.categorical(cumulative)`, written out for the hot loop.
    @inline(__always)
    func draw(_ rng: inout RandomStream) -> Int {
        if sizes.count == 1 { return sizes[0] }
        let u = rng.uniform()
        return cumulative.withUnsafeBufferPointer { c in
            var i = 0
            let last = c.count - 1
            while i < last && u >= c[i] { i &+= 1 }
            return sizes[i]
        }
    }
}

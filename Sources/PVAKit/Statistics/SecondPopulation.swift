/// The second-population question for one target region (MODEL.md §6): over the
/// replicates, the probability that at least `threshold` animals aged `minimumAge` or more
/// live in the region at year t, and that so many have by year t; the median year they
/// first do; their number, the share of them born there and their gene diversity.
public struct SecondPopulation: Sendable {
    public var region: String
    public var regionIndex: Int
    public var threshold: Int
    public var minimumAge: Int
    /// Every census t = 0…years.
    public var years: [Year]
    /// The calendar year by which half the replicates first had `threshold` animals there
    /// (nil when fewer than half ever did).
    public var medianYearReached: Int?

    public struct Year: Sendable {
        public var t: Int
        public var year: Int
        /// Replicates with at least the threshold at t, and that had reached it at some census up to t.
        public var atLeast: Proportion
        public var reachedBy: Proportion
        /// Animals counted (aged at least the minimum age), over all replicates.
        public var n: Descriptive
        /// Σ born there / Σ counted over the replicates (nil when nobody was counted).
        public var bornThereShare: Double?
        /// Mean gene diversity of the animals in the region, over replicates with animals there.
        public var geneDiversity: Double?
    }

    /// Target `k` of the model of `result`.
    init(_ result: RunResult, target k: Int) {
        let model = result.model
        let c = result.census
        let stride = model.years + 1
        regionIndex = model.targetRegions[k]
        region = model.spatial!.landscape.regions[regionIndex].name
        threshold = c.targetThreshold
        minimumAge = model.targets.minimumAge
        var reached = 0
        years = (0...model.years).map { t in
            let i = k * stride + t
            reached += c.targetFirstReached[i]
            let counted = c.targetCounted[i]
            return Year(t: t, year: model.startYear + t, atLeast: Proportion(c.targetAtLeast[i], of: c.replicates),
                        reachedBy: Proportion(reached, of: c.replicates), n: Descriptive(c.targetN[i]),
                        bornThereShare: counted > 0 ? Double(c.targetBornThere[i]) / Double(counted) : nil,
                        geneDiversity: c.genetic(.geneDiversity, t: t, region: model.targetRegions[k]).mean)
        }
        medianYearReached = years.first { ($0.reachedBy.estimate ?? 0) >= 0.5 }?.year
    }

    /// All target regions of the model of `result`.
    static func all(_ result: RunResult) -> [SecondPopulation] {
        result.model.targetRegions.indices.map { SecondPopulation(result, target: $0) }
    }
}

import Foundation

/// What one replicate leaves for the per-replicate outputs (`replicates.csv`,
/// `trajectories.csv`): its trajectory by sex, its extinction year and its
/// growth-rate sums. Handed to a `ReplicateSink` as the replicate ends, so
/// nothing per replicate is kept in memory.
public struct ReplicateRecord: Sendable, Codable {
    public var index: Int
    /// N by sex at each census t = 0…years.
    public var females: [Int32]
    public var males: [Int32]
    /// Simulation year of first extinction (nil if never).
    public var extinctionYear: Int?
    /// Σ r, Σ r² and the number of extant years with an r (r = ln N_r(t)/N(t−1)).
    public var rSum = 0.0
    public var rSumOfSquares = 0.0
    public var rCount = 0
    public var harvested = 0
    public var harvestShortfall = 0
    public var supplemented = 0
    /// Wild animals moved by translocations, and those a translocation wanted but did not find.
    public var translocated = 0
    public var releaseShortfall = 0
    /// Per target region k and census t, at [k · (years + 1) + t]: animals of at least the
    /// targets' minimum age in the region, and those among them born there.
    public var targetCounts: [Int32]
    public var targetBornThere: [Int32]

    init(index: Int, years: Int, targets: Int = 0) {
        self.index = index
        females = [Int32](repeating: 0, count: years + 1)
        males = females
        targetCounts = [Int32](repeating: 0, count: targets * (years + 1))
        targetBornThere = targetCounts
    }

    /// Animals counted in target region `k` at census t.
    public func target(_ k: Int, t: Int) -> Int { Int(targetCounts[k * (females.count) + t]) }

    public func n(_ t: Int) -> Int { Int(females[t]) + Int(males[t]) }

    /// Adds this year's r = ln(N now / N at the last census), as Vortex does: only in a year
    /// the replicate entered extant, with N > 0 at the last census and the population not
    /// extinct now (both sexes present, under Vortex's definition).
    mutating func addGrowth(previousN: Int, females: Int, males: Int, model: EngineModel) {
        guard extinctionYear == nil, previousN > 0, females + males > 0,
              !model.isExtinct(females: females, males: males) else { return }
        let g = log(Double(females + males) / Double(previousN))
        rSum += g
        rSumOfSquares += g * g
        rCount += 1
    }
}

/// Receives every replicate's record as it finishes, from the worker that ran
/// it (so in any order, and concurrently): the command line formats and
/// streams the per-replicate files from here.
public protocol ReplicateSink: Sendable {
    func receive(_ record: ReplicateRecord)
}

/// Keeps every record, in replicate order (for tests and small runs).
public final class RecordCollector: ReplicateSink, @unchecked Sendable {
    private let lock = NSLock()
    private var byIndex: [Int: ReplicateRecord] = [:]

    public init() {}

    public func receive(_ record: ReplicateRecord) { lock.withLock { byIndex[record.index] = record } }

    public var records: [ReplicateRecord] { lock.withLock { byIndex.keys.sorted().map { byIndex[$0]! } } }
}

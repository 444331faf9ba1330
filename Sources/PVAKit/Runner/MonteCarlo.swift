import Dispatch
import Foundation
import Synchronization

/// A run's results: the summed tallies and census statistics of every
/// replicate (the per-replicate records went to the sink as they finished).
public struct RunResult: Sendable {
    public let model: EngineModel
    public private(set) var tallies: Tallies
    public private(set) var census: CensusAccumulator

    /// No replicates yet: the empty statistics of a run of `model`.
    public init(empty model: EngineModel) {
        self.model = model
        tallies = Tallies(model: model)
        census = CensusAccumulator(model: model)
    }

    /// Adds the statistics of other replicates of the same run (another worker's, or a
    /// shard's): integer and exact sums, so the order of addition does not matter.
    public mutating func add(_ tallies: Tallies, _ census: CensusAccumulator) {
        self.tallies.add(tallies)
        self.census.add(census)
    }

    /// Σ over replicates and years of the animals alive at the start of the
    /// year: the unit of BENCHMARK.md's individual-years per second.
    public var individualYears: Int { census.individualYears }
    public var replicates: Int { census.replicates }
}

/// Fixed slots written by exactly one worker each (no two workers touch the
/// same slot, and the array is read only after all workers have finished).
final class Slots<T>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<T?>
    let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(1, count))
        base.initialize(repeating: nil, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func set(_ index: Int, _ value: T) { base[index] = value }
    func values() -> [T] { (0..<count).map { base[$0]! } }
}

/// The Monte Carlo runner. The unit of parallelism is the replicate: each
/// replicate's streams come from (master seed, replicate index), workers take
/// the next replicate index from a shared counter (the only lock, taken once
/// per replicate), and each worker accumulates its own integer tallies and
/// histograms, merged exactly at the end; so the output is byte-identical for
/// any thread count, and memory does not grow with the number of replicates.
public enum MonteCarlo {
    public static var defaultThreads: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Options of a run that change no result.
    public struct Options: Sendable {
        public var threads: Int
        /// Replicates to run (default: all of the model's); a shard runs a sub-range.
        public var replicates: Range<Int>?
        /// Check the table and the space after every stage (slow; for CI and debugging).
        public var checkInvariants: Bool

        public init(threads: Int = MonteCarlo.defaultThreads, replicates: Range<Int>? = nil, checkInvariants: Bool = false) {
            self.threads = threads
            self.replicates = replicates
            self.checkInvariants = checkInvariants
        }
    }

    /// Runs every replicate of `model`. `sink` receives each replicate's record and
    /// `progress` is called once per finished replicate, both from worker threads.
    public static func run(_ model: EngineModel, threads: Int = defaultThreads, sink: (any ReplicateSink)? = nil,
                           progress: (@Sendable () -> Void)? = nil) -> RunResult {
        run(model, options: Options(threads: threads), sink: sink, progress: progress)
    }

    public static func run(_ model: EngineModel, options: Options, sink: (any ReplicateSink)? = nil,
                           progress: (@Sendable () -> Void)? = nil) -> RunResult {
        if model.mode != .individual {
            return run(model, options: options, sink: sink, progress: progress) { CountReplicate(model: model) }
        }
        if model.spatial != nil {
            return run(model, options: options, sink: sink, progress: progress) { Replicate(model: model, space: Gridded(model)) }
        }
        return run(model, options: options, sink: sink, progress: progress) { Replicate(model: model, space: Unstructured()) }
    }

    static func run<R: ReplicateRunner>(_ model: EngineModel, options: Options, sink: (any ReplicateSink)?,
                                        progress: (@Sendable () -> Void)?, replicate make: @Sendable () -> R) -> RunResult {
        let range = options.replicates ?? 0..<model.replicates
        let workers = max(1, min(options.threads, range.count))
        let results = Slots<(Tallies, CensusAccumulator)>(count: workers)
        let next = Mutex(range.lowerBound)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let replicate = make()
            replicate.checksInvariants = options.checkInvariants
            while true {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < range.upperBound else { break }
                let record = replicate.run(index)
                sink?.receive(record)
                progress?()
            }
            results.set(worker, (replicate.tallies, replicate.census))
        }
        var result = RunResult(empty: model)
        for (t, c) in results.values() { result.add(t, c) }
        return result
    }
}

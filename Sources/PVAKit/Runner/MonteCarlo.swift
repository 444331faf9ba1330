import Dispatch
import Foundation
import Synchronization

/// All replicates of one run, in replicate order, with the summed tallies.
public struct RunResult: Sendable {
    public let model: EngineModel
    public let records: [ReplicateRecord]
    public let tallies: Tallies

    /// Σ over replicates and years of the animals alive at the start of the
    /// year: the unit of BENCHMARK.md's individual-years per second.
    public var individualYears: Int {
        let classes = model.classCount
        var total = 0
        for record in records {
            for t in 0..<model.years {
                let base = t * 2 * classes
                for i in 0..<(2 * classes) { total += Int(record.census[base + i]) }
            }
        }
        return total
    }
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
/// replicate's stream comes from (master seed, replicate index), workers take
/// the next replicate index from a shared counter (the only lock, taken once
/// per replicate), and results land in the replicate's own slot. Floating
/// point reductions then run in replicate order and integer tallies are
/// summed exactly, so the output is byte-identical for any thread count.
public enum MonteCarlo {
    public static var defaultThreads: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Runs every replicate of `model`. `progress` is called (from worker
    /// threads) once per finished replicate.
    public static func run(_ model: EngineModel, threads: Int = defaultThreads,
                           progress: (@Sendable () -> Void)? = nil) -> RunResult {
        let replicates = model.scenario.run.replicates
        let workers = max(1, min(threads, replicates))
        let records = Slots<ReplicateRecord>(count: replicates)
        let workerTallies = Slots<Tallies>(count: workers)
        let next = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let engine = ReplicateEngine(model: model)
            while true {
                let replicate = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard replicate < replicates else { break }
                records.set(replicate, engine.run(replicate: replicate))
                progress?()
            }
            workerTallies.set(worker, engine.tallies)
        }
        var tallies = Tallies(years: model.years, classCount: model.classCount,
                              regions: model.regionCount, cells: model.spatial?.landscape.cellCount ?? 0)
        for t in workerTallies.values() { tallies.add(t) }
        return RunResult(model: model, records: records.values(), tallies: tallies)
    }
}

import Dispatch
import Synchronization

/// Runs the draws of a study (`pva calibrate`, `pva sensitivity`) in parallel, each on one
/// thread: a draw compiles its scenario (serial, and as costly as its replicates) and runs
/// its replicates. Workers take the next draw index from a shared counter; each draw's
/// outcome depends only on its index, so the result is the same for any thread count and
/// for any split of the indices into shards.
public enum DrawRunner {
    /// `body` for every index of `indices`, in index order; `progress` is called once per
    /// finished draw. The first failing draw in index order throws.
    public static func run<T: Sendable>(_ indices: Range<Int>, threads: Int,
                                        body: @Sendable (Int) throws(ScenarioErrors) -> T,
                                        progress: @Sendable () -> Void = {}) throws(ScenarioErrors) -> [T] {
        let outcomes = Slots<Result<T, ScenarioErrors>>(count: indices.count)
        let next = Mutex(indices.lowerBound)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, indices.count))) { _ in
            while true {
                let i = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard i < indices.upperBound else { break }
                do throws(ScenarioErrors) {
                    outcomes.set(i - indices.lowerBound, .success(try body(i)))
                } catch {
                    outcomes.set(i - indices.lowerBound, .failure(error))
                }
                progress()
            }
        }
        var values: [T] = []
        values.reserveCapacity(indices.count)
        for outcome in outcomes.values() {
            switch outcome {
            case .success(let value): values.append(value)
            case .failure(let error): throw error
            }
        }
        return values
    }
}

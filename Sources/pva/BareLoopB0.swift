import Dispatch
import Foundation
import PVAKit
import Synchronization

/// BENCHMARK.md's B0 written as the barest structure-of-arrays loop (no
/// scenario, no statistics, no causes of death): the reference the engine's
/// speed is compared with on the same machine in the same process.
enum BareLoopB0 {
    /// Runs `replicates` replicates of 100 years; returns the individual-years.
    static func run(replicates: Int, threads: Int, seed: UInt64 = 1) -> Int {
        runWithFinalSizes(replicates: replicates, threads: threads, seed: seed).individualYears
    }

    /// Also returns Σ final N and Σ final N², and how many replicates hit the ceiling.
    static func runWithFinalSizes(replicates: Int, threads: Int, seed: UInt64 = 1)
        -> (individualYears: Int, finalSum: Int, finalSumOfSquares: Int, ceilingHits: Int) {
        let next = Mutex(0)
        let totals = Mutex((0, 0, 0, 0))
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, replicates))) { _ in
            var age = [Int32](), female = [Bool](), rested = [Bool]()
            var local = (0, 0, 0, 0)
            while true {
                let r = next.withLock { v -> Int in defer { v += 1 }; return v }
                guard r < replicates else { break }
                let (years, hit) = replicate(seed: seed, index: r, age: &age, female: &female, rested: &rested)
                local.0 += years
                local.1 += age.count
                local.2 += age.count * age.count
                local.3 += hit ? 1 : 0
            }
            totals.withLock { $0.0 += local.0; $0.1 += local.1; $0.2 += local.2; $0.3 += local.3 }
        }
        let t = totals.withLock { $0 }
        return (t.0, t.1, t.2, t.3)
    }

    private static func replicate(seed: UInt64, index: Int, age: inout [Int32], female: inout [Bool], rested: inout [Bool]) -> (Int, Bool) {
        var rng = RandomStream(masterSeed: seed, stream: UInt64(index))
        age.removeAll(keepingCapacity: true)
        female.removeAll(keepingCapacity: true)
        rested.removeAll(keepingCapacity: true)
        for i in 0..<200 {
            age.append(Int32(i % 11))
            female.append(i < 100)
            rested.append(false)
        }
        let litterCDF = [0.20, 0.65, 0.95, 1.0]
        var individualYears = 0
        var hit = false
        for _ in 0..<100 {
            let n = age.count
            individualYears += n
            // 1. Breeding, if a male aged ≥ 3 is alive.
            var maleAlive = false
            for i in 0..<n where !female[i] && age[i] >= 3 { maleAlive = true; break }
            if maleAlive {
                for i in 0..<n where female[i] && age[i] >= 3 {
                    if rested[i] { rested[i] = false; continue }
                    if rng.uniform() < 0.6 {
                        rested[i] = true
                        let u = rng.uniform()
                        var litter = 1
                        while litter < 4 && u >= litterCDF[litter - 1] { litter += 1 }
                        for _ in 0..<litter {
                            age.append(-1)
                            female.append(rng.uniform() < 0.5)
                            rested.append(false)
                        }
                    }
                }
            }
            // 2. Ageing and survival, compacting in place.
            var w = 0
            let m = age.count
            age.withUnsafeMutableBufferPointer { age in
                female.withUnsafeMutableBufferPointer { female in
                    rested.withUnsafeMutableBufferPointer { rested in
                        for i in 0..<m {
                            let a = age[i] + 1
                            let s = a == 0 ? 0.55 : (a <= 2 ? 0.80 : 0.90)
                            if a > 15 || rng.uniform() >= s { continue }
                            age[w] = a
                            female[w] = female[i]
                            rested[w] = rested[i]
                            w += 1
                        }
                    }
                }
            }
            age.removeLast(m - w)
            female.removeLast(m - w)
            rested.removeLast(m - w)
            // 3. Ceiling K = 1000.
            if age.count > 1000 { hit = true }
            while age.count > 1000 {
                let j = rng.below(age.count)
                age.swapAt(j, age.count - 1); age.removeLast()
                female.swapAt(j, female.count - 1); female.removeLast()
                rested.swapAt(j, rested.count - 1); rested.removeLast()
            }
        }
        return (individualYears, hit)
    }
}

extension Year {
    /// Stage 9: while N > K, uniformly random animals are removed until N = K
    /// (young in their care die with them). Only a non-spatial model has a K; a
    /// landscape's capacity is its territories.
    enum Truncate {
        static func run<S: Space>(_ r: Replicate<S>) {
            let t = r.table
            let n = t.count
            guard n > r.capacity else { return }
            let excess = n - r.capacity
            r.scratch.removeAll(keepingCapacity: true)
            for row in 0..<n { r.scratch.append(Int32(truncatingIfNeeded: row)) }
            var rng = r.rng
            let fate = t.fate.base
            r.scratch.withUnsafeMutableBufferPointer { rows in
                for i in 0..<excess {
                    let j = i + rng.below(n - i)
                    rows.swapAt(i, j)
                    fate[Int(rows[i])] = DeathCause.truncation.rawValue
                }
            }
            r.rng = rng
            t.markOrphans()
            r.removeDead()
        }
    }
}

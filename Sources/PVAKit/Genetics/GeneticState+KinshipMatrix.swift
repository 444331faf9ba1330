/// Kinship among the living as a matrix over the slots (Vortex's method, MODEL.md §4.8): a
/// newborn's row is the mean of its parents' rows, one pass over the slots per birth and per
/// death. Used while a replicate needs at most `matrixSlots` slots.
extension GeneticState {
    /// Sets the kinship row, column and self-kinship of slot `n` from `value(j)` for every
    /// slot j, and adds the animal to the living and to the running kinship sum.
    @inline(__always)
    func enter(_ n: Int, inbreeding f: Float, _ value: (Int) -> Float) {
        let row = kinship + n * capacity
        var sum = 0.0
        for j in 0..<used {
            let v = value(j)
            row[j] = v
            sum += Double(living[j] * v)
        }
        row[n] = 0.5 * (1 + f)
        for j in 0..<used where j != n { kinship[j * capacity + n] = row[j] }
        inbreeding[n] = f
        lethalHomozygote[n] = 0
        living[n] = 1
        kinshipSum += 2 * sum + Double(row[n])
    }

    /// The matrix's part of `addQueuedOffspring` (shares, `held` = 2 and slots set): each young's
    /// kinship row is the mean of its parents' rows over every slot, its kinship with a litter-
    /// or year-mate follows from those rows, and the columns of the whole year's young are
    /// written in blocks of rows (one scattered write per young and living animal would miss the
    /// cache at every write).
    func addQueuedToMatrix(slots: [Int], mothers: [Int], fathers: [Int]) {
        let b = slots.count
        let c = capacity, k = kinship
        // Rows over every slot (entries for this stage's young are set below).
        for i in 0..<b {
            let row = k + slots[i] * c, rd = k + mothers[i] * c
            if fathers[i] >= 0 {
                let rs = k + fathers[i] * c
                for j in 0..<used { row[j] = 0.5 * (rd[j] + rs[j]) }
            } else {
                for j in 0..<used { row[j] = 0.5 * rd[j] }
            }
        }
        // Among this stage's young: k(x, y) = ½(k(mother of x, y) + k(father of x, y)), read from
        // y's row (the parents are older); self-kinship ½(1 + F).
        var batchSum = 0.0
        for i in 0..<b {
            let n = slots[i], d = mothers[i], s = fathers[i]
            let f = s >= 0 ? k[d * c + s] : 0
            for i2 in 0..<b where i2 != i {
                let y = k + slots[i2] * c
                let v = 0.5 * (y[d] + (s >= 0 ? y[s] : 0))
                k[n * c + slots[i2]] = v
                batchSum += Double(v)
            }
            k[n * c + n] = 0.5 * (1 + f)
            batchSum += Double(k[n * c + n])
            inbreeding[n] = f
        }
        // Columns: every living animal's entry for each young, a block of rows at a time
        // (`held` is 1 for the living since the stage's `sync`, 2 for this stage's young).
        let block = 64
        var jb = 0
        while jb < used {
            let je = min(used, jb + block)
            for i in 0..<b {
                let n = slots[i], row = k + n * c
                for j in jb..<je where held[j] == 1 { k[j &* c &+ n] = row[j] }
            }
            jb = je
        }
        // The running sum over ordered pairs of the living: young × living (both orders), and
        // young × young.
        var sum = 0.0
        for i in 0..<b { sum += Self.dot(living, k + slots[i] * c, used) }
        kinshipSum += 2 * sum + batchSum
    }

    /// Σ a[j]·b[j] for j < n, in 8 Float lanes (the kinship sums' one hot loop).
    @inline(__always) static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Double {
        var acc = SIMD8<Float>()
        var j = 0
        while j + 8 <= n {
            acc += UnsafeRawPointer(a + j).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(b + j).loadUnaligned(as: SIMD8<Float>.self)
            j += 8
        }
        var sum = Double(acc.sum())
        while j < n {
            sum += Double(a[j] * b[j])
            j += 1
        }
        return sum
    }
}

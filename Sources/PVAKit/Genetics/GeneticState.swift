import Foundation

/// One replicate's genetics (MODEL.md §4.8), owned by a worker and reused from
/// replicate to replicate. Every animal holds a slot (`AnimalTable.geneSlot`) with
/// its kinship row, F, genotype and share of release-source ancestry.
///
/// **Exact pedigree F, kinship among the living (Vortex's method).** The slot matrix
/// holds the kinship of every pair of living animals. A newborn's row is the mean of its
/// parents' rows, k(x, j) = ½(k(mother, j) + k(father, j)), its F is k(mother, father) and its
/// self-kinship ½(1 + F): F is the exact pedigree coefficient, at a cost of one pass over
/// the living per birth (no ancestor is ever traced, the pedigree of the dead is not kept).
/// Founders have kinship `founderKinship` with each other and that F; an animal released from
/// a captive source has the source's kinship with every other animal of that source, weighted
/// by that animal's share of ancestry from it, 0 with wild ones and those of other sources, and
/// the source's F. Mean kinship (self-pairs included) is
/// kept as a running sum, updated per birth and per death.
///
/// **Gene drop.** Each founder gene copy at a neutral locus is, with probability w, one of
/// M equally frequent alleles of the founders' source, else an allele of its own (M =
/// ⌊1/k⌋, w = √(kM)), so two distinct founder copies are identical with probability k, the
/// founders' kinship (unique alleles when k = 0). Each young takes one random copy from
/// each parent. At ⌈2B·share⌉ lethal loci each founder copy is, with probability
/// q = B·share / loci, a lethal allele of its own; a young homozygous for a lethal allele dies
/// in its first year (cause inbreeding), so the expected first-year hazard from lethals is
/// B·share·F and lethals are purged.
final class GeneticState {
    let settings: GeneticsSettings
    let neutralLoci: Int
    let lethalLoci: Int
    /// Alleles per slot: two per locus, neutral loci first.
    let width: Int
    let lethalProbability: Double
    /// Founders' and each captive source's shared alleles (ids [first, first + count)), and
    /// each source's kinship and F.
    private let wild: AllelePool
    private let sources: [AllelePool]
    private let sourceKinship: [Float]
    private let sourceInbreeding: [Float]
    /// The genes stream (`RandomStream.Purpose.genes`): no demographic draw depends on it.
    var rng = RandomStream(seed: 0)

    private(set) var capacity = 0
    /// Slots ever handed out in this replicate ([0, used)); dead slots are reused.
    private(set) var used = 0
    /// kinship[i · capacity + j]; only entries between living slots are current.
    private var kinship: UnsafeMutablePointer<Float>
    private(set) var inbreeding: UnsafeMutablePointer<Float>
    /// 1 for a young homozygous for a lethal allele.
    private(set) var lethalHomozygote: UnsafeMutablePointer<UInt8>
    /// Share of the animal's ancestry from each captive source: [slot · sources + k].
    private var sourceShare: UnsafeMutablePointer<Float>
    /// 1 for a slot held by a living animal (as of the last `sync`), else 0.
    private var living: UnsafeMutablePointer<Float>
    /// Alleles by locus, then slot: the two copies of locus l of slot n at (l · capacity + n) · 2
    /// (a census reads one locus of every animal at a time).
    private var genome: UnsafeMutablePointer<Int32>
    /// Scratch from a `sync` to the end of its stage: 1 for a slot a living animal holds
    /// (2 for a young being entered).
    private var held: UnsafeMutablePointer<UInt8>
    private var free: [Int32] = []
    /// Σ kinship over ordered pairs of living animals (self-pairs included).
    private var kinshipSum = 0.0
    private var nextAllele: Int32 = 0
    private var alleleCounts: [Int32] = []
    private var regionRows: [[Int32]] = []
    private var queue: [(row: Int32, mother: Int32, father: Int32)] = []

    /// M shared alleles, each copy one of them with probability w = √(kM), so two copies are
    /// identical with probability w²/M = k for any M ≤ 1/k (w ≤ 1). M = ⌊1/k⌋, at most
    /// `largest`: below kinship 1/largest the same k comes from fewer shared alleles drawn less
    /// often (an unbounded M overflowed for a kinship near 0 and sized the allele tally by it).
    struct AllelePool {
        let first: Int32
        let count: Int
        let weight: Double
        static let largest = 10_000

        init(kinship k: Double, first: Int32) {
            self.first = first
            count = k > 0 ? Int(min((1 / k).rounded(.down), Double(Self.largest))) : 0
            weight = count > 0 ? (k * Double(count)).squareRoot() : 0
        }
    }

    /// `captive`: kinship and F of each captive release source (index 0: supplementation's).
    init(settings: GeneticsSettings, captive: [(kinship: Double, inbreeding: Double)]) {
        self.settings = settings
        neutralLoci = settings.neutralLoci
        let lethal = settings.lethalPart
        lethalLoci = lethal > 0 ? Int((2 * lethal).rounded(.up)) : 0
        lethalProbability = lethalLoci > 0 ? lethal / Double(lethalLoci) : 0
        width = 2 * (neutralLoci + lethalLoci)
        wild = AllelePool(kinship: settings.founderKinship, first: 0)
        var pools: [AllelePool] = []
        var first = Int32(wild.count)
        for c in captive {
            pools.append(AllelePool(kinship: c.kinship, first: first))
            first += Int32(pools.last!.count)
        }
        sources = pools
        sourceKinship = captive.map { Float($0.kinship) }
        sourceInbreeding = captive.map { Float($0.inbreeding) }
        kinship = .allocate(capacity: 1)
        inbreeding = .allocate(capacity: 1)
        lethalHomozygote = .allocate(capacity: 1)
        sourceShare = .allocate(capacity: 1)
        living = .allocate(capacity: 1)
        genome = .allocate(capacity: 1)
        held = .allocate(capacity: 1)
        grow(to: 64)
    }

    deinit {
        for p in [UnsafeMutableRawPointer(kinship), UnsafeMutableRawPointer(inbreeding), UnsafeMutableRawPointer(lethalHomozygote),
                  UnsafeMutableRawPointer(sourceShare), UnsafeMutableRawPointer(living), UnsafeMutableRawPointer(genome),
                  UnsafeMutableRawPointer(held)] { p.deallocate() }
    }

    private func grow(to c: Int) {
        let oldHeld = held
        let old = capacity
        func moved<T>(_ p: UnsafeMutablePointer<T>, _ perSlot: Int) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: c * perSlot)
            q.update(from: p, count: used * perSlot)
            p.deallocate()
            return q
        }
        let k = UnsafeMutablePointer<Float>.allocate(capacity: c * c)
        for i in 0..<used { (k + i * c).update(from: kinship + i * old, count: used) }
        kinship.deallocate()
        kinship = k
        inbreeding = moved(inbreeding, 1)
        lethalHomozygote = moved(lethalHomozygote, 1)
        sourceShare = moved(sourceShare, sources.count)
        living = moved(living, 1)
        let g = UnsafeMutablePointer<Int32>.allocate(capacity: c * width)
        for l in 0..<(width / 2) { (g + l * c * 2).update(from: genome + l * old * 2, count: used * 2) }
        genome.deallocate()
        genome = g
        held = .allocate(capacity: c)
        held.initialize(repeating: 0, count: c)
        held.update(from: oldHeld, count: used)
        oldHeld.deallocate()
        capacity = c
    }

    /// A new replicate: no animals, the genes stream of replicate `index`.
    func reset(masterSeed: UInt64, index: Int) {
        rng = RandomStream(masterSeed: masterSeed, stream: UInt64(index), purpose: .genes)
        used = 0
        free.removeAll(keepingCapacity: true)
        kinshipSum = 0
        nextAllele = sources.last.map { $0.first + Int32($0.count) } ?? Int32(wild.count)
    }

    private func newSlot() -> Int {
        if let s = free.popLast() { return Int(s) }
        if used == capacity { grow(to: capacity + capacity / 2) }  // ×1.5: the matrix is capacity² floats
        used += 1
        return used - 1
    }

    /// The two copies of locus `l` of slot `n`.
    @inline(__always) private func locus(_ l: Int, _ n: Int) -> UnsafeMutablePointer<Int32> { genome + (l * capacity + n) * 2 }

    @inline(__always) private func freshAllele() -> Int32 {
        nextAllele &+= 1
        return nextAllele - 1
    }

    /// A copy drawn from a source: a shared allele (with the pool's weight) or one of its own.
    private func poolCopy(_ pool: AllelePool) -> Int32 {
        pool.count > 0 && rng.uniform() < pool.weight ? pool.first + Int32(rng.below(pool.count)) : freshAllele()
    }

    /// A lethal-locus copy from outside the pedigree: its own allele, lethal (negative) with q.
    private func outsideLethalCopy() -> Int32 {
        let a = freshAllele()
        return rng.uniform() < lethalProbability ? -a - 1 : a
    }

    /// Sets the kinship row, column and self-kinship of slot `n` from `value(j)` for every
    /// slot j, and adds the animal to the living and to the running kinship sum.
    @inline(__always)
    private func enter(_ n: Int, inbreeding f: Float, _ value: (Int) -> Float) {
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

    /// Every row without a slot becomes a founder: kinship `founderKinship` with the other
    /// founders, that F, alleles from the founders' source.
    func addFounders(_ t: AnimalTable) {
        let k = Float(settings.founderKinship)
        for row in 0..<t.count where t.geneSlot[row] < 0 {
            addFromSource(row, table: t, inbreeding: k, source: nil, pool: wild) { j in self.living[j] > 0 ? k : 0 }
        }
    }

    /// An animal released from captive source `k`: the source's kinship × the other animal's
    /// share of ancestry from it, the source's F, alleles from the source.
    func addReleased(_ row: Int, source k: Int, table t: AnimalTable) {
        let kinship = sourceKinship[k], s = sources.count
        addFromSource(row, table: t, inbreeding: sourceInbreeding[k], source: k, pool: sources[k]) { j in kinship * self.sourceShare[j * s + k] }
    }

    /// An animal without parents in the pedigree: its kinship with slot j is `kinship(j)`, its
    /// alleles come from `pool` (lethal loci: its own alleles).
    private func addFromSource(_ row: Int, table t: AnimalTable, inbreeding f: Float, source: Int?, pool: AllelePool,
                               kinship value: (Int) -> Float) {
        let n = newSlot()
        t.geneSlot[row] = Int32(n)
        living[n] = 0
        enter(n, inbreeding: f, value)
        for k in sources.indices { sourceShare[n * sources.count + k] = k == source ? 1 : 0 }
        for l in 0..<(width / 2) {
            for copy in 0..<2 { locus(l, n)[copy] = l < neutralLoci ? poolCopy(pool) : outsideLethalCopy() }
        }
    }

    /// Queues a young of `mother` and `father` (rows; father −1 when unknown: an unrelated
    /// outsider) born this Breed stage; `addQueuedOffspring` enters the stage's young together.
    func queueOffspring(_ row: Int, mother: Int, father: Int) {
        queue.append((Int32(row), Int32(mother), Int32(father)))
    }

    /// Enters the queued young: each young's kinship row is the mean of its parents' rows over
    /// every slot, its kinship with a litter- or year-mate follows from those rows, and the
    /// columns of the whole year's young are written in blocks of rows (one scattered write
    /// per young and living animal would miss the cache at every write).
    func addQueuedOffspring(_ t: AnimalTable) {
        let b = queue.count
        guard b > 0 else { return }
        defer { queue.removeAll(keepingCapacity: true) }
        sync(t)
        var slots = [Int](repeating: 0, count: b), mothers = slots, fathers = slots
        for (i, q) in queue.enumerated() {
            let n = newSlot()
            slots[i] = n
            living[n] = 0
            t.geneSlot[Int(q.row)] = Int32(n)
        }
        for (i, q) in queue.enumerated() {
            mothers[i] = Int(t.geneSlot[Int(q.mother)])
            fathers[i] = q.father >= 0 ? Int(t.geneSlot[Int(q.father)]) : -1
            held[slots[i]] = 2  // a young of this stage (`held` is scratch between syncs)
        }
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
            let m = sources.count
            for k in 0..<m { sourceShare[n * m + k] = 0.5 * (sourceShare[d * m + k] + (s >= 0 ? sourceShare[s * m + k] : 0)) }
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
        for i in 0..<b {
            living[slots[i]] = 1
            held[slots[i]] = 0
            drop(into: slots[i], mother: mothers[i], father: fathers[i])
        }
    }

    /// Mendel: one random copy of each locus from each parent; notes a lethal homozygote.
    private func drop(into n: Int, mother d: Int, father s: Int) {
        var bits = rng.next(), left = 64
        var lethal: UInt8 = 0
        for l in 0..<(neutralLoci + lethalLoci) {
            if left < 2 { bits = rng.next(); left = 64 }
            let g = locus(l, n)
            g[0] = locus(l, d)[Int(bits & 1)]
            if s >= 0 {
                g[1] = locus(l, s)[Int((bits >> 1) & 1)]
            } else {
                g[1] = l < neutralLoci ? freshAllele() : outsideLethalCopy()
            }
            if l >= neutralLoci && g[0] < 0 && g[0] == g[1] { lethal = 1 }
            bits >>= 2
            left -= 2
        }
        lethalHomozygote[n] = lethal
    }

    /// A single young (tests): queued and entered at once.
    func addOffspring(_ row: Int, mother: Int, father: Int, table t: AnimalTable) {
        queueOffspring(row, mother: mother, father: father)
        addQueuedOffspring(t)
    }

    /// Σ a[j]·b[j] for j < n, in 8 Float lanes (the kinship sums' one hot loop).
    @inline(__always) private static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Double {
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

    /// Frees the slots of animals no longer in the table (each death leaves the kinship sum).
    func sync(_ t: AnimalTable) {
        held.update(repeating: 0, count: used)
        let slots = t.geneSlot.base
        for row in 0..<t.count where slots[row] >= 0 { held[Int(slots[row])] = 1 }
        for s in 0..<used where living[s] > 0 && held[s] == 0 {
            living[s] = 0
            let row = kinship + s * capacity
            kinshipSum -= 2 * Self.dot(living, row, used) + Double(row[s])
            free.append(Int32(s))
        }
    }

    /// Broken invariants (`pva run --check-invariants`): every animal holds its own slot.
    func invariantViolations(_ t: AnimalTable) -> [String] {
        var seen = Set<Int32>(), problems: [String] = []
        for row in 0..<t.count {
            let s = t.geneSlot[row]
            if s < 0 || Int(s) >= used { problems.append("row \(row): genetic slot \(s) outside 0..<\(used)") }
            else if !seen.insert(s).inserted { problems.append("row \(row): genetic slot \(s) held twice") }
            else if inbreeding[Int(s)] < 0 || inbreeding[Int(s)] > 1 { problems.append("row \(row): F \(inbreeding[Int(s)]) outside 0…1") }
        }
        return problems
    }

    /// F of the animal in `row`.
    @inline(__always) func inbreeding(ofRow row: Int, table t: AnimalTable) -> Double { Double(inbreeding[Int(t.geneSlot[row])]) }

    /// The two alleles of the animal in `row` at neutral locus `locus` (for tests).
    func alleles(ofRow row: Int, locus: Int, table t: AnimalTable) -> (Int32, Int32) {
        let g = self.locus(locus, Int(t.geneSlot[row]))
        return (g[0], g[1])
    }

    /// Kinship of the animals in two rows (for tests and reports).
    func kinship(_ a: Int, _ b: Int, table t: AnimalTable) -> Double {
        Double(kinship[Int(t.geneSlot[a]) * capacity + Int(t.geneSlot[b])])
    }

    /// The year's genetic measures of the living (`GeneticMeasure` order); nil when none live.
    func measures(_ t: AnimalTable) -> [Double]? {
        let n = t.count
        guard n > 0 else { return nil }
        sync(t)
        var m = withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { rows in
            for i in 0..<n { rows[i] = Int32(i) }
            return measures(t, rows: UnsafeBufferPointer(rows))
        }
        m[GeneticMeasure.meanKinship.rawValue] = kinshipSum / (Double(n) * Double(n))
        return m
    }

    /// Per region of `landscape`, the `GeneticMeasure.regional` measures of the animals whose
    /// cell lies in it (nil for an empty region). Call after `measures(_:)` in the same census.
    func regionalMeasures(_ t: AnimalTable, landscape l: Landscape) -> [[Double]?] {
        if regionRows.count != l.regions.count { regionRows = [[Int32]](repeating: [], count: l.regions.count) }
        for i in regionRows.indices { regionRows[i].removeAll(keepingCapacity: true) }
        let cell = t.cell.base
        for row in 0..<t.count {
            let c = Int(cell[row])
            guard c >= 0 else { continue }
            for k in Int(l.regionOffsets[c])..<Int(l.regionOffsets[c + 1]) { regionRows[Int(l.regionsOfCell[k])].append(Int32(row)) }
        }
        return regionRows.map { rows in
            guard !rows.isEmpty else { return nil }
            let m = rows.withUnsafeBufferPointer { measures(t, rows: $0) }
            return GeneticMeasure.regional.map { m[$0.rawValue] }
        }
    }

    /// The measures of the animals in `rows` (the table's slots current), mean kinship aside
    /// (it is kept for the whole population only).
    func measures(_ t: AnimalTable, rows: UnsafeBufferPointer<Int32>) -> [Double] {
        let slots = t.geneSlot.base
        if alleleCounts.count < Int(nextAllele) { alleleCounts = [Int32](repeating: 0, count: Int(nextAllele) * 2) }
        var diversity = 0.0, heterozygous = 0, alleles = 0, fSum = 0.0, lethalCopies = 0
        for row in rows { fSum += Double(inbreeding[Int(slots[Int(row)])]) }
        alleleCounts.withUnsafeMutableBufferPointer { counts in
            let copies = Double(2 * rows.count)
            for l in 0..<neutralLoci {
                var squares = 0
                for row in rows {
                    let g = locus(l, Int(slots[Int(row)]))
                    heterozygous += g[0] != g[1] ? 1 : 0
                    for copy in 0..<2 {
                        let a = Int(g[copy])
                        if counts[a] == 0 { alleles += 1 }
                        squares &+= 2 &* Int(counts[a]) &+ 1  // (c + 1)² − c²
                        counts[a] += 1
                    }
                }
                diversity += 1 - Double(squares) / (copies * copies)
                for row in rows {
                    let g = locus(l, Int(slots[Int(row)]))
                    counts[Int(g[0])] = 0
                    counts[Int(g[1])] = 0
                }
            }
        }
        for l in neutralLoci..<(width / 2) {
            for row in rows {
                let g = locus(l, Int(slots[Int(row)]))
                lethalCopies += (g[0] < 0 ? 1 : 0) + (g[1] < 0 ? 1 : 0)
            }
        }
        let loci = Double(neutralLoci), count = Double(rows.count)
        return [diversity / loci, Double(heterozygous) / (loci * count), Double(alleles) / loci, fSum / count, .nan,
                lethalLoci > 0 ? Double(lethalCopies) / (2 * count * Double(lethalLoci)) : 0]
    }
}

import Foundation

/// One replicate's genetics (MODEL.md §4.8), owned by a worker and reused from
/// replicate to replicate. Every animal holds a slot (`AnimalTable.geneSlot`) with
/// its relatives' kinship, F, genotype and shares of ancestry by source.
///
/// **Exact pedigree F, kinship among the living (Vortex's method).** A
/// newborn's kinship with each living animal j is the mean of its parents',
/// k(x, j) = ½(k(mother, j) + k(father, j)), its F is k(mother, father) and its self-kinship
/// ½(1 + F): F is the exact pedigree coefficient (no ancestor is ever traced, the pedigree of
/// the dead is not kept). Founders have kinship `founderKinship` with each other and that F; an
/// animal released from a captive source has the source's kinship with every other animal of
/// that source, weighted by that animal's share of ancestry from it, 0 with wild ones and those
/// of other sources, and the source's F; an unknown father is an outsider related to no one.
///
/// **Two storages.** While a replicate needs at most `matrixSlots` (2,048) slots, or while most pairs
/// of the living are related, kinship is a matrix over the slots (`GeneticState+KinshipMatrix`):
/// a newborn's row is the mean of its parents' rows, one pass over the slots per birth and per
/// death, Float lanes. On a large map most pairs share no pedigree ancestor, and their kinship
/// is the **background** b(a, j) = Σ_s k_s p_s(a) p_s(j) over the sources s (the wild founders
/// with k = founderKinship, each captive source with its kinship), p_s(a) the share of a's
/// ancestry from s (1 for a founder or released animal of s, the parents' mean for a young, an
/// unknown father contributing 0). The background obeys the same recursion as kinship, so the
/// replicate then moves, for good, to per-slot lists of the pairs whose kinship differs from
/// it (`GeneticState+KinshipLists`, `KinshipLists`): a young's list is the merge of its
/// parents' lists and the parents themselves, an entry kept where the value differs from b,
/// and each relative gets the young in its list; cost per birth and per death is the number
/// of the animal's relatives, not N. When every animal descends from the wild founders
/// alone, b = founderKinship for every pair (k halves and sums back to itself exactly in
/// Float) and the lists hold bit for bit the matrix's values; with captive sources or unknown
/// fathers an unrelated pair's k·p·p can differ from the matrix's ½(b + b′) in the last Float
/// bit. Mean kinship (self-pairs included) is kept as a running sum updated per birth and
/// per death: with the matrix Σ over the rows in Float lanes, with the lists
/// Σ_s k_s((Σ p_s)² − Σ p_s²) + Σ self-kinship + Σ (stored − background) in Double.
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
    let sources: [AllelePool]
    let wildKinship: Float
    let sourceKinship: [Float]
    let sourceInbreeding: [Float]
    /// The genes stream (`RandomStream.Purpose.genes`): no demographic draw depends on it.
    var rng = RandomStream(seed: 0)

    @exclusivity(unchecked) var capacity = 0
    /// Slots ever handed out in this replicate ([0, used)); dead slots are reused once no list
    /// names them.
    @exclusivity(unchecked) var used = 0
    /// Kinship among the living is kept in one of two ways: a matrix over the slots (the
    /// cheapest way when nearly every pair is related), and, once a replicate needs more than
    /// `matrixSlots` slots while fewer than `listsShare` of the pairs sampled are related, for
    /// the rest of the replicate, per slot the list of the slots whose kinship with it is not
    /// the background (cost per birth the number of relatives, whatever N). 2,048 slots: the
    /// default's largest replicates (N up to about 1,160 in 1,000 × 100 years, plus a year's
    /// young) and every shipped scenario stay in the matrix, whose mean kinship sums Float
    /// lanes, so their outputs are those of the matrix alone to the last digit (at 1,024 a few
    /// replicates moved to the lists and mean kinship changed in its sixth decimal).
    static let matrixSlots = 2048
    static let listsShare = 0.25
    @exclusivity(unchecked) var usesMatrix = true
    /// Slots needed above which `useLists` samples the relatedness (`matrixSlots`, raised after
    /// each sample that keeps the matrix).
    @exclusivity(unchecked) var listsCheck = GeneticState.matrixSlots
    /// The matrix: kinship[i · capacity + j]; only entries between living slots are current.
    @exclusivity(unchecked) var kinship: UnsafeMutablePointer<Float>
    /// Σ kinship over ordered pairs of living animals (self-pairs included), with the matrix.
    @exclusivity(unchecked) var kinshipSum = 0.0
    /// The lists: per slot, the other slots whose kinship with it is not the background.
    @exclusivity(unchecked) var lists = KinshipLists()
    @exclusivity(unchecked) var inbreeding: UnsafeMutablePointer<Float>
    /// 1 for a young homozygous for a lethal allele.
    @exclusivity(unchecked) var lethalHomozygote: UnsafeMutablePointer<UInt8>
    /// Share of the animal's ancestry from the wild founders, and from each captive source:
    /// [slot · sources + k].
    @exclusivity(unchecked) var wildShare: UnsafeMutablePointer<Float>
    @exclusivity(unchecked) var sourceShare: UnsafeMutablePointer<Float>
    /// 1 for a slot held by a living animal (as of the last `sync`), else 0.
    @exclusivity(unchecked) var living: UnsafeMutablePointer<Float>
    /// Alleles by locus, then slot: the two copies of locus l of slot n at (l · capacity + n) · 2
    /// (a census reads one locus of every animal at a time).
    @exclusivity(unchecked) var genome: UnsafeMutablePointer<Int32>
    /// Scratch from a `sync` to the end of its stage: 1 for a slot a living animal holds
    /// (2 for a young being entered).
    @exclusivity(unchecked) var held: UnsafeMutablePointer<UInt8>
    /// Scratch of the merges, per slot: a parent's kinship with it, valid where the mark is
    /// the current stamp.
    @exclusivity(unchecked) var mother: UnsafeMutablePointer<Float>
    @exclusivity(unchecked) var father: UnsafeMutablePointer<Float>
    @exclusivity(unchecked) var motherMark: UnsafeMutablePointer<UInt32>
    @exclusivity(unchecked) var fatherMark: UnsafeMutablePointer<UInt32>
    @exclusivity(unchecked) var stamp: UInt32 = 0
    /// True while every animal of the replicate descends from the wild founders alone (no
    /// captive source, no unknown father): the background is then founderKinship for every pair.
    @exclusivity(unchecked) var uniformBackground = true
    @exclusivity(unchecked) var free: [Int32] = []
    /// Slots of the dead still named in lists: freed at the next `reclaim`.
    @exclusivity(unchecked) var dead: [Int32] = []
    /// Mean kinship's running sums over the living: Σ p_s and Σ p_s² per source (wild first),
    /// Σ self-kinship, and Σ (kinship − background) over the stored ordered pairs.
    @exclusivity(unchecked) var shareSums: [Double] = []
    @exclusivity(unchecked) var shareSquares: [Double] = []
    @exclusivity(unchecked) var selfSum = 0.0
    @exclusivity(unchecked) var excessSum = 0.0
    @exclusivity(unchecked) private var nextAllele: Int32 = 0
    private var alleleCounts: [Int32] = []
    private var regionRows: [[Int32]] = []
    @exclusivity(unchecked) var queue: [(row: Int32, mother: Int32, father: Int32)] = []

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
        wildKinship = Float(settings.founderKinship)
        sourceKinship = captive.map { Float($0.kinship) }
        sourceInbreeding = captive.map { Float($0.inbreeding) }
        kinship = .allocate(capacity: 1)
        inbreeding = .allocate(capacity: 1)
        lethalHomozygote = .allocate(capacity: 1)
        wildShare = .allocate(capacity: 1)
        sourceShare = .allocate(capacity: 1)
        living = .allocate(capacity: 1)
        genome = .allocate(capacity: 1)
        held = .allocate(capacity: 1)
        mother = .allocate(capacity: 1)
        father = .allocate(capacity: 1)
        motherMark = .allocate(capacity: 1)
        fatherMark = .allocate(capacity: 1)
        grow(to: 64)
    }

    deinit {
        for p in [UnsafeMutableRawPointer(kinship), UnsafeMutableRawPointer(inbreeding), UnsafeMutableRawPointer(lethalHomozygote), UnsafeMutableRawPointer(wildShare),
                  UnsafeMutableRawPointer(sourceShare), UnsafeMutableRawPointer(living), UnsafeMutableRawPointer(genome),
                  UnsafeMutableRawPointer(held), UnsafeMutableRawPointer(mother), UnsafeMutableRawPointer(father),
                  UnsafeMutableRawPointer(motherMark), UnsafeMutableRawPointer(fatherMark)] { p.deallocate() }
        lists.deallocate()
    }

    func grow(to c: Int) {
        let old = capacity
        if usesMatrix {
            let k = UnsafeMutablePointer<Float>.allocate(capacity: c * c)
            for i in 0..<used { (k + i * c).update(from: kinship + i * old, count: used) }
            kinship.deallocate()
            kinship = k
        }
        func moved<T>(_ p: UnsafeMutablePointer<T>, _ perSlot: Int, fill: T? = nil) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: c * perSlot)
            q.update(from: p, count: old * perSlot)
            if let fill { (q + old * perSlot).initialize(repeating: fill, count: (c - old) * perSlot) }
            p.deallocate()
            return q
        }
        inbreeding = moved(inbreeding, 1)
        lethalHomozygote = moved(lethalHomozygote, 1)
        wildShare = moved(wildShare, 1)
        sourceShare = moved(sourceShare, sources.count)
        living = moved(living, 1, fill: 0)
        held = moved(held, 1, fill: 0)
        mother = moved(mother, 1, fill: 0)
        father = moved(father, 1, fill: 0)
        motherMark = moved(motherMark, 1, fill: 0)
        fatherMark = moved(fatherMark, 1, fill: 0)
        let g = UnsafeMutablePointer<Int32>.allocate(capacity: c * width)
        for l in 0..<(width / 2) { (g + l * c * 2).update(from: genome + l * old * 2, count: used * 2) }
        genome.deallocate()
        genome = g
        lists.grow(slots: c)
        capacity = c
    }

    /// A new replicate: no animals, the genes stream of replicate `index`.
    func reset(masterSeed: UInt64, index: Int) {
        rng = RandomStream(masterSeed: masterSeed, stream: UInt64(index), purpose: .genes)
        living.update(repeating: 0, count: used)
        used = 0
        free.removeAll(keepingCapacity: true)
        dead.removeAll(keepingCapacity: true)
        lists.removeAll()
        shareSums = [Double](repeating: 0, count: 1 + sources.count)
        shareSquares = shareSums
        selfSum = 0
        excessSum = 0
        kinshipSum = 0
        uniformBackground = true
        listsCheck = Self.matrixSlots
        if !usesMatrix {
            // Back to the matrix, at the first size (the lists may have used many slots).
            usesMatrix = true
            capacity = 0
            grow(to: 64)
        }
        nextAllele = sources.last.map { $0.first + Int32($0.count) } ?? Int32(wild.count)
    }

    /// A slot for a new animal (with the matrix, `useLists(for:)` has been asked first).
    func newSlot() -> Int {
        reclaim()
        if let s = free.popLast() { return Int(s) }
        if used == capacity { grow(to: capacity + capacity / 2) }  // ×1.5: the matrix is capacity² floats
        used += 1
        return used - 1
    }

    /// The two copies of locus `l` of slot `n`.
    @inline(__always) func locus(_ l: Int, _ n: Int) -> UnsafeMutablePointer<Int32> { genome + (l * capacity + n) * 2 }

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

    @inline(__always) func selfKinship(_ a: Int) -> Float { 0.5 * (1 + inbreeding[a]) }

    /// Every row without a slot becomes a founder: kinship `founderKinship` with the other
    /// founders, that F, alleles from the founders' source.
    func addFounders(_ t: AnimalTable) {
        let k = wildKinship
        // The storage is chosen once for all the founders: so many that the matrix would not
        // last go straight to the lists.
        let founders = (0..<t.count).reduce(0) { $0 + (t.geneSlot[$1] < 0 ? 1 : 0) }
        useLists(for: founders, sample: (0..<min(used, 16)).filter { living[$0] > 0 })
        for row in 0..<t.count where t.geneSlot[row] < 0 {
            addFromSource(row, table: t, inbreeding: k, source: nil, pool: wild) { j in self.living[j] > 0 ? k : 0 }
        }
    }

    /// An animal released from captive source `k`: the source's kinship × the other animal's
    /// share of ancestry from it, the source's F, alleles from the source.
    func addReleased(_ row: Int, source k: Int, table t: AnimalTable) {
        let kinship = sourceKinship[k], s = sources.count
        useLists(for: 1, sample: (0..<min(used, 16)).filter { living[$0] > 0 })
        addFromSource(row, table: t, inbreeding: sourceInbreeding[k], source: k, pool: sources[k]) { j in kinship * self.sourceShare[j * s + k] }
    }

    /// An animal without parents in the pedigree (`useLists(for:)` asked first): its kinship
    /// with slot j is `kinship(j)` (in the lists: the background, no entries), its alleles come
    /// from `pool` (lethal loci: its own).
    private func addFromSource(_ row: Int, table t: AnimalTable, inbreeding f: Float, source: Int?, pool: AllelePool,
                               kinship value: (Int) -> Float) {
        let n = newSlot()
        t.geneSlot[row] = Int32(n)
        living[n] = 0
        wildShare[n] = source == nil ? 1 : 0
        if source != nil { uniformBackground = false }
        for k in sources.indices { sourceShare[n * sources.count + k] = k == source ? 1 : 0 }
        if usesMatrix {
            enter(n, inbreeding: f, value)
        } else {
            lists.startList(n, room: 0)
            inbreeding[n] = f
            lethalHomozygote[n] = 0
            held[n] = 0
            count(n, sign: 1)
            living[n] = 1
        }
        for l in 0..<(width / 2) {
            for copy in 0..<2 { locus(l, n)[copy] = l < neutralLoci ? poolCopy(pool) : outsideLethalCopy() }
        }
    }

    /// Queues a young of `mother` and `father` (rows; father −1 when unknown: an unrelated
    /// outsider) born this Breed stage; `addQueuedOffspring` enters the stage's young together.
    func queueOffspring(_ row: Int, mother: Int, father: Int) {
        queue.append((Int32(row), Int32(mother), Int32(father)))
    }

    /// Enters the queued young: each young's kinship with every living animal is the mean of its
    /// parents', with the matrix (`addQueuedToMatrix`) or the lists (`addQueuedToLists`).
    func addQueuedOffspring(_ t: AnimalTable) {
        let b = queue.count
        guard b > 0 else { return }
        defer { queue.removeAll(keepingCapacity: true) }
        sync(t)
        var slots = [Int](repeating: 0, count: b), mothers = slots, fathers = slots
        for (i, q) in queue.enumerated() {
            mothers[i] = Int(t.geneSlot[Int(q.mother)])
            fathers[i] = q.father >= 0 ? Int(t.geneSlot[Int(q.father)]) : -1
        }
        useLists(for: b, sample: mothers.prefix(16))
        for (i, q) in queue.enumerated() {
            let n = newSlot()
            slots[i] = n
            t.geneSlot[Int(q.row)] = Int32(n)
        }
        let m = sources.count
        for i in 0..<b {
            let n = slots[i], d = mothers[i], s = fathers[i]
            held[n] = 2  // a young of this stage (`held` is scratch between syncs)
            living[n] = 0
            lethalHomozygote[n] = 0
            wildShare[n] = 0.5 * (wildShare[d] + (s >= 0 ? wildShare[s] : 0))
            if s < 0 { uniformBackground = false }
            for k in 0..<m { sourceShare[n * m + k] = 0.5 * (sourceShare[d * m + k] + (s >= 0 ? sourceShare[s * m + k] : 0)) }
        }
        if usesMatrix {
            addQueuedToMatrix(slots: slots, mothers: mothers, fathers: fathers)
        } else {
            addQueuedToLists(slots: slots, mothers: mothers, fathers: fathers)
        }
        for i in 0..<b {
            living[slots[i]] = 1
            held[slots[i]] = 1
            drop(into: slots[i], mother: mothers[i], father: fathers[i])
        }
    }

    /// Switches from the matrix to the lists, for the rest of the replicate, when `more` new
    /// animals would need more than `matrixSlots` slots and fewer than `listsShare` of the
    /// living are related (kinship not the background) to the animals of `sample` (say, the
    /// mothers of a year's young): on a large map most pairs are unrelated and the lists are
    /// cheaper; where nearly every pair is related the matrix stays, as it is then the cheaper,
    /// and is sampled again only once the slots needed have grown by a quarter.
    func useLists(for more: Int, sample: some Collection<Int>) {
        let needed = used - free.count + more
        guard usesMatrix, needed > listsCheck else { return }
        var related = 0, pairs = 0
        for a in sample {
            let row = kinship + a * capacity
            for j in 0..<used where j != a && living[j] > 0 {
                pairs += 1
                if row[j] != background(a, j) { related += 1 }
            }
        }
        if Double(related) < Self.listsShare * Double(max(pairs, 1)) {
            convertToLists()
        } else {
            listsCheck = needed + needed / 4
        }
    }

    /// Mendel: one random copy of each locus from each parent; notes a lethal homozygote.
    func drop(into n: Int, mother d: Int, father s: Int) {
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

    /// Takes the animals no longer in the table out of the living and out of mean kinship.
    func sync(_ t: AnimalTable) {
        held.update(repeating: 0, count: used)
        let slots = t.geneSlot.base
        for row in 0..<t.count where slots[row] >= 0 { held[Int(slots[row])] = 1 }
        for s in 0..<used where living[s] > 0 && held[s] == 0 {
            living[s] = 0
            if usesMatrix {
                let row = kinship + s * capacity
                kinshipSum -= 2 * Self.dot(living, row, used) + Double(row[s])
                free.append(Int32(s))
            } else {
                count(s, sign: -1)
                dead.append(Int32(s))  // freed once no list names it
            }
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
        let x = Int(t.geneSlot[a]), y = Int(t.geneSlot[b])
        if usesMatrix { return Double(kinship[x * capacity + y]) }
        if x == y { return Double(selfKinship(x)) }
        return Double(lists.find(x, y) ?? background(x, y))
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
        guard !usesMatrix else {
            m[GeneticMeasure.meanKinship.rawValue] = kinshipSum / (Double(n) * Double(n))
            return m
        }
        var sum = selfSum + excessSum
        sum += Double(wildKinship) * (shareSums[0] * shareSums[0] - shareSquares[0])
        for k in sources.indices { sum += Double(sourceKinship[k]) * (shareSums[1 + k] * shareSums[1 + k] - shareSquares[1 + k]) }
        m[GeneticMeasure.meanKinship.rawValue] = sum / (Double(n) * Double(n))
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

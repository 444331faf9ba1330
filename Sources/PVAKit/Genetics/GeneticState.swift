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
/// Founders have kinship `founderKinship` with each other and that F; released animals
/// `releaseSourceKinship` with every other animal of the source, weighted by that animal's
/// share of source ancestry, and 0 with wild ones. Mean kinship (self-pairs included) is
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
    /// Founders' and the release source's shared alleles (ids [first, first + count)).
    private let wild: AllelePool
    private let source: AllelePool
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
    /// Share of the animal's ancestry from the release source.
    private var sourceShare: UnsafeMutablePointer<Float>
    /// 1 for a slot held by a living animal (as of the last `sync`), else 0.
    private var living: UnsafeMutablePointer<Float>
    private var genome: UnsafeMutablePointer<Int32>
    private var held: UnsafeMutablePointer<UInt8>
    private var free: [Int32] = []
    /// Σ kinship over ordered pairs of living animals (self-pairs included).
    private var kinshipSum = 0.0
    private var nextAllele: Int32 = 0
    private var alleleCounts: [Int32] = []
    private var regionRows: [[Int32]] = []

    struct AllelePool {
        let first: Int32
        let count: Int
        let weight: Double

        init(kinship k: Double, first: Int32) {
            self.first = first
            count = k > 0 ? Int((1 / k).rounded(.down)) : 0
            weight = count > 0 ? (k * Double(count)).squareRoot() : 0
        }
    }

    init(settings: GeneticsSettings) {
        self.settings = settings
        neutralLoci = settings.neutralLoci
        let lethal = settings.lethalPart
        lethalLoci = lethal > 0 ? Int((2 * lethal).rounded(.up)) : 0
        lethalProbability = lethalLoci > 0 ? lethal / Double(lethalLoci) : 0
        width = 2 * (neutralLoci + lethalLoci)
        wild = AllelePool(kinship: settings.founderKinship, first: 0)
        source = AllelePool(kinship: settings.releaseSourceKinship, first: Int32(wild.count))
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
        sourceShare = moved(sourceShare, 1)
        living = moved(living, 1)
        genome = moved(genome, width)
        held.deallocate()
        held = .allocate(capacity: c)
        capacity = c
    }

    /// A new replicate: no animals, the genes stream of replicate `index`.
    func reset(masterSeed: UInt64, index: Int) {
        rng = RandomStream(masterSeed: masterSeed, stream: UInt64(index), purpose: .genes)
        used = 0
        free.removeAll(keepingCapacity: true)
        kinshipSum = 0
        nextAllele = source.first + Int32(source.count)
    }

    private func newSlot() -> Int {
        if let s = free.popLast() { return Int(s) }
        if used == capacity { grow(to: 2 * capacity) }
        used += 1
        return used - 1
    }

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
        let slots = t.geneSlot.base
        for row in 0..<t.count where slots[row] < 0 {
            let n = newSlot()
            slots[row] = Int32(n)
            living[n] = 0
            enter(n, inbreeding: k) { j in self.living[j] > 0 ? k : 0 }
            sourceShare[n] = 0
            let g = genome + n * width
            for i in 0..<(2 * neutralLoci) { g[i] = poolCopy(wild) }
            for i in (2 * neutralLoci)..<width { g[i] = outsideLethalCopy() }
        }
    }

    /// A released animal from the captive source: kinship `releaseSourceKinship` × the other
    /// animal's share of source ancestry, that F, alleles from the source.
    func addReleased(_ row: Int, table t: AnimalTable) {
        let k = Float(settings.releaseSourceKinship)
        let n = newSlot()
        t.geneSlot[row] = Int32(n)
        living[n] = 0
        enter(n, inbreeding: k) { j in k * self.sourceShare[j] }
        sourceShare[n] = 1
        let g = genome + n * width
        for i in 0..<(2 * neutralLoci) { g[i] = poolCopy(source) }
        for i in (2 * neutralLoci)..<width { g[i] = outsideLethalCopy() }
    }

    /// A young of `mother` and `father` (rows; father −1 when unknown: an unrelated outsider).
    func addOffspring(_ row: Int, mother: Int, father: Int, table t: AnimalTable) {
        let d = Int(t.geneSlot[mother])
        let s = father >= 0 ? Int(t.geneSlot[father]) : -1
        let n = newSlot()
        t.geneSlot[row] = Int32(n)
        living[n] = 0
        let rd = kinship + d * capacity
        if s >= 0 {
            let rs = kinship + s * capacity
            enter(n, inbreeding: rd[s]) { j in 0.5 * (rd[j] + rs[j]) }
            sourceShare[n] = 0.5 * (sourceShare[d] + sourceShare[s])
        } else {
            enter(n, inbreeding: 0) { j in 0.5 * rd[j] }
            sourceShare[n] = 0.5 * sourceShare[d]
        }
        // Mendel: one random copy of each locus from each parent.
        let g = genome + n * width, gd = genome + d * width, gs = genome + max(0, s) * width
        var bits = rng.next(), left = 64
        for l in 0..<(neutralLoci + lethalLoci) {
            if left < 2 { bits = rng.next(); left = 64 }
            g[2 * l] = gd[2 * l + Int(bits & 1)]
            if s >= 0 {
                g[2 * l + 1] = gs[2 * l + Int((bits >> 1) & 1)]
            } else {
                g[2 * l + 1] = l < neutralLoci ? freshAllele() : outsideLethalCopy()
            }
            bits >>= 2
            left -= 2
        }
        var lethal: UInt8 = 0
        for l in neutralLoci..<(neutralLoci + lethalLoci) where g[2 * l] < 0 && g[2 * l] == g[2 * l + 1] { lethal = 1 }
        lethalHomozygote[n] = lethal
    }

    /// Frees the slots of animals no longer in the table (each death leaves the kinship sum).
    func sync(_ t: AnimalTable) {
        held.update(repeating: 0, count: used)
        let slots = t.geneSlot.base
        for row in 0..<t.count where slots[row] >= 0 { held[Int(slots[row])] = 1 }
        for s in 0..<used where living[s] > 0 && held[s] == 0 {
            living[s] = 0
            let row = kinship + s * capacity
            var sum = 0.0
            for j in 0..<used { sum += Double(living[j] * row[j]) }
            kinshipSum -= 2 * sum + Double(row[s])
            free.append(Int32(s))
        }
    }

    /// F of the animal in `row`.
    @inline(__always) func inbreeding(ofRow row: Int, table t: AnimalTable) -> Double { Double(inbreeding[Int(t.geneSlot[row])]) }

    /// The two alleles of the animal in `row` at neutral locus `locus` (for tests).
    func alleles(ofRow row: Int, locus: Int, table t: AnimalTable) -> (Int32, Int32) {
        let g = genome + Int(t.geneSlot[row]) * width + 2 * locus
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
                var squares = 0.0
                for row in rows {
                    let g = genome + Int(slots[Int(row)]) * width + 2 * l
                    heterozygous += g[0] != g[1] ? 1 : 0
                    for copy in 0..<2 {
                        let a = Int(g[copy])
                        if counts[a] == 0 { alleles += 1 }
                        squares += Double(2 * counts[a] + 1)  // (c + 1)² − c²
                        counts[a] += 1
                    }
                }
                diversity += 1 - squares / (copies * copies)
                for row in rows {
                    let g = genome + Int(slots[Int(row)]) * width + 2 * l
                    counts[Int(g[0])] = 0
                    counts[Int(g[1])] = 0
                }
            }
        }
        for row in rows {
            let g = genome + Int(slots[Int(row)]) * width
            for i in (2 * neutralLoci)..<width where g[i] < 0 { lethalCopies += 1 }
        }
        let loci = Double(neutralLoci), count = Double(rows.count)
        return [diversity / loci, Double(heterozygous) / (loci * count), Double(alleles) / loci, fSum / count, .nan,
                lethalLoci > 0 ? Double(lethalCopies) / (2 * count * Double(lethalLoci)) : 0]
    }
}

/// The genetic measures reported per year (`yearly.csv`, `summary.json`).
public enum GeneticMeasure: Int, CaseIterable, Sendable {
    case geneDiversity, heterozygosity, allelesRetained, meanF, meanKinship, lethalAlleleFrequency

    public var name: String {
        switch self {
        case .geneDiversity: return "GeneDiversity"
        case .heterozygosity: return "Heterozygosity"
        case .allelesRetained: return "AllelesRetained"
        case .meanF: return "MeanF"
        case .meanKinship: return "MeanKinship"
        case .lethalAlleleFrequency: return "LethalAlleleFrequency"
        }
    }

    /// Reported per region too (mean kinship is kept for the whole population only).
    public static let regional: [GeneticMeasure] = [.geneDiversity, .allelesRetained, .meanF]

    public var meaning: String {
        switch self {
        case .geneDiversity: return "gene diversity 1 − Σp² at the neutral loci (mean over loci; no small-sample correction)"
        case .heterozygosity: return "observed heterozygosity at the neutral loci"
        case .allelesRetained: return "alleles present per neutral locus"
        case .meanF: return "mean pedigree inbreeding coefficient F of the living"
        case .meanKinship: return "mean kinship of the living over all ordered pairs, self-pairs included"
        case .lethalAlleleFrequency: return "frequency of recessive lethal alleles at the lethal loci"
        }
    }
}

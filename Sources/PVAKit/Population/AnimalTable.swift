/// One replicate's animals as a structure of arrays: each attribute is a
/// `Column` of plain values, an animal is a row index. There are no
/// per-animal objects; a table is owned by one worker thread and reused from
/// replicate to replicate, so the steady state allocates nothing.
///
/// **Adding a column** is one line below: its fill value for a new row and the
/// feature that needs it. Every column is found by reflection once, when the
/// table is made, and only the columns of the model's features are stored,
/// grown and moved (`compact` moves each active column in its own tight loop).
///
/// Rows are not stable: `compact` closes the gaps the dead leave, keeping
/// order. What must survive compaction refers to animals by `id` (stable for
/// the replicate) or is remapped through `newRow`.
final class AnimalTable {
    /// Stable id within the replicate (never reused); pedigree links use it.
    let id = Column<UInt32>(0, .pedigree)
    let sex = Column<UInt8>(0, .core)
    /// Census age: 0 in the year of birth until the Age stage.
    let age = Column<UInt8>(0, .core)
    /// The animal's own age at first breeding, drawn at birth.
    let maturity = Column<UInt8>(0, .core)
    /// Simulation year of the last litter (`AnimalTable.never` if none).
    let lastLitter = Column<Int32>(AnimalTable.never, .core)
    /// Row of the mother caring for this young (dependency rules), −1 for an independent animal.
    let carer = Column<Int32>(-1, .dependency)
    /// Number of living young in the mother's care (recounted after every change; see `recountDependents`).
    let dependents = Column<UInt16>(0, .dependency)
    /// Ids of the parents, for life (`AnimalTable.unknown` for founders and released animals).
    let motherID = Column<UInt32>(AnimalTable.unknown, .pedigree)
    let fatherID = Column<UInt32>(AnimalTable.unknown, .pedigree)
    /// Where the animal comes from (`Origin`).
    let origin = Column<UInt8>(Origin.wildBorn.rawValue, .releases)
    /// Simulation year of release (`AnimalTable.never` if never released).
    let releaseYear = Column<Int32>(AnimalTable.never, .releases)
    /// The release that brought the animal (its index in the model's releases, −1 = none):
    /// its enclosure, post-release cost and walk.
    let releaseGroup = Column<Int16>(-1, .releases)
    /// Scratch for a stage: 0 = alive, otherwise the `DeathCause` that removes the animal.
    let fate = Column<UInt8>(0, .core)
    /// Cell the animal is in (spatial models).
    let cell = Column<Int32>(-1, .spatial)
    /// Cell of birth (the mother's cell; −1 for founders and released animals).
    let birthCell = Column<Int32>(-1, .spatial)
    /// Territory held: a female territory for a female, a male territory for a male (−1 = none).
    let territory = Column<Int32>(-1, .spatial)
    /// Slot of the animal's kinship row, F and genotype in `GeneticState` (−1 = none yet).
    let geneSlot = Column<Int32>(-1, .genetics)

    /// The vaccination intervention protecting the animal (its index in the model's
    /// interventions, −1 = none) and the last simulation year it protects.
    let vaccine = Column<Int16>(-1, .vaccination)
    let vaccinatedUntil = Column<Int32>(AnimalTable.never, .vaccination)

    static let never: Int32 = -1_000_000
    static let unknown = UInt32.max

    enum Origin: UInt8 {
        case wildBorn = 0
        case founder = 1
        case released = 2
        /// Taken from the wild in one region and released in another.
        case translocated = 3
    }

    private(set) var count = 0
    private(set) var capacity = 0
    private(set) var features = ColumnFeatures.core
    /// Every column; the active ones; and those but `fate` (which `compact` clears rather than moves).
    private var all: [AnyColumn] = []
    private var active: [AnyColumn] = []
    private var moved: [AnyColumn] = []
    /// After `compact`: the new row of each old row (−1 for the removed).
    private(set) var newRow = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var keep = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var nextID: UInt32 = 0
    /// Back-references into the table that `compact` keeps current: the row holding each
    /// female and male territory (−1 vacant), set by a spatial model.
    var territoryHolders: (female: UnsafeMutablePointer<Int32>, male: UnsafeMutablePointer<Int32>)?

    init(features: ColumnFeatures, capacity initial: Int = 1024) {
        self.features = features.union(.core)
        all = Mirror(reflecting: self).children.compactMap { $0.value as? AnyColumn }
        capacity = max(16, initial)
        for column in all where self.features.contains(column.feature) { column.activate(capacity: capacity) }
        let fate = self.fate
        active = all.filter(\.isActive)
        moved = active.filter { $0 !== fate }
        newRow.deallocate()
        keep.deallocate()
        newRow = .allocate(capacity: capacity)
        keep = .allocate(capacity: capacity)
    }

    deinit {
        for column in all { column.deallocate() }
        newRow.deallocate()
        keep.deallocate()
    }

    func uses(_ feature: ColumnFeatures) -> Bool { features.contains(feature) }

    func reset() {
        count = 0
        nextID = 0
    }

    func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        var c = capacity
        while c < needed { c *= 2 }
        for column in active { column.grow(to: c, count: count) }
        newRow.deallocate()
        keep.deallocate()
        newRow = .allocate(capacity: c)
        keep = .allocate(capacity: c)
        capacity = c
    }

    /// Appends `k` rows holding every column's fill value and fresh ids, and returns
    /// their range; the caller fills the rest (read column pointers after this call: it
    /// may reallocate them).
    func appendRows(_ k: Int) -> Range<Int> {
        reserve(count + k)
        let rows = count..<(count + k)
        for column in active { column.fill(rows) }
        if id.isActive {
            let ids = id.base
            for row in rows { ids[row] = nextID; nextID &+= 1 }
        }
        count += k
        return rows
    }

    /// Appends one animal and returns its row. A dependent young's carer must
    /// already be in the table (run `recountDependents` after adding young).
    @discardableResult
    func append(sex s: Sex, age a: Int, maturity m: Int, lastLitter l: Int32 = never, carer c: Int32 = -1,
                origin o: Origin = .wildBorn) -> Int {
        let row = appendRows(1).lowerBound
        sex[row] = s.rawValue
        age[row] = UInt8(a)
        maturity[row] = UInt8(m)
        lastLitter[row] = l
        if carer.isActive { carer[row] = c }
        if origin.isActive { origin[row] = o.rawValue }
        return row
    }

    /// Marks the living young in the care of every marked mother with `maternalDeath`;
    /// returns how many it marked. (Mothers precede their young.)
    @discardableResult
    func markOrphans() -> Int {
        guard carer.isActive else { return 0 }
        let fate = self.fate.base, carer = self.carer.base
        var marked = 0
        for row in 0..<count where fate[row] == 0 {
            let m = carer[row]
            if m >= 0 && fate[Int(m)] != 0 {
                fate[row] = DeathCause.maternalDeath.rawValue
                marked += 1
            }
        }
        return marked
    }

    /// Removes every marked row, keeping order, and adds each row to `removed[fate]`
    /// (slot 0 counts the living; callers ignore it). Afterwards `newRow` maps old rows to
    /// new ones, carers are remapped, and every fate is 0.
    func compact(countingInto removed: UnsafeMutablePointer<Int>) {
        let fate = self.fate.base, newRow = self.newRow, keep = self.keep
        let n = count
        var w = 0
        // Branch-free: every row is listed at slot w, which advances only past the living.
        for r in 0..<n {
            let f = fate[r]
            removed[Int(f)] += 1
            let alive = f == 0
            newRow[r] = alive ? Int32(truncatingIfNeeded: w) : -1
            keep[w] = Int32(truncatingIfNeeded: r)
            w += alive ? 1 : 0
        }
        if territoryHolders != nil { moveHolders(rows: n) }
        if w < n {
            for column in moved { column.gather(keep, count: w) }
        }
        fate.update(repeating: 0, count: w)
        if carer.isActive && w < n {
            let carer = self.carer.base
            for i in 0..<w {
                let c = carer[i]
                // A living young's carer is alive (`markOrphans` ran first).
                carer[i] = c >= 0 ? newRow[Int(c)] : -1
            }
        }
        count = w
    }

    /// Keeps the territories' back-references current through a compaction of `rows` rows: a
    /// dead resident vacates, a living one moves with its row.
    @inline(never)
    private func moveHolders(rows n: Int) {
        guard let holders = territoryHolders else { return }
        let territory = self.territory.base, sex = self.sex.base, newRow = self.newRow
        for r in 0..<n where territory[r] >= 0 {
            (sex[r] == Sex.female.rawValue ? holders.female : holders.male)[Int(territory[r])] = newRow[r]
        }
    }

    /// Sets each mother's `dependents` to the number of living young in her care.
    func recountDependents() {
        guard carer.isActive else { return }
        let carer = self.carer.base, dependents = self.dependents.base
        dependents.update(repeating: 0, count: count)
        for row in 0..<count {
            let m = carer[row]
            if m >= 0 { dependents[Int(m)] &+= 1 }
        }
    }
}

/// One replicate's animals as a structure of arrays: each attribute is a
/// column of plain values, an animal is a row index. There are no per-animal
/// objects; a table is owned by one worker thread and reused from replicate
/// to replicate, so the steady state allocates nothing.
///
/// Invariants (checked by `checkInvariants()` in debug builds): a dependent
/// young's `mother` is a smaller row index (mothers precede their young and
/// compaction keeps order), and `dependents[m]` counts the rows whose mother is m.
final class AnimalTable {
    private(set) var count = 0
    private(set) var capacity = 0

    private(set) var id: UnsafeMutablePointer<UInt32>
    private(set) var sex: UnsafeMutablePointer<UInt8>
    private(set) var age: UnsafeMutablePointer<UInt8>
    /// The animal's own age at first breeding, drawn at birth.
    private(set) var maturity: UnsafeMutablePointer<UInt8>
    /// Simulation year of the last litter (`AnimalTable.never` if none).
    private(set) var lastLitter: UnsafeMutablePointer<Int32>
    /// Row of the mother while dependent, −1 otherwise.
    private(set) var mother: UnsafeMutablePointer<Int32>
    /// Number of living dependent young (mothers).
    private(set) var dependents: UnsafeMutablePointer<UInt16>
    /// 0 wild-born or founder, 1 released.
    private(set) var origin: UnsafeMutablePointer<UInt8>
    /// Scratch for a stage: 0 = alive, otherwise a `DeathCause`.
    private(set) var fate: UnsafeMutablePointer<UInt8>
    /// Cell the animal is in (spatial runs; −1 otherwise).
    private(set) var cell: UnsafeMutablePointer<Int32>
    /// Territory held: a female territory for a female, a male territory for a male (−1 = none).
    private(set) var territory: UnsafeMutablePointer<Int32>
    /// Spatial runs move `cell` and `territory` in compaction and keep the
    /// holder arrays (row holding each female / male territory, −1 vacant) current.
    var spatial = false
    var femaleHolder: UnsafeMutablePointer<Int32>?
    var maleHolder: UnsafeMutablePointer<Int32>?
    /// Scratch: new row after compaction.
    private var newRow: UnsafeMutablePointer<Int32>

    static let never: Int32 = -1_000_000
    private var nextID: UInt32 = 0

    init(capacity initial: Int = 1024) {
        let c = max(16, initial)
        id = .allocate(capacity: c)
        sex = .allocate(capacity: c)
        age = .allocate(capacity: c)
        maturity = .allocate(capacity: c)
        lastLitter = .allocate(capacity: c)
        mother = .allocate(capacity: c)
        dependents = .allocate(capacity: c)
        origin = .allocate(capacity: c)
        fate = .allocate(capacity: c)
        newRow = .allocate(capacity: c)
        cell = .allocate(capacity: c)
        territory = .allocate(capacity: c)
        capacity = c
    }

    deinit {
        id.deallocate(); sex.deallocate(); age.deallocate(); maturity.deallocate()
        lastLitter.deallocate(); mother.deallocate(); dependents.deallocate()
        origin.deallocate(); fate.deallocate(); newRow.deallocate()
        cell.deallocate(); territory.deallocate()
    }

    func reset() {
        count = 0
        nextID = 0
    }

    private static func grow<T>(_ p: inout UnsafeMutablePointer<T>, from old: Int, to new: Int, count: Int) {
        let q = UnsafeMutablePointer<T>.allocate(capacity: new)
        q.moveInitialize(from: p, count: count)
        p.deallocate()
        p = q
    }

    func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        var c = capacity
        while c < needed { c *= 2 }
        Self.grow(&id, from: capacity, to: c, count: count)
        Self.grow(&sex, from: capacity, to: c, count: count)
        Self.grow(&age, from: capacity, to: c, count: count)
        Self.grow(&maturity, from: capacity, to: c, count: count)
        Self.grow(&lastLitter, from: capacity, to: c, count: count)
        Self.grow(&mother, from: capacity, to: c, count: count)
        Self.grow(&dependents, from: capacity, to: c, count: count)
        Self.grow(&origin, from: capacity, to: c, count: count)
        Self.grow(&fate, from: capacity, to: c, count: count)
        Self.grow(&newRow, from: capacity, to: c, count: count)
        Self.grow(&cell, from: capacity, to: c, count: count)
        Self.grow(&territory, from: capacity, to: c, count: count)
        capacity = c
    }

    /// Appends one animal and returns its row. A dependent young's mother
    /// must already be in the table (her `dependents` is incremented).
    @discardableResult
    func append(sex s: Sex, age a: Int, maturity m: Int, lastLitter l: Int32 = never,
                mother mo: Int32 = -1, origin o: UInt8 = 0) -> Int {
        if count == capacity { reserve(count + 1) }
        let row = count
        id[row] = nextID
        nextID &+= 1
        sex[row] = s.rawValue
        age[row] = UInt8(a)
        maturity[row] = UInt8(m)
        lastLitter[row] = l
        mother[row] = mo
        dependents[row] = 0
        origin[row] = o
        fate[row] = 0
        cell[row] = -1
        territory[row] = -1
        if mo >= 0 { dependents[Int(mo)] += 1 }
        count += 1
        return row
    }

    /// Appends `k` rows with fresh ids, no mother, no dependents, alive, and
    /// returns their range; the caller fills the other columns (read the
    /// column pointers after this call: it may reallocate them).
    func appendRows(_ k: Int) -> Range<Int> {
        reserve(count + k)
        let first = count
        let id = self.id, mother = self.mother, dependents = self.dependents, fate = self.fate, origin = self.origin
        let lastLitter = self.lastLitter, cell = self.cell, territory = self.territory
        var next = nextID
        for row in first..<(first + k) {
            id[row] = next
            next &+= 1
            mother[row] = -1
            dependents[row] = 0
            fate[row] = 0
            origin[row] = 0
            lastLitter[row] = Self.never
            cell[row] = -1
            territory[row] = -1
        }
        nextID = next
        count = first + k
        return first..<(first + k)
    }

    /// Clears every fate mark.
    func clearFates() { fate.update(repeating: 0, count: count) }

    /// Marks the living dependent young of every marked mother with
    /// `maternalDeath`; returns how many it marked. (Mothers precede their young.)
    @discardableResult
    func markOrphans() -> Int {
        let fate = self.fate, mother = self.mother
        var marked = 0
        for row in 0..<count where fate[row] == 0 {
            let m = mother[row]
            if m >= 0 && fate[Int(m)] != 0 {
                fate[row] = DeathCause.maternalDeath.rawValue
                marked += 1
            }
        }
        return marked
    }

    /// Removes every marked row, keeping order, remapping mothers and
    /// recounting dependents, and adds each removed row to `removed[fate]`.
    /// With `ageing`, the survivors also age a year and young reaching
    /// `independenceAge` leave their mother — the Age stage, done in the same
    /// pass because it always follows Mortality's compaction.
    /// `moved(from, to)` lets callers move their own per-animal columns alongside.
    func compact(countingInto removed: UnsafeMutablePointer<Int>, ageing: Bool = false, independenceAge: Int = 0,
                 _ moved: ((Int, Int) -> Void)? = nil) {
        let id = self.id, sex = self.sex, age = self.age, maturity = self.maturity
        let lastLitter = self.lastLitter, mother = self.mother, dependents = self.dependents
        let origin = self.origin, fate = self.fate, newRow = self.newRow
        let n = count
        let step: UInt8 = ageing ? 1 : 0
        let independence = ageing ? UInt8(clamping: independenceAge) : UInt8.max
        let tracking = moved != nil
        let spatialRun = spatial
        let cell = self.cell, territory = self.territory
        let femaleHolder = self.femaleHolder, maleHolder = self.maleHolder
        var w = 0
        // Branch-free filter: every row is written to slot w (slots below w are final,
        // slot w is free or is r itself) and w advances only past the living.
        for r in 0..<n {
            let f = fate[r]
            removed[Int(f)] += 1  // slot 0 counts the living; callers ignore it
            let alive = f == 0
            newRow[r] = alive ? Int32(truncatingIfNeeded: w) : -1
            let newAge = age[r] &+ step
            let m = mother[r]
            id[w] = id[r]; sex[w] = sex[r]; age[w] = newAge; maturity[w] = maturity[r]
            lastLitter[w] = lastLitter[r]; origin[w] = origin[r]
            fate[w] = 0
            dependents[w] = 0
            mother[w] = -1
            if spatialRun {
                let t = territory[r]
                if t >= 0 {
                    // Keep the holder arrays current: a dead resident vacates, a living one moved rows.
                    let holder = sex[r] == Sex.female.rawValue ? femaleHolder! : maleHolder!
                    holder[Int(t)] = alive ? Int32(truncatingIfNeeded: w) : -1
                }
                cell[w] = cell[r]
                territory[w] = t
            }
            if alive {
                if tracking && r != w { moved!(r, w) }
                if m >= 0 && newAge < independence {
                    let nm = newRow[Int(m)]
                    assert(nm >= 0, "a dependent survived its mother")
                    mother[w] = nm
                    dependents[Int(nm)] += 1
                }
            }
            w += alive ? 1 : 0
        }
        count = w
    }

    #if DEBUG
    func checkInvariants() {
        var counted = [Int](repeating: 0, count: count)
        for row in 0..<count {
            let m = Int(mother[row])
            if m >= 0 {
                precondition(m < row, "mother after her young")
                counted[m] += 1
            }
        }
        for row in 0..<count { precondition(Int(dependents[row]) == counted[row], "dependents miscounted at row \(row)") }
        if spatial {
            for row in 0..<count where territory[row] >= 0 {
                let holder = sex[row] == Sex.female.rawValue ? femaleHolder! : maleHolder!
                precondition(holder[Int(territory[row])] == Int32(row), "territory \(territory[row]) does not know its resident \(row)")
            }
        }
    }
    #else
    @inline(__always) func checkInvariants() {}
    #endif
}

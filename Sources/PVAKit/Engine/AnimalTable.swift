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
        capacity = c
    }

    deinit {
        id.deallocate(); sex.deallocate(); age.deallocate(); maturity.deallocate()
        lastLitter.deallocate(); mother.deallocate(); dependents.deallocate()
        origin.deallocate(); fate.deallocate(); newRow.deallocate()
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
        if mo >= 0 { dependents[Int(mo)] += 1 }
        count += 1
        return row
    }

    /// Clears every fate mark.
    func clearFates() { fate.update(repeating: 0, count: count) }

    /// Marks the living dependent young of every marked mother with
    /// `maternalDeath`; returns how many it marked. (Mothers precede their young.)
    @discardableResult
    func markOrphans() -> Int {
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
    /// recounting dependents; `moved(from, to)` lets callers move their own
    /// per-animal columns alongside.
    func compact(_ moved: ((Int, Int) -> Void)? = nil) {
        var w = 0
        for r in 0..<count {
            if fate[r] != 0 {
                newRow[r] = -1
                continue
            }
            newRow[r] = Int32(w)
            if r != w {
                id[w] = id[r]; sex[w] = sex[r]; age[w] = age[r]; maturity[w] = maturity[r]
                lastLitter[w] = lastLitter[r]; mother[w] = mother[r]; origin[w] = origin[r]
                moved?(r, w)
            }
            fate[w] = 0
            dependents[w] = 0
            let m = mother[w]
            if m >= 0 {
                let nm = newRow[Int(m)]
                assert(nm >= 0, "a dependent survived its mother")
                mother[w] = nm
                dependents[Int(nm)] += 1
            }
            w += 1
        }
        count = w
    }

    /// Ends dependency of young that have reached `independenceAge`.
    func releaseIndependent(independenceAge: Int) {
        let limit = UInt8(clamping: independenceAge)
        for row in 0..<count where mother[row] >= 0 && age[row] >= limit {
            dependents[Int(mother[row])] -= 1
            mother[row] = -1
        }
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
    }
    #else
    @inline(__always) func checkInvariants() {}
    #endif
}

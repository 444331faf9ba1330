/// Per genetic slot, the list of other slots whose kinship with it is not the background
/// value (`GeneticState` says which value that is): one flat pool of (slot, kinship) entries,
/// each slot's list a run [start, start + count) of it with room for `room` entries, so no
/// animal owns a heap object. A list that outgrows its room moves to the end of the pool with
/// twice the room; `compact(used:kept:)` rewrites every kept list in place without the
/// entries of slots that are not kept (the dead), which is also what frees the moved lists'
/// old runs. Entries are in no particular order.
struct KinshipLists {
    struct Entry {
        var slot: Int32
        var kinship: Float
    }

    /// Where a slot's list lies in the pool.
    struct Run {
        var start: Int
        var count: Int32
        var room: Int32
    }

    private(set) var runs: UnsafeMutablePointer<Run>
    private(set) var pool: UnsafeMutablePointer<Entry>
    private(set) var slots = 0
    private var poolCapacity = 0
    /// Entries in use at the end of the pool ([0, end) holds every run).
    private(set) var end = 0
    /// Scratch of `compact`: the kept slots in the order of their runs.
    private var order: [Int32] = []

    init() {
        runs = .allocate(capacity: 1)
        pool = .allocate(capacity: 1)
    }

    func deallocate() {
        runs.deallocate()
        pool.deallocate()
    }

    /// Room for slots [0, count); new slots start empty.
    mutating func grow(slots count: Int) {
        guard count > slots else { return }
        let r = UnsafeMutablePointer<Run>.allocate(capacity: count)
        r.update(from: runs, count: slots)
        (r + slots).initialize(repeating: Run(start: 0, count: 0, room: 0), count: count - slots)
        runs.deallocate()
        runs = r
        slots = count
    }

    /// Forgets every list (a new replicate).
    mutating func removeAll() {
        runs.update(repeating: Run(start: 0, count: 0, room: 0), count: slots)
        end = 0
    }

    @inline(__always) func count(_ s: Int) -> Int { Int(runs[s].count) }
    @inline(__always) func entries(_ s: Int) -> UnsafeMutablePointer<Entry> { pool + runs[s].start }

    /// Empties slot `s`'s list and gives it room for `room` entries at the end of the pool.
    mutating func startList(_ s: Int, room: Int) {
        reserve(room)
        runs[s] = Run(start: end, count: 0, room: Int32(room))
        end += room
    }

    /// Slot `to`'s list becomes a copy of `from`'s, with room for `room` entries (≥ its count).
    mutating func copyList(from: Int, to: Int, room: Int) {
        startList(to, room: room)
        let run = runs[from]
        (pool + runs[to].start).update(from: pool + run.start, count: Int(run.count))
        runs[to].count = run.count
    }

    /// Appends an entry to slot `s`'s list.
    @inline(__always)
    mutating func append(_ s: Int, slot: Int32, kinship: Float) {
        var run = runs[s]
        if run.count == run.room {
            move(s, room: max(8, 2 * Int(run.room)))
            run = runs[s]
        }
        pool[run.start + Int(run.count)] = Entry(slot: slot, kinship: kinship)
        runs[s].count = run.count + 1
    }

    /// Appends `count` entries to slot `s`'s list.
    mutating func append(_ s: Int, _ entries: UnsafePointer<Entry>?, count k: Int) {
        guard k > 0, let entries else { return }
        var run = runs[s]
        if Int(run.count) + k > Int(run.room) {
            move(s, room: max(8, 2 * Int(run.room), Int(run.count) + k + Int(run.count) / 4))
            run = runs[s]
        }
        (pool + run.start + Int(run.count)).update(from: entries, count: k)
        runs[s].count = run.count + Int32(k)
    }

    /// The kinship entry of slot `other` in `s`'s list, or nil.
    func find(_ s: Int, _ other: Int) -> Float? {
        let e = entries(s), target = Int32(other)
        for i in 0..<count(s) where e[i].slot == target { return e[i].kinship }
        return nil
    }

    private mutating func move(_ s: Int, room: Int) {
        reserve(room)
        let run = runs[s]
        (pool + end).update(from: pool + run.start, count: Int(run.count))
        runs[s] = Run(start: end, count: run.count, room: Int32(room))
        end += room
    }

    private mutating func reserve(_ extra: Int) {
        guard end + extra > poolCapacity else { return }
        let c = max(end + extra, poolCapacity + poolCapacity / 2, 1024)
        let p = UnsafeMutablePointer<Entry>.allocate(capacity: c)
        p.update(from: pool, count: end)
        pool.deallocate()
        pool = p
        poolCapacity = c
    }

    /// Rewrites the lists of the slots below `used` for which `kept` is nonzero, each without the
    /// entries of slots that are not kept (the dead), in place: the kept lists are packed in the
    /// order they lie in the pool, each starting at or before where it lay, so that reading stays
    /// ahead of writing (no second pool, whose memory a large map's lists would double). Each
    /// gets room for a quarter more (the year's young enter the lists of their relatives) where
    /// the space before the next list allows (the dead's lists and the runs that moved lists
    /// left behind make it), else its old count, and a list that then fills up moves as usual.
    /// The other slots' lists are emptied.
    mutating func compact(used: Int, kept: UnsafePointer<Float>) {
        order.removeAll(keepingCapacity: true)
        for s in 0..<used {
            if kept[s] > 0 { order.append(Int32(s)) } else { runs[s] = Run(start: 0, count: 0, room: 0) }
        }
        let r = runs
        order.sort { r[Int($0)].start < r[Int($1)].start }
        var at = 0
        for (k, s) in order.enumerated() {
            let run = runs[Int(s)]
            let from = pool + run.start, to = pool + at
            var n = 0
            for i in 0..<Int(run.count) where kept[Int(from[i].slot)] > 0 {
                to[n] = from[i]
                n += 1
            }
            let limit = k + 1 < order.count ? runs[Int(order[k + 1])].start : poolCapacity
            let room = max(Int(run.count), min(Int(run.count) + Int(run.count) / 4 + 4, limit - at))
            runs[Int(s)] = Run(start: at, count: Int32(n), room: Int32(room))
            at += room
        }
        end = at
    }
}

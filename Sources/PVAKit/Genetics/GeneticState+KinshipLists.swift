/// Kinship among the living as per-slot lists of relatives (`KinshipLists`): the pairs whose
/// kinship differs from the background Σ_s k_s p_s(a) p_s(b) (MODEL.md §4.8; the type's
/// comment in GeneticState.swift gives the method). Used once a replicate needs more than
/// `matrixSlots` slots.
extension GeneticState {
    /// The background kinship of slots a and b, Σ_s k_s p_s(a) p_s(b): the kinship of two
    /// animals without a common pedigree ancestor (symmetric in Float too: products commute).
    @inline(__always) func background(_ a: Int, _ b: Int) -> Float {
        if uniformBackground { return wildKinship }
        var v = wildKinship * (wildShare[a] * wildShare[b])
        let m = sources.count
        for k in 0..<m { v += sourceKinship[k] * (sourceShare[a * m + k] * sourceShare[b * m + k]) }
        return v
    }

    /// Adds slot `n` (its F, shares and list set) to the living and to mean kinship's sums,
    /// `sign` +1, or takes it out, −1; its stored pairs with the living (counted both ways) are
    /// added too, except with this stage's young (added by `addQueuedOffspring`).
    func count(_ n: Int, sign: Double) {
        let m = sources.count
        let w = Double(wildShare[n])
        shareSums[0] += sign * w
        shareSquares[0] += sign * w * w
        for k in 0..<m {
            let p = Double(sourceShare[n * m + k])
            shareSums[1 + k] += sign * p
            shareSquares[1 + k] += sign * p * p
        }
        selfSum += sign * Double(selfKinship(n))
        let e = lists.entries(n)
        var excess = 0.0
        for i in 0..<lists.count(n) {
            let j = Int(e[i].slot)
            if held[j] != 2 && living[j] > 0 { excess += Double(e[i].kinship) - Double(background(n, j)) }
        }
        excessSum += sign * 2 * excess
    }

    /// Frees the slots of the dead once no list names them (before slots are handed out).
    func reclaim() {
        guard !dead.isEmpty else { return }
        lists.compact(used: used, kept: living)
        free.append(contentsOf: dead)
        dead.removeAll(keepingCapacity: true)
    }

    /// The lists' part of `addQueuedOffspring` (shares, `held` = 2 and slots set): (1) each
    /// young's list over the living is the merge of its parents' lists and the parents
    /// themselves; (3) every living relative gets the young in its list, and the young join
    /// mean kinship's sums; (2) its kinship with a litter- or year-mate y, ½(k(y, mother) +
    /// k(y, father)), differs from the background only for the young y that (3) put in its
    /// parents' lists.
    func addQueuedToLists(slots: [Int], mothers: [Int], fathers: [Int]) {
        let b = slots.count
        var livingCount = [Int](repeating: 0, count: b)
        // (1) Each young's list over the living: k(x, j) = ½(k(mother, j) + k(father, j)), where
        // a parent's value is its list entry, its self-kinship, or the background. The mother's
        // list is spread over the slots, the father's walked against it, then the rest of the
        // mother's; a litter-mate of the young before (same parents) copies its list.
        for i in 0..<b {
            let n = slots[i], d = mothers[i], s = fathers[i]
            if i > 0 && d == mothers[i - 1] && s == fathers[i - 1] {
                lists.copyList(from: slots[i - 1], to: n, room: livingCount[i - 1] + livingCount[i - 1] / 4 + 4)
                inbreeding[n] = inbreeding[slots[i - 1]]
                livingCount[i] = livingCount[i - 1]
                continue
            }
            nextStamp()
            let ds = lists.count(d), ss = s >= 0 ? lists.count(s) : 0
            lists.startList(n, room: ds + ss + 2 + (ds + ss) / 4 + 4)
            let de = lists.entries(d)
            for e in 0..<ds {
                mother[Int(de[e].slot)] = de[e].kinship
                motherMark[Int(de[e].slot)] = stamp
            }
            mother[d] = selfKinship(d)
            motherMark[d] = stamp
            @inline(__always) func keep(_ j: Int, _ v: Float) {
                if v != background(n, j) { lists.append(n, slot: Int32(j), kinship: v) }
            }
            if s >= 0 {
                inbreeding[n] = motherMark[s] == stamp ? mother[s] : background(d, s)
                // Slots in the father's list (and the father), marked as done.
                @inline(__always) func fromFather(_ j: Int, _ rs: Float) {
                    guard held[j] == 1 else { return }
                    fatherMark[j] = stamp
                    keep(j, 0.5 * ((motherMark[j] == stamp ? mother[j] : background(d, j)) + rs))
                }
                let se = lists.entries(s)
                for e in 0..<ss { fromFather(Int(se[e].slot), se[e].kinship) }
                fromFather(s, selfKinship(s))
                // The rest of the mother's (and the mother): the father's value is the background.
                for e in 0..<ds {
                    let j = Int(de[e].slot)
                    if held[j] == 1 && fatherMark[j] != stamp { keep(j, 0.5 * (de[e].kinship + background(s, j))) }
                }
                if fatherMark[d] != stamp { keep(d, 0.5 * (mother[d] + background(s, d))) }
            } else {
                inbreeding[n] = 0
                for e in 0..<ds where held[Int(de[e].slot)] == 1 { keep(Int(de[e].slot), 0.5 * de[e].kinship) }
                keep(d, 0.5 * mother[d])
            }
            livingCount[i] = lists.count(n)
        }
        // (3) Every living relative gets the young in its list (at its end); the young join the
        // sums (their pairs with each other are added by (2)).
        for i in 0..<b {
            let n = slots[i]
            for e in 0..<livingCount[i] {
                let entry = lists.entries(n)[e]
                lists.append(Int(entry.slot), slot: Int32(n), kinship: entry.kinship)
            }
            count(n, sign: 1)
        }
        // (2) Among this stage's young: k(x, y) = ½(k(y, mother of x) + k(y, father of x)), read
        // from y's list; (3) has just put y, with that very value, at the end of the list of
        // each of its relatives, so the young y whose value differs from the background for
        // either parent of x are the young at the ends of the parents' lists (for any other y
        // both values are the background and so is their mean).
        // Litter-mates (same parents) share the values: found once per litter, each young
        // takes all but its own entry.
        var batchExcess = 0.0
        var found: [KinshipLists.Entry] = [], excess: [Double] = []
        var i = 0
        while i < b {
            let d = mothers[i], s = fathers[i], x0 = slots[i]
            var end = i + 1
            while end < b && mothers[end] == d && fathers[end] == s { end += 1 }
            nextStamp()
            found.removeAll(keepingCapacity: true)
            excess.removeAll(keepingCapacity: true)
            // The young at the end of d's list, spread; then s's walked against them.
            let de = lists.entries(d)
            var dFirst = lists.count(d)
            while dFirst > 0 && held[Int(de[dFirst - 1].slot)] == 2 { dFirst -= 1 }
            for e in dFirst..<lists.count(d) {
                mother[Int(de[e].slot)] = de[e].kinship
                motherMark[Int(de[e].slot)] = stamp
            }
            @inline(__always) func keep(_ y: Int, _ v: Float) {
                let bg = background(x0, y)
                if v != bg {
                    found.append(KinshipLists.Entry(slot: Int32(y), kinship: v))
                    excess.append(Double(v) - Double(bg))
                }
            }
            if s >= 0 {
                let se = lists.entries(s)
                var e = lists.count(s)
                while e > 0 && held[Int(se[e - 1].slot)] == 2 {
                    e -= 1
                    let y = Int(se[e].slot)
                    fatherMark[y] = stamp
                    keep(y, 0.5 * ((motherMark[y] == stamp ? mother[y] : background(y, d)) + se[e].kinship))
                }
                for e in dFirst..<lists.count(d) {
                    let y = Int(de[e].slot)
                    if fatherMark[y] != stamp { keep(y, 0.5 * (de[e].kinship + background(y, s))) }
                }
            } else {
                for e in dFirst..<lists.count(d) { keep(Int(de[e].slot), 0.5 * (de[e].kinship + 0)) }
            }
            let total = excess.reduce(0, +)
            for m in i..<end {
                let x = Int32(slots[m])
                let own = found.firstIndex { $0.slot == x }
                found.withUnsafeBufferPointer { f in
                    let k = own ?? f.count
                    lists.append(Int(x), f.baseAddress, count: k)
                    if k < f.count { lists.append(Int(x), f.baseAddress.map { $0 + k + 1 }, count: f.count - k - 1) }
                }
                batchExcess += total - (own.map { excess[$0] } ?? 0)
            }
            i = end
        }
        excessSum += batchExcess
    }

    /// A new stamp for the scratch marks (all marks cleared when the count wraps round).
    func nextStamp() {
        stamp &+= 1
        if stamp == 0 {
            motherMark.update(repeating: 0, count: capacity)
            fatherMark.update(repeating: 0, count: capacity)
            stamp = 1
        }
    }


    /// Leaves the matrix for the lists: every living slot's list is its matrix row's entries
    /// that differ from the background, and mean kinship's sums are taken from the living.
    func convertToLists() {
        let c = capacity
        lists.removeAll()
        for a in 0..<used where living[a] > 0 {
            let row = kinship + a * c
            var n = 0
            for j in 0..<used where j != a && living[j] > 0 && row[j] != background(a, j) { n += 1 }
            lists.startList(a, room: n + n / 4 + 4)
            for j in 0..<used where j != a && living[j] > 0 && row[j] != background(a, j) { lists.append(a, slot: Int32(j), kinship: row[j]) }
        }
        for k in shareSums.indices {
            shareSums[k] = 0
            shareSquares[k] = 0
        }
        selfSum = 0
        excessSum = 0
        usesMatrix = false
        for a in 0..<used where living[a] > 0 {
            let m = sources.count
            shareSums[0] += Double(wildShare[a])
            shareSquares[0] += Double(wildShare[a]) * Double(wildShare[a])
            for k in 0..<m {
                let p = Double(sourceShare[a * m + k])
                shareSums[1 + k] += p
                shareSquares[1 + k] += p * p
            }
            selfSum += Double(selfKinship(a))
            let e = lists.entries(a)
            for i in 0..<lists.count(a) { excessSum += Double(e[i].kinship) - Double(background(a, Int(e[i].slot))) }
        }
        kinship.deallocate()
        kinship = .allocate(capacity: 1)
    }
}

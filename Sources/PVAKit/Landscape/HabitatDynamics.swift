import Foundation

/// How the landscape changes within one replicate (MODEL.md §4.5, §4.6, §4.9),
/// run at the Environment stage in this order: interventions switched on or
/// off, restoration, fire recovery, this year's fire, habitat conversion, prey.
/// It keeps the state behind the layers — permanent suitability, fire damage,
/// prey capacity and hunting, protection — and writes the layers through
/// `LandscapeState`, so territory values follow every change.
///
/// Cost: per year O(cells that change) — a bad fire year's burnt cells, the
/// cells recovering, the converted ones, and prey cells away from equilibrium (all
/// prey cells when prey has environmental variation, since then every one moves);
/// an intervention's cells when it switches. A replicate restores only what it
/// changed. One per worker.
final class HabitatDynamics {
    let model: SpatialModel
    private let prey: PreyDynamics?
    private let fire: FireThreat?
    private let conversion: HabitatConversion?
    private let interventions: [CompiledIntervention]

    // Static lists.
    /// Habitat cells with prey capacity (prey dynamics run on them).
    private let preyCells: [Int32]
    /// Their next prey index, computed for all before any is set.
    @exclusivity(unchecked) private var preyScratch: [Float]
    /// Habitat cells outside the protected layer (steady conversion picks among them).
    private let convertibleCells: [Int32]
    /// Prey capacity of each cell with no intervention (prey layer × capacity).
    private let staticCapacity: [Float]

    // Per-replicate state, restored cell by cell (`touched`).
    /// Suitability after permanent change (conversion, restoration).
    @exclusivity(unchecked) private var permanent: [Float]
    /// Fire damage now: suitability and prey capacity × this.
    @exclusivity(unchecked) private var fireFactor: [Float]
    /// Index into `burns` of the cell's recovery (−1 none), and fires in a row before healing
    /// (`convertedMark` once converted: it burns no more).
    @exclusivity(unchecked) private var burnSlot: [Int32]
    @exclusivity(unchecked) private var streak: [UInt8]
    @exclusivity(unchecked) private var capacity: [Float]
    @exclusivity(unchecked) private var hunting: [Float]
    /// Protected from conversion now, and the chance that an active protection spares a burning cell.
    @exclusivity(unchecked) private var protectedNow: [Bool]
    @exclusivity(unchecked) private var fireSpared: [Float]
    @exclusivity(unchecked) private var touched: [Int32] = []
    @exclusivity(unchecked) private var isTouched: [Bool]
    /// Prey cells away from equilibrium (used when prey has no environmental variation).
    @exclusivity(unchecked) private var unsettled: [Int32] = []
    @exclusivity(unchecked) private var isUnsettled: [Bool]
    /// Fires recovering: cell, year burnt, years to heal.
    @exclusivity(unchecked) private var burns: [(cell: Int32, year: Int32, years: Int32)] = []
    /// Per female territory: km² of habitat left after permanent change (static prey).
    private let permanentQuality: UnsafeMutableBufferPointer<Double>
    @exclusivity(unchecked) private var changedTerritories: [Int32] = []
    /// Order of the forest and convertible cells for drawing without replacement.
    @exclusivity(unchecked) private var forestOrder: [Int32]
    @exclusivity(unchecked) private var convertibleOrder: [Int32]
    @exclusivity(unchecked) private var convertibleLeft: Int
    // Per intervention in this replicate.
    @exclusivity(unchecked) private var active: [Bool]
    @exclusivity(unchecked) private var restoredYears: [Int]
    /// Burning or converting cells that an active protection spared, per intervention.
    @exclusivity(unchecked) private var spared: [Int]

    private static let convertedMark = UInt8.max
    /// Prey on land brought back, as a share of its capacity (ungulates moving in from around it).
    static let reseedShare = 0.1
    /// A territory that keeps less than this share of the habitat a female needs is dissolved.
    static let territoryLossShare = 0.5

    init(_ model: SpatialModel) {
        self.model = model
        let l = model.landscape
        prey = model.threats.prey
        fire = model.threats.fire
        conversion = model.threats.habitatConversion
        interventions = model.interventions
        let n = l.cellCount
        let factor = Float(prey?.capacity ?? 1)
        staticCapacity = l.prey.map { $0 * factor }
        preyCells = prey == nil ? [] : (0..<n).filter { l.isHabitat($0) && l.prey[$0] > 0 }.map(Int32.init)
        preyScratch = [Float](repeating: 0, count: preyCells.count)
        convertibleCells = conversion == nil ? [] : (0..<n).filter { l.isHabitat($0) && !l.protected[$0] }.map(Int32.init)
        permanent = l.suitability
        fireFactor = [Float](repeating: 1, count: n)
        burnSlot = [Int32](repeating: -1, count: n)
        streak = [UInt8](repeating: 0, count: n)
        capacity = staticCapacity
        hunting = [Float](repeating: Float(prey?.huntingOfftake ?? 0), count: n)
        protectedNow = l.protected
        fireSpared = [Float](repeating: 0, count: n)
        isTouched = [Bool](repeating: false, count: n)
        isUnsettled = [Bool](repeating: false, count: n)
        permanentQuality = .allocate(capacity: max(1, model.layout.female.count))
        _ = permanentQuality.initialize(from: model.layout.female.map(\.quality))
        forestOrder = model.forestCells
        convertibleOrder = convertibleCells
        convertibleLeft = convertibleCells.count
        active = [Bool](repeating: false, count: interventions.count)
        restoredYears = [Int](repeating: 0, count: interventions.count)
        spared = [Int](repeating: 0, count: interventions.count)
    }

    deinit { permanentQuality.deallocate() }

    /// Back to the static landscape (the `LandscapeState` is reset by its owner).
    func reset() {
        let l = model.landscape
        for c32 in touched {
            let c = Int(c32)
            permanent[c] = l.suitability[c]
            fireFactor[c] = 1
            burnSlot[c] = -1
            streak[c] = 0
            capacity[c] = staticCapacity[c]
            hunting[c] = Float(prey?.huntingOfftake ?? 0)
            protectedNow[c] = l.protected[c]
            fireSpared[c] = 0
            isTouched[c] = false
        }
        touched.removeAll(keepingCapacity: true)
        for c in unsettled { isUnsettled[Int(c)] = false }
        unsettled.removeAll(keepingCapacity: true)
        burns.removeAll(keepingCapacity: true)
        for f in changedTerritories { permanentQuality[Int(f)] = model.layout.female[Int(f)].quality }
        changedTerritories.removeAll(keepingCapacity: true)
        if fire != nil { forestOrder = model.forestCells }
        if conversion != nil {
            convertibleOrder = convertibleCells
            convertibleLeft = convertibleCells.count
        }
        // Prey away from its equilibrium K(1 − h/r) at the start moves from the first year.
        if let prey, prey.evSD == 0, abs(prey.capacity * (1 - prey.huntingOfftake / prey.growthRate) - 1) > 1e-12 {
            for c in preyCells { unsettle(Int(c)) }
        }
        for k in interventions.indices {
            active[k] = false
            restoredYears[k] = 0
            spared[k] = 0
        }
    }

    private func touch(_ c: Int) {
        if !isTouched[c] {
            isTouched[c] = true
            touched.append(Int32(c))
        }
    }

    private func unsettle(_ c: Int) {
        if prey != nil && !isUnsettled[c] {
            isUnsettled[c] = true
            unsettled.append(Int32(c))
        }
    }

    /// Stage 1's landscape part for simulation year `r.year`.
    func year<T>(_ r: Replicate<T>, space: Gridded) {
        let state = space.landscape
        let calendar = r.calendarYear
        var rng = r.landscapeRNG
        defer { r.landscapeRNG = rng }
        for (k, i) in interventions.enumerated() where i.isActive(inYear: calendar) != active[k] {
            active[k].toggle()
            switchOver(k, state: state)
        }
        for (k, i) in interventions.enumerated() where active[k] {
            if case .restoration(let increase, let years) = i.action, restoredYears[k] < years {
                restoredYears[k] += 1
                for c32 in i.cells where model.landscape.isHabitat(Int(c32)) {
                    let c = Int(c32)
                    setPermanent(c, min(1, permanent[c] + Float(increase / Double(years))), state: state, space: space, table: r.table)
                }
            }
        }
        if let fire {
            recover(fire, t: r.year, state: state)
            if rng.uniform() < fire.probability { burn(fire, r, state: state, space: space, rng: &rng) }
        }
        if let conversion { convert(conversion, r, state: state, space: space, rng: &rng) }
        if let prey { growPrey(prey, state: state, rng: &rng) }
    }

    // MARK: interventions

    /// Intervention `k` has just started or ended: its cells take the combined effect of the
    /// interventions active now.
    private func switchOver(_ k: Int, state: LandscapeState) {
        let l = model.landscape
        let i = interventions[k]
        func combined(_ c: Int, _ factor: (Intervention.Action) -> Double?) -> Double {
            var product = 1.0
            for (j, other) in interventions.enumerated() where active[j] && other.covers[c] {
                if let f = factor(other.action) { product *= f }
            }
            return product
        }
        for c32 in i.cells {
            let c = Int(c32)
            switch i.action {
            case .antiPoaching:
                let f = combined(c) { if case .antiPoaching(let e) = $0 { return 1 - e } else { return nil } }
                state.setPoaching(c, Float(Double(l.poaching[c]) * f))
            case .dogManagement:
                let f = combined(c) { if case .dogManagement(let e) = $0 { return 1 - e } else { return nil } }
                state.setDisease(c, Float(Double(l.disease[c]) * f))
            case .preyRecovery:
                touch(c)
                capacity[c] = Float(Double(staticCapacity[c]) * combined(c) { if case .preyRecovery(let up, _) = $0 { return 1 + up } else { return nil } })
                hunting[c] = Float((prey?.huntingOfftake ?? 0) * combined(c) { if case .preyRecovery(_, let down) = $0 { return 1 - down } else { return nil } })
                unsettle(c)
            case .habitatProtection:
                touch(c)
                let kept = combined(c) { if case .habitatProtection(let r) = $0 { return 1 - r } else { return nil } }
                fireSpared[c] = Float(1 - kept)
                protectedNow[c] = l.protected[c] || interventions.indices.contains { j in
                    if case .habitatProtection = interventions[j].action { return active[j] && interventions[j].covers[c] }
                    return false
                }
            case .corridor:
                var permeability = Double(l.permeability[c]), tag = -1
                let f = combined(c) { if case .corridor(_, let down) = $0 { return 1 - down } else { return nil } }
                for (j, other) in interventions.enumerated() where active[j] && other.covers[c] {
                    if case .corridor(let p, _) = other.action {
                        permeability = max(permeability, p)
                        if tag < 0 { tag = j }
                    }
                }
                state.setPermeability(c, Float(permeability))
                state.setRoadMortality(c, Float(Double(l.roads[c]) * f))
                state.tagCrossings(c, tag)
            case .restoration, .vaccination:
                return  // yearly (restoration here, vaccination at the Environment stage)
            }
        }
    }

    // MARK: permanent change

    /// Sets a cell's permanent suitability; its territory is dissolved if what is left of it
    /// falls below `territoryLossShare` of the requirement.
    private func setPermanent(_ c: Int, _ value: Float, state: LandscapeState, space: Gridded, table: AnimalTable) {
        let before = permanent[c]
        guard value != before else { return }
        touch(c)
        let l = model.landscape
        permanent[c] = value
        refresh(c, state: state)
        let f = Int(model.layout.femaleOfCell[c])
        guard f >= 0 else { return }
        if permanentQuality[f] == model.layout.female[f].quality { changedTerritories.append(Int32(f)) }
        permanentQuality[f] += Double(value - before) * min(1, Double(l.prey[c])) * l.cellArea
        if permanentQuality[f] < Self.territoryLossShare * model.settings.territories.femaleRequirement && space.femaleHolder[f] != Gridded.closed {
            space.close(femaleTerritory: f, table: table)
        }
    }

    /// The layers of cell `c` from its state: suitability = permanent × fire damage; prey
    /// without dynamics = the prey layer × fire damage (none on converted land).
    private func refresh(_ c: Int, state: LandscapeState) {
        let l = model.landscape
        state.setSuitability(c, permanent[c] * fireFactor[c])
        if prey == nil {
            state.setPrey(c, permanent[c] > 0 ? l.prey[c] * fireFactor[c] : 0)
        } else {
            if permanent[c] <= 0 {
                state.setPrey(c, 0)
            } else if state.prey[c] <= 0 {
                // Land brought back (restoration): ungulates come in from around it.
                state.setPrey(c, Float(Self.reseedShare * capacityNow(c)))
            }
            unsettle(c)
        }
    }

    // MARK: fire

    /// Burnt cells heal linearly: damage × (1 − years since the fire / its recovery years).
    func recover(_ fire: FireThreat, t: Int, state: LandscapeState) {
        var i = 0
        while i < burns.count {
            let b = burns[i]
            let c = Int(b.cell)
            let left = 1 - Double(t - Int(b.year)) / Double(b.years)
            if left <= 0 {
                fireFactor[c] = 1
                streak[c] = streak[c] == Self.convertedMark ? Self.convertedMark : 0
                burnSlot[c] = -1
                let last = burns.removeLast()
                if i < burns.count {
                    burns[i] = last
                    burnSlot[Int(last.cell)] = Int32(i)
                }
            } else {
                fireFactor[c] = Float(1 - fire.damage * left)
                i += 1
            }
            refresh(c, state: state)
        }
    }

    /// A bad fire year: a share of the forest cells drawn uniformly (exactly that many, without
    /// replacement) burns, unless protection spares it; a cell already converted burns no more.
    private func burn<T>(_ fire: FireThreat, _ r: Replicate<T>, state: LandscapeState, space: Gridded, rng: inout RandomStream) {
        let share = fire.burntShare.lowerBound + rng.uniform() * (fire.burntShare.upperBound - fire.burntShare.lowerBound)
        let count = Int((share * Double(forestOrder.count)).rounded())
        r.tallies.badFireYears += 1
        for i in 0..<count {
            let j = i + rng.below(forestOrder.count - i)
            forestOrder.swapAt(i, j)
            let c = Int(forestOrder[i])
            if streak[c] == Self.convertedMark { continue }
            if fireSpared[c] > 0 && rng.uniform() < Double(fireSpared[c]) {
                creditSpared(c)
                continue
            }
            ignite(c, years: fire.recoveryYears.lowerBound + rng.below(fire.recoveryYears.count), fire: fire, r, state: state, space: space)
        }
    }

    /// Cell `c` burns this year and heals over `years` years; burnt again while healing, it
    /// counts one more fire in a row, and after `conversionBurns` of them it is grassland.
    func ignite<T>(_ c: Int, years: Int, fire: FireThreat, _ r: Replicate<T>, state: LandscapeState, space: Gridded) {
        touch(c)
        r.tallies.cellsBurnt += 1
        let entry = (cell: Int32(c), year: Int32(r.year), years: Int32(years))
        if burnSlot[c] >= 0 {
            streak[c] = min(streak[c] + 1, Self.convertedMark - 1)
            burns[Int(burnSlot[c])] = entry
        } else {
            streak[c] = 1
            burnSlot[c] = Int32(burns.count)
            burns.append(entry)
        }
        fireFactor[c] = Float(1 - fire.damage)
        if prey != nil { state.setPrey(c, state.prey[c] * Float(1 - fire.damage)) }
        if fire.conversionBurns > 0 && Int(streak[c]) >= fire.conversionBurns {
            streak[c] = Self.convertedMark
            r.tallies.cellsConvertedByFire += 1
            setPermanent(c, min(permanent[c], Float(fire.grasslandSuitability)), state: state, space: space, table: r.table)
        } else {
            refresh(c, state: state)
        }
    }

    /// The first active protection covering `c` (or the first of the scenario covering it) is
    /// credited with sparing it.
    private func creditSpared(_ c: Int) {
        for (k, i) in interventions.enumerated() where active[k] && i.covers[c] {
            if case .habitatProtection = i.action { spared[k] += 1; return }
        }
    }

    // MARK: conversion

    /// Each unconverted habitat cell outside protection turns to farmland with the yearly rate:
    /// a binomial count drawn among those not yet converted, protected ones spared.
    private func convert<T>(_ conversion: HabitatConversion, _ r: Replicate<T>, state: LandscapeState, space: Gridded,
                            rng: inout RandomStream) {
        guard convertibleLeft > 0 else { return }
        let count = rng.binomial(convertibleLeft, conversion.rate)
        var i = 0
        for _ in 0..<count {
            let j = i + rng.below(convertibleLeft - i)
            convertibleOrder.swapAt(i, j)
            let c = Int(convertibleOrder[i])
            if protectedNow[c] {
                creditSpared(c)
                i += 1
                continue
            }
            // Converted: out of the pool for good.
            convertibleLeft -= 1
            convertibleOrder.swapAt(i, convertibleLeft)
            r.tallies.cellsConverted += 1
            streak[c] = Self.convertedMark  // farmland burns no more
            setPermanent(c, 0, state: state, space: space, table: r.table)
        }
    }

    // MARK: prey

    /// One year of ungulates on every prey cell that moves: all of them under environmental
    /// variation, else those away from equilibrium.
    private func growPrey(_ prey: PreyDynamics, state: LandscapeState, rng: inout RandomStream) {
        if prey.evSD > 0 {
            let noise = exp(prey.evSD * rng.normal() - prey.evSD * prey.evSD / 2)
            preyCells.withUnsafeBufferPointer { cells in
                preyScratch.withUnsafeMutableBufferPointer { next in
                    for (i, c32) in cells.enumerated() {
                        let c = Int(c32)
                        next[i] = Float(prey.next(Double(state.prey[c]), capacity: capacityNow(c), hunting: Double(hunting[c]), noise: noise))
                    }
                    state.setPrey(cells: cells, values: UnsafeBufferPointer(next))
                }
            }
            return
        }
        var i = 0
        while i < unsettled.count {
            let c = Int(unsettled[i])
            if step(c, prey, noise: 1, state: state) {
                i += 1
            } else {
                isUnsettled[c] = false
                unsettled.swapAt(i, unsettled.count - 1)
                unsettled.removeLast()
            }
        }
    }

    /// Prey capacity of cell `c` now: its capacity × fire damage, 0 on converted land.
    @inline(__always) private func capacityNow(_ c: Int) -> Double {
        permanent[c] > 0 ? Double(capacity[c]) * Double(fireFactor[c]) : 0
    }

    /// Cell `c`'s prey moves one year; false once it has settled (no visible change).
    @discardableResult
    private func step(_ c: Int, _ prey: PreyDynamics, noise: Double, state: LandscapeState) -> Bool {
        let next = Float(prey.next(Double(state.prey[c]), capacity: capacityNow(c), hunting: Double(hunting[c]), noise: noise))
        guard next != state.prey[c] else { return burnSlot[c] >= 0 }
        state.setPrey(c, next)
        return true
    }

    // MARK: reports

    /// The census's record of habitat: in the female territories every year; of each
    /// intervention's place at the census before its first year and in its last year (within
    /// the run); at the end, what each has done (cells spared, crossings).
    func census<T>(_ r: Replicate<T>, state: LandscapeState) {
        r.census.addHabitat(t: r.year, km2: state.territoryHabitat, prey: state.territoryPrey)
        let start = r.model.startYear, years = r.model.years
        for (k, i) in interventions.enumerated() {
            let before = i.startYear - start - 1, after = i.endYear - start
            guard before < years, after > 0 else { continue }  // not in force during the run
            if r.year == max(0, before) {
                let now = placeHabitat(k, state: state)
                r.addToIntervention(k, .habitatBefore, now.km2)
                r.addToIntervention(k, .preyBefore, now.prey)
            }
            if r.year == min(years, after) {
                let now = placeHabitat(k, state: state)
                r.addToIntervention(k, .habitatAfter, now.km2)
                r.addToIntervention(k, .preyAfter, now.prey)
            }
            if r.year == years {
                r.addToIntervention(k, .actions, Double(spared[k] + state.crossings[k]))
            }
        }
    }

    /// Σ habitat value (km²) and mean prey index over the cells of intervention `k`'s place now.
    func placeHabitat(_ k: Int, state: LandscapeState) -> (km2: Double, prey: Double) {
        let cells = interventions[k].cells
        var km2 = 0.0, prey = 0.0
        for c in cells {
            km2 += state.habitatValue(Int(c))
            prey += Double(state.prey[Int(c)])
        }
        return (km2, cells.isEmpty ? 0 : prey / Double(cells.count))
    }
}

import Foundation

/// The landscape as one replicate sees it: the static layers and territory
/// layout (shared by every replicate, never written) plus what has changed in
/// this replicate — prey, suitability, permeability, road mortality — and the
/// territory values that follow from them (quality, sufficiency, the road
/// hazard of a resident). Every stage reads the landscape through here.
///
/// A worker copies the static values once; a change marks its cell, and the
/// next replicate restores only the marked cells and territories, so a
/// replicate costs O(cells it changed), never a sweep of the whole map. One
/// per worker (a class, so that stages read it without copying it).
final class LandscapeState {
    let model: SpatialModel
    @exclusivity(unchecked) private(set) var prey: [Float]
    @exclusivity(unchecked) private(set) var suitability: [Float]
    /// Movement permeability on a grid padded by one cell all round (`paddedIndex`): the
    /// dispersal walk weighs the 8 neighbours of any map cell without a bounds check. The
    /// border is 1 (stepping off the map is open: emigration); barriers and NODATA are 0.
    let walkPermeability: UnsafeMutablePointer<Float>
    /// Probability of dying on stepping into each cell, from the hazard −ln(1 − non-habitat
    /// step mortality) off habitat plus the cell's road hazard (`cellRoadHazard`), and the
    /// road's share of that hazard (the chance that such a death is caused by the road).
    let stepDeath: UnsafeMutablePointer<Float>
    let stepRoadShare: UnsafeMutablePointer<Float>
    private let nonHabitatStepHazard: Double
    /// Road mortality probability per cell, and its hazard −ln(1 − p).
    @exclusivity(unchecked) private(set) var roads: [Float]
    let cellRoadHazard: UnsafeMutablePointer<Double>
    /// Per female territory: Σ habitat value (km² of full-quality habitat) and
    /// sufficiency min(1, quality / requirement). (Per-territory values are buffers of this
    /// worker, read in every animal's hot path without reference counting or exclusivity checks.)
    let femaleQuality: UnsafeMutableBufferPointer<Double>
    let femaleSufficiency: UnsafeMutableBufferPointer<Double>
    /// Road hazard of each female / male territory's resident (its worst road cell).
    let femaleRoadHazard: UnsafeMutableBufferPointer<Double>
    let maleRoadHazard: UnsafeMutableBufferPointer<Double>
    /// Poaching pressure and distemper spillover per cell and their territory means.
    let poaching: PressureLayer
    let disease: PressureLayer
    /// Per cell, the corridor whose crossings a disperser stepping in adds to (−1 none), and the
    /// counts per intervention index; `tracksCrossings` when any corridor is active.
    let crossingTag: UnsafeMutablePointer<Int16>
    let crossings: UnsafeMutableBufferPointer<Int>
    @exclusivity(unchecked) private(set) var tracksCrossings = false
    /// Σ habitat value (km²) over the female territories, and Σ prey index over their cells,
    /// kept current with every change; and their values in the static landscape.
    @exclusivity(unchecked) private(set) var territoryHabitat: Double
    @exclusivity(unchecked) private var territoryPreySum: Double
    private let staticTerritoryHabitat: Double, staticTerritoryPreySum: Double, territoryCellCount: Int
    /// Mean prey index over the cells of the female territories.
    var territoryPrey: Double { territoryCellCount > 0 ? territoryPreySum / Double(territoryCellCount) : 0 }
    /// Cells changed since the replicate began (`changed[c]` marks them).
    @exclusivity(unchecked) private var changedCells: [Int32] = []
    @exclusivity(unchecked) private var changed: [Bool]

    init(_ model: SpatialModel) {
        self.model = model
        let l = model.landscape
        prey = l.prey
        suitability = l.suitability
        roads = l.roads
        cellRoadHazard = .allocate(capacity: max(1, l.cellCount))
        cellRoadHazard.initialize(from: model.cellRoadHazard, count: l.cellCount)
        walkPermeability = .allocate(capacity: (l.columns + 2) * (l.rows + 2))
        walkPermeability.initialize(repeating: 1, count: (l.columns + 2) * (l.rows + 2))
        stepDeath = .allocate(capacity: max(1, l.cellCount))
        stepRoadShare = .allocate(capacity: max(1, l.cellCount))
        nonHabitatStepHazard = hazard(ofProbability: model.settings.dispersal.nonHabitatStepMortality)
        func buffer(_ values: [Double]) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, values.count))
            _ = b.initialize(from: values)
            return b
        }
        femaleQuality = buffer(model.layout.female.map(\.quality))
        femaleSufficiency = buffer(model.femaleSufficiency)
        femaleRoadHazard = buffer(model.femaleRoadHazard)
        maleRoadHazard = buffer(model.maleRoadHazard)
        staticTerritoryHabitat = model.layout.female.reduce(0) { $0 + $1.quality }
        staticTerritoryPreySum = model.layout.female.reduce(0) { sum, t in t.cells.reduce(sum) { $0 + Double(l.prey[Int($1)]) } }
        territoryCellCount = model.layout.female.reduce(0) { $0 + $1.cells.count }
        territoryHabitat = staticTerritoryHabitat
        territoryPreySum = staticTerritoryPreySum
        poaching = PressureLayer(l.poaching, layout: model.layout)
        disease = PressureLayer(l.disease, layout: model.layout)
        crossingTag = .allocate(capacity: max(1, l.cellCount))
        crossingTag.initialize(repeating: -1, count: l.cellCount)
        crossings = .allocate(capacity: max(1, model.interventions.count))
        crossings.initialize(repeating: 0)
        changed = [Bool](repeating: false, count: l.cellCount)
        for c in 0..<l.cellCount {
            walkPermeability[paddedIndex(c)] = l.permeability[c]
            refreshStepHazard(c)
        }
    }

    deinit {
        femaleQuality.deallocate()
        femaleSufficiency.deallocate()
        femaleRoadHazard.deallocate()
        maleRoadHazard.deallocate()
        cellRoadHazard.deallocate()
        walkPermeability.deallocate()
        stepDeath.deallocate()
        stepRoadShare.deallocate()
        crossingTag.deallocate()
        crossings.deallocate()
    }

    /// Back to the static landscape: O(cells changed since the last reset).
    func reset() {
        for i in crossings.indices { crossings[i] = 0 }
        tracksCrossings = false
        territoryHabitat = staticTerritoryHabitat
        territoryPreySum = staticTerritoryPreySum
        guard !changedCells.isEmpty else { return }
        let l = model.landscape
        for c32 in changedCells {
            let c = Int(c32)
            prey[c] = l.prey[c]
            suitability[c] = l.suitability[c]
            walkPermeability[paddedIndex(c)] = l.permeability[c]
            roads[c] = l.roads[c]
            cellRoadHazard[c] = model.cellRoadHazard[c]
            changed[c] = false
            poaching.restore(c)
            disease.restore(c)
            crossingTag[c] = -1
            let f = Int(model.layout.femaleOfCell[c])
            if f >= 0 {
                femaleQuality[f] = model.layout.female[f].quality
                femaleSufficiency[f] = model.femaleSufficiency[f]
                femaleRoadHazard[f] = model.femaleRoadHazard[f]
                maleRoadHazard[Int(model.layout.maleOfFemale[f])] = model.maleRoadHazard[Int(model.layout.maleOfFemale[f])]
            }
            refreshStepHazard(c)
        }
        changedCells.removeAll(keepingCapacity: true)
    }

    /// Number of cells that differ from the static landscape.
    var changedCellCount: Int { changedCells.count }

    @inline(__always) func isHabitat(_ c: Int) -> Bool { model.landscape.onMap[c] && suitability[c] > 0 }

    /// A cell's index in the padded grid of `walkPermeability`.
    @inline(__always) func paddedIndex(_ c: Int) -> Int {
        let columns = model.landscape.columns
        return (c / columns + 1) * (columns + 2) + c % columns + 1
    }

    /// Permeability of a cell now (0 = barrier).
    func permeability(_ c: Int) -> Float { walkPermeability[paddedIndex(c)] }

    /// The permeability layer now, unpadded.
    var permeability: [Float] { (0..<model.landscape.cellCount).map(permeability) }

    private func refreshStepHazard(_ c: Int) {
        let total = (isHabitat(c) ? 0 : nonHabitatStepHazard) + cellRoadHazard[c]
        stepDeath[c] = Float(-expm1(-total))
        stepRoadShare[c] = total > 0 ? Float(cellRoadHazard[c] / total) : 0
    }

    /// Habitat value of a cell now: suitability × min(prey, 1) × area (km² of full-quality habitat).
    @inline(__always) func habitatValue(_ c: Int) -> Double {
        guard isHabitat(c) else { return 0 }
        return Double(suitability[c]) * min(1, Double(prey[c])) * model.landscape.cellArea
    }

    private func mark(_ c: Int) {
        if !changed[c] {
            changed[c] = true
            changedCells.append(Int32(c))
        }
    }

    /// Sets a cell's prey index; its territory's quality and sufficiency follow.
    func setPrey(_ c: Int, _ value: Float) {
        if model.layout.femaleOfCell[c] >= 0 { territoryPreySum += Double(value) - Double(prey[c]) }
        updateHabitat(c) { $0.prey[c] = value }
    }

    /// Sets the prey index of many cells at once (dynamic prey, every cell every year): as
    /// `setPrey` for each, without the per-cell checks a change of suitability needs.
    func setPrey(cells: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>) {
        let area = model.landscape.cellArea
        let femaleOfCell = model.layout.femaleOfCell
        prey.withUnsafeMutableBufferPointer { prey in
            for i in cells.indices {
                let c = Int(cells[i])
                let old = prey[c], new = values[i]
                guard new != old else { continue }
                mark(c)
                prey[c] = new
                let f = Int(femaleOfCell[c])
                guard f >= 0 else { continue }
                territoryPreySum += Double(new) - Double(old)
                guard isHabitat(c) else { continue }
                addHabitat(Double(suitability[c]) * (min(1, Double(new)) - min(1, Double(old))) * area, toFemaleTerritory: f)
            }
        }
    }

    /// Sets a cell's suitability (temporary damage such as fire; the layout is not rebuilt).
    func setSuitability(_ c: Int, _ value: Float) {
        updateHabitat(c) { $0.suitability[c] = value }
    }

    private func updateHabitat(_ c: Int, _ change: (LandscapeState) -> Void) {
        mark(c)
        let before = habitatValue(c)
        change(self)
        refreshStepHazard(c)
        let f = Int(model.layout.femaleOfCell[c])
        guard f >= 0 else { return }
        addHabitat(habitatValue(c) - before, toFemaleTerritory: f)
    }

    /// Female territory `f` gains `delta` km² of habitat: its quality, its sufficiency and the
    /// sum over the territories follow.
    @inline(__always) private func addHabitat(_ delta: Double, toFemaleTerritory f: Int) {
        territoryHabitat += delta
        femaleQuality[f] += delta
        femaleSufficiency[f] = sufficiency(quality: femaleQuality[f])
    }

    /// A female territory's sufficiency for its quality: min(1, quality / requirement).
    @inline(__always) private func sufficiency(quality: Double) -> Double {
        min(1, max(0, quality) / model.settings.territories.femaleRequirement)
    }

    func setPoaching(_ c: Int, _ value: Float) {
        mark(c)
        poaching.set(c, value)
    }

    func setDisease(_ c: Int, _ value: Float) {
        mark(c)
        disease.set(c, value)
    }

    /// Dispersers stepping into cell `c` count as crossings of corridor `index` (−1: no longer).
    func tagCrossings(_ c: Int, _ index: Int) {
        mark(c)
        crossingTag[c] = Int16(index)
        if index >= 0 { tracksCrossings = true }
    }

    /// Sets a cell's movement permeability (0 = barrier), e.g. a corridor opened.
    func setPermeability(_ c: Int, _ value: Float) {
        mark(c)
        walkPermeability[paddedIndex(c)] = model.landscape.onMap[c] ? value : 0
    }

    /// Sets a cell's road mortality; the road hazard of the residents whose territory holds
    /// it follows (their worst road cell).
    func setRoadMortality(_ c: Int, _ value: Float) {
        mark(c)
        roads[c] = value
        cellRoadHazard[c] = hazard(ofProbability: Double(value))
        refreshStepHazard(c)
        let f = Int(model.layout.femaleOfCell[c])
        guard f >= 0 else { return }
        let m = Int(model.layout.maleOfFemale[f])
        femaleRoadHazard[f] = hazard(ofProbability: model.layout.female[f].cells.reduce(0) { max($0, Double(roads[Int($1)])) })
        maleRoadHazard[m] = hazard(ofProbability: model.layout.male[m].cells.reduce(0) { max($0, Double(roads[Int($1)])) })
    }

    /// What is wrong with the values kept current by changes: each female territory's
    /// quality and sufficiency, the residents' pressures, the territory sums, recomputed
    /// from the cells (to a relative 10⁻⁶: they are sums kept by differences).
    func invariantViolations() -> [String] {
        var problems: [String] = []
        func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(b)) }
        var habitat = 0.0, preySum = 0.0
        for (f, t) in model.layout.female.enumerated() {
            let quality = t.cells.reduce(0) { $0 + habitatValue(Int($1)) }
            habitat += quality
            preySum += t.cells.reduce(0) { $0 + Double(prey[Int($1)]) }
            if !near(femaleQuality[f], quality) { problems.append("female territory \(f): quality \(femaleQuality[f]), its cells give \(quality)") }
            if !near(femaleSufficiency[f], sufficiency(quality: femaleQuality[f])) { problems.append("female territory \(f): sufficiency out of date") }
            for (layer, name) in [(poaching, "poaching"), (disease, "disease")] {
                let mean = t.cells.reduce(0) { $0 + Double(layer[Int($1)]) } / Double(t.cells.count)
                if !near(layer.female[f], mean) { problems.append("female territory \(f): \(name) pressure \(layer.female[f]), its cells give \(mean)") }
            }
        }
        if !near(territoryHabitat, habitat) { problems.append("habitat in territories \(territoryHabitat), the territories give \(habitat)") }
        if !near(territoryPreySum, preySum) { problems.append("prey in territories \(territoryPreySum), the cells give \(preySum)") }
        return problems
    }
}

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
    private(set) var prey: [Float]
    private(set) var suitability: [Float]
    private(set) var permeability: [Float]
    /// Road mortality probability per cell, and its hazard −ln(1 − p).
    private(set) var roads: [Float]
    private(set) var cellRoadHazard: [Double]
    /// Per female territory: Σ habitat value (km² of full-quality habitat) and
    /// sufficiency min(1, quality / requirement).
    private(set) var femaleQuality: [Double]
    private(set) var femaleSufficiency: [Double]
    /// Road hazard of each female / male territory's resident (its worst road cell).
    private(set) var femaleRoadHazard: [Double]
    private(set) var maleRoadHazard: [Double]
    /// Cells changed since the replicate began (`changed[c]` marks them).
    private var changedCells: [Int32] = []
    private var changed: [Bool]

    init(_ model: SpatialModel) {
        self.model = model
        let l = model.landscape
        prey = l.prey
        suitability = l.suitability
        permeability = l.permeability
        roads = l.roads
        cellRoadHazard = model.cellRoadHazard
        femaleQuality = model.layout.female.map(\.quality)
        femaleSufficiency = model.femaleSufficiency
        femaleRoadHazard = model.femaleRoadHazard
        maleRoadHazard = model.maleRoadHazard
        changed = [Bool](repeating: false, count: l.cellCount)
    }

    /// Back to the static landscape: O(cells changed since the last reset).
    func reset() {
        guard !changedCells.isEmpty else { return }
        let l = model.landscape
        for c32 in changedCells {
            let c = Int(c32)
            prey[c] = l.prey[c]
            suitability[c] = l.suitability[c]
            permeability[c] = l.permeability[c]
            roads[c] = l.roads[c]
            cellRoadHazard[c] = model.cellRoadHazard[c]
            changed[c] = false
            let f = Int(model.layout.femaleOfCell[c])
            if f >= 0 {
                femaleQuality[f] = model.layout.female[f].quality
                femaleSufficiency[f] = model.femaleSufficiency[f]
                femaleRoadHazard[f] = model.femaleRoadHazard[f]
                maleRoadHazard[Int(model.layout.maleOfFemale[f])] = model.maleRoadHazard[Int(model.layout.maleOfFemale[f])]
            }
        }
        changedCells.removeAll(keepingCapacity: true)
    }

    /// Number of cells that differ from the static landscape.
    var changedCellCount: Int { changedCells.count }

    @inline(__always) func isHabitat(_ c: Int) -> Bool { model.landscape.onMap[c] && suitability[c] > 0 }

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
        updateHabitat(c) { $0.prey[c] = value }
    }

    /// Sets a cell's suitability (temporary damage such as fire; the layout is not rebuilt).
    func setSuitability(_ c: Int, _ value: Float) {
        updateHabitat(c) { $0.suitability[c] = value }
    }

    private func updateHabitat(_ c: Int, _ change: (LandscapeState) -> Void) {
        mark(c)
        let before = habitatValue(c)
        change(self)
        let f = Int(model.layout.femaleOfCell[c])
        guard f >= 0 else { return }
        femaleQuality[f] += habitatValue(c) - before
        femaleSufficiency[f] = min(1, max(0, femaleQuality[f]) / model.settings.territories.femaleRequirement)
    }

    /// Sets a cell's movement permeability (0 = barrier), e.g. a corridor opened.
    func setPermeability(_ c: Int, _ value: Float) {
        mark(c)
        permeability[c] = model.landscape.onMap[c] ? value : 0
    }

    /// Sets a cell's road mortality; the road hazard of the residents whose territory holds
    /// it follows (their worst road cell).
    func setRoadMortality(_ c: Int, _ value: Float) {
        mark(c)
        roads[c] = value
        cellRoadHazard[c] = hazard(ofProbability: Double(value))
        let f = Int(model.layout.femaleOfCell[c])
        guard f >= 0 else { return }
        let m = Int(model.layout.maleOfFemale[f])
        femaleRoadHazard[f] = hazard(ofProbability: model.layout.female[f].cells.reduce(0) { max($0, Double(roads[Int($1)])) })
        maleRoadHazard[m] = hazard(ofProbability: model.layout.male[m].cells.reduce(0) { max($0, Double(roads[Int($1)])) })
    }
}

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
    /// sufficiency min(1, quality / requirement). (Per-territory values are buffers of this
    /// worker, read in every animal's hot path without reference counting or exclusivity checks.)
    let femaleQuality: UnsafeMutableBufferPointer<Double>
    let femaleSufficiency: UnsafeMutableBufferPointer<Double>
    /// Road hazard of each female / male territory's resident (its worst road cell).
    let femaleRoadHazard: UnsafeMutableBufferPointer<Double>
    let maleRoadHazard: UnsafeMutableBufferPointer<Double>
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
        func buffer(_ values: [Double]) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, values.count))
            _ = b.initialize(from: values)
            return b
        }
        femaleQuality = buffer(model.layout.female.map(\.quality))
        femaleSufficiency = buffer(model.femaleSufficiency)
        femaleRoadHazard = buffer(model.femaleRoadHazard)
        maleRoadHazard = buffer(model.maleRoadHazard)
        changed = [Bool](repeating: false, count: l.cellCount)
    }

    deinit {
        femaleQuality.deallocate()
        femaleSufficiency.deallocate()
        femaleRoadHazard.deallocate()
        maleRoadHazard.deallocate()
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

    /// The cell layers the dispersal walk reads at every step, as buffers for the length of
    /// `body`: permeability, whether the cell is on the map, suitability, road hazard.
    @inline(__always)
    func withCellLayers<R>(_ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Bool>, UnsafeBufferPointer<Float>,
                                    UnsafeBufferPointer<Double>) -> R) -> R {
        permeability.withUnsafeBufferPointer { permeability in
            model.landscape.onMap.withUnsafeBufferPointer { onMap in
                suitability.withUnsafeBufferPointer { suitability in
                    cellRoadHazard.withUnsafeBufferPointer { roads in body(permeability, onMap, suitability, roads) }
                }
            }
        }
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

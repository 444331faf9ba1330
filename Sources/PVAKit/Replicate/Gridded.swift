import Foundation

/// A model with a landscape (MODEL.md §4.2–§4.4): animals hold territories or
/// float on cells; a female breeds only on her territory with a mature male
/// within reach; exposure to poaching, roads, the floater cost and prey
/// shortfall follows from where an animal is. The per-replicate state — who
/// holds which territory, the landscape as changed in this replicate — lives
/// here; the static layout is shared (`SpatialModel`).
final class Gridded: Space {
    static let isSpatial = true

    let model: SpatialModel
    let landscape: LandscapeState
    /// Fire, conversion, prey and interventions in this replicate.
    let habitat: HabitatDynamics
    /// Row holding each female / male territory (−1 vacant, `closed` when habitat loss has
    /// dissolved it in this replicate).
    let femaleHolder: UnsafeMutablePointer<Int32>
    let maleHolder: UnsafeMutablePointer<Int32>
    /// The layout's female territory of each cell and male territory of each female
    /// territory, as raw copies: `vacancy` reads them at every step of a walk.
    let femaleOfCell: UnsafeMutablePointer<Int32>
    let maleOfFemale: UnsafeMutablePointer<Int32>
    /// `SpatialModel.femaleReachOffsets` and `femaleReach` as raw copies (offsets per male territory, then the list).
    let reachOffsets: UnsafeMutablePointer<Int32>
    let reach: UnsafeMutablePointer<Int32>
    /// Next placement candidate per region (placement fills territories best first).
    var femaleCursor: [Int] = []
    var maleCursor: [Int] = []
    /// The last breeding age of males (a holder past it is not a mate).
    let lastMaleBreedingAge: UInt8
    /// Per-cell stamp (replicate + 1) for counting final occupancy once per cell.
    var occupancyStamp: [Int32]
    /// Region census scratch [region · 3 + kind], and per region whether somebody has
    /// been there at every census of this replicate.
    var regionCounts: [Int]
    var regionPersisting: [Bool]
    /// Each region's index among the model's target regions (−1: not a target), and the
    /// youngest age a target counts.
    let targetOfRegion: [Int]
    let targetMinimumAge: UInt8

    init(model: SpatialModel, lastMaleBreedingAge: Int, targetRegions: [Int] = [], targetMinimumAge: Int = 1) {
        self.model = model
        landscape = LandscapeState(model)
        habitat = HabitatDynamics(model)
        femaleHolder = .allocate(capacity: max(1, model.layout.female.count))
        maleHolder = .allocate(capacity: max(1, model.layout.male.count))
        femaleOfCell = .allocate(capacity: max(1, model.layout.femaleOfCell.count))
        femaleOfCell.initialize(from: model.layout.femaleOfCell, count: model.layout.femaleOfCell.count)
        maleOfFemale = .allocate(capacity: max(1, model.layout.maleOfFemale.count))
        maleOfFemale.initialize(from: model.layout.maleOfFemale, count: model.layout.maleOfFemale.count)
        reachOffsets = .allocate(capacity: model.femaleReachOffsets.count)
        reachOffsets.initialize(from: model.femaleReachOffsets, count: model.femaleReachOffsets.count)
        reach = .allocate(capacity: max(1, model.femaleReach.count))
        reach.initialize(from: model.femaleReach, count: model.femaleReach.count)
        self.lastMaleBreedingAge = UInt8(clamping: lastMaleBreedingAge)
        occupancyStamp = [Int32](repeating: 0, count: model.landscape.cellCount)
        regionCounts = [Int](repeating: 0, count: CensusAccumulator.RegionCount.kinds * model.landscape.regions.count)
        regionPersisting = [Bool](repeating: true, count: model.landscape.regions.count)
        targetOfRegion = model.landscape.regions.indices.map { targetRegions.firstIndex(of: $0) ?? -1 }
        self.targetMinimumAge = UInt8(clamping: targetMinimumAge)
    }

    /// The space of a spatial `model` (its landscape, last male breeding age and target regions).
    convenience init(_ model: EngineModel) {
        self.init(model: model.spatial!, lastMaleBreedingAge: model.lastBreedingAge[1], targetRegions: model.targetRegions,
                  targetMinimumAge: model.targets.minimumAge)
    }

    deinit {
        femaleHolder.deallocate()
        maleHolder.deallocate()
        femaleOfCell.deallocate()
        maleOfFemale.deallocate()
        reachOffsets.deallocate()
        reach.deallocate()
    }

    func reset<T>(_ r: Replicate<T>) {
        r.table.territoryHolders = (femaleHolder, maleHolder)
        femaleHolder.update(repeating: -1, count: model.layout.female.count)
        maleHolder.update(repeating: -1, count: model.layout.male.count)
        beginPlacement()
        landscape.reset()
        habitat.reset()
        for i in regionPersisting.indices { regionPersisting[i] = true }
    }

    /// Placement starts again from the best territories (each group of releases).
    func beginPlacement() {
        femaleCursor = [Int](repeating: 0, count: model.femalePlacementOrder.count)
        maleCursor = [Int](repeating: 0, count: model.malePlacementOrder.count)
    }

    /// Territories go to animals at or within a year of their own first breeding age
    /// (MODEL.md §4.2): a young animal that cannot breed for two more years does not block one.
    @inline(__always)
    static func mayHoldTerritory(_ row: Int, table t: AnimalTable) -> Bool {
        Int(t.age[row]) + 1 >= Int(t.maturity[row])
    }

    /// Whether a female holds a territory within reach of male territory `male` (a male
    /// territory is worth holding only for the females around it).
    @inline(__always)
    func hasFemaleInReach(_ male: Int) -> Bool {
        for i in Int(reachOffsets[male])..<Int(reachOffsets[male + 1]) where femaleHolder[Int(reach[i])] >= 0 { return true }
        return false
    }

    /// The vacant territory of `sex` that an animal stepping into `cell` would take, or −1:
    /// the female territory covering the cell; for a male, the male territory over it if a
    /// female is within reach of it.
    @inline(__always)
    func vacancy(_ sex: Sex, at cell: Int) -> Int {
        let f = Int(femaleOfCell[cell])
        guard f >= 0 else { return -1 }
        if sex == .female { return femaleHolder[f] == Self.vacant ? f : -1 }
        let m = Int(maleOfFemale[f])
        return m >= 0 && maleHolder[m] == Self.vacant && hasFemaleInReach(m) ? m : -1
    }

    /// Holder values of a territory nobody holds, and of one habitat loss has dissolved.
    static let vacant: Int32 = -1
    static let closed: Int32 = -2

    /// `row` gives its territory up and becomes a floater where it is.
    func vacate(_ row: Int, table t: AnimalTable) {
        let home = Int(t.territory[row])
        guard home >= 0 else { return }
        (t.sex[row] == Sex.female.rawValue ? femaleHolder : maleHolder)[home] = Self.vacant
        t.territory[row] = -1
    }

    /// Female territory `f` is no more (MODEL.md §4.6): its resident becomes a floater where
    /// it is and nobody settles there again in this replicate; males follow females (a male
    /// with no female within reach gives his territory up at the next dispersal).
    func close(femaleTerritory f: Int, table t: AnimalTable) {
        let row = Int(femaleHolder[f])
        if row >= 0 { vacate(row, table: t) }
        femaleHolder[f] = Self.closed
    }

    /// An animal that may hold a territory takes the best vacant one of its sex in the
    /// region; otherwise, or if none is vacant, it floats on a random habitat cell.
    func place(_ row: Int, region: Int?, table t: AnimalTable, rng: inout RandomStream) {
        let r = model.placementIndex(region)
        let female = t.sex[row] == Sex.female.rawValue
        if Self.mayHoldTerritory(row, table: t) {
            let order = female ? model.femalePlacementOrder[r] : model.malePlacementOrder[r]
            let holder = female ? femaleHolder : maleHolder
            var cursor = female ? femaleCursor[r] : maleCursor[r]
            while cursor < order.count && holder[Int(order[cursor])] != Self.vacant { cursor += 1 }
            if female { femaleCursor[r] = cursor } else { maleCursor[r] = cursor }
            if cursor < order.count {
                let territory = Int(order[cursor])
                settle(row, sex: female ? .female : .male, territory: territory, table: t)
                return
            }
        }
        let cells = model.habitatCells[r]
        t.cell[row] = cells[rng.below(cells.count)]
    }

    func setDown(_ row: Int, at place: CompiledRelease.Place, table t: AnimalTable, rng: inout RandomStream) {
        switch place {
        case .region(let region):
            self.place(row, region: region, table: t, rng: &rng)
        case .cells(let cells):
            let cell = Int(cells[rng.below(cells.count)])
            let sex: Sex = t.sex[row] == Sex.female.rawValue ? .female : .male
            if Self.mayHoldTerritory(row, table: t), let home = Year.Disperse.nearestVacantTerritory(sex, from: cell, in: self) {
                settle(row, sex: sex, territory: home, table: t)
            } else {
                t.cell[row] = Int32(cell)
            }
        }
    }

    func enclose(_ row: Int, at place: CompiledRelease.Place, table t: AnimalTable, rng: inout RandomStream) {
        let cells: [Int32]
        switch place {
        case .region(let region): cells = model.habitatCells[model.placementIndex(region)]
        case .cells(let list): cells = list
        }
        t.cell[row] = cells[rng.below(cells.count)]
    }

    /// `row` takes vacant `territory` and moves to its home cell.
    func settle(_ row: Int, sex: Sex, territory: Int, table t: AnimalTable) {
        let female = sex == .female
        (female ? femaleHolder : maleHolder)[territory] = Int32(row)
        t.territory[row] = Int32(territory)
        t.cell[row] = female ? model.femaleHome[territory] : model.maleHome[territory]
    }

    func breedingSeason(matureMales: Int, maleBreedingPool: Double, requiresMale: Bool, rng: inout RandomStream) -> Bool { true }

    /// A mature male holds a male territory over female territory `home` or within the mate-search distance.
    @inline(__always)
    func mateAvailable(for home: Int, table t: AnimalTable) -> Bool {
        let age = t.age.base, maturity = t.maturity.base
        for m in model.layout.mates(of: home) {
            let h = Int(maleHolder[Int(m)])
            if h >= 0 && age[h] >= maturity[h] && age[h] <= lastMaleBreedingAge { return true }
        }
        return false
    }

    @inline(__always)
    func breedingFactor(female row: Int, table t: AnimalTable, requiresMale: Bool) -> Double {
        let home = Int(t.territory[row])
        guard home >= 0 else { return Unable.noTerritory }
        guard !requiresMale || mateAvailable(for: home, table: t) else { return Unable.noMate }
        return landscape.femaleSufficiency[home]
    }

    /// One of the mature holders of the male territories she can reach, at random (counted,
    /// then the k-th taken: no list is built).
    func father(of row: Int, table t: AnimalTable, matureMales: UnsafeBufferPointer<Int32>, rng: inout RandomStream) -> Int {
        let home = Int(t.territory[row])
        guard home >= 0 else { return -1 }
        let age = t.age.base, maturity = t.maturity.base
        let mates = model.layout.mates(of: home)
        var count = 0
        for m in mates {
            let h = Int(maleHolder[Int(m)])
            if h >= 0 && age[h] >= maturity[h] && age[h] <= lastMaleBreedingAge { count += 1 }
        }
        guard count > 0 else { return -1 }
        var k = rng.below(count)
        for m in mates {
            let h = Int(maleHolder[Int(m)])
            if h >= 0 && age[h] >= maturity[h] && age[h] <= lastMaleBreedingAge {
                if k == 0 { return h }
                k -= 1
            }
        }
        return -1
    }

    @inline(__always)
    func placeNewborn(_ row: Int, mother: Int, table t: AnimalTable) {
        t.cell[row] = t.cell[mother]
        t.birthCell[row] = t.cell[mother]
    }

    /// A resident uses its territory (mean poaching pressure, worst road cell); a young
    /// in its mother's care (and a newborn) the female territory it sits in, whose
    /// sufficiency also scales first-year survival; a floater its cell, and it survives
    /// × the floater factor (prey shortage acts on breeding and cub survival, not on an
    /// adult's: MODEL.md §4.2). Cells outside any territory use their own values.
    @inline(__always)
    func exposure(_ row: Int, table t: AnimalTable) -> Exposure {
        var e = Exposure()
        let home = Int(t.territory[row])
        let poaching = landscape.poaching, disease = landscape.disease
        if home >= 0 {
            if t.sex[row] == Sex.female.rawValue {
                e.poachingPressure = poaching.female[home]
                e.basePoachingPressure = poaching.originalFemale[home]
                e.diseasePressure = disease.female[home]
                e.baseDiseasePressure = disease.originalFemale[home]
                e.roadHazard = landscape.femaleRoadHazard[home]
            } else {
                e.poachingPressure = poaching.male[home]
                e.basePoachingPressure = poaching.originalMale[home]
                e.diseasePressure = disease.male[home]
                e.baseDiseasePressure = disease.originalMale[home]
                e.roadHazard = landscape.maleRoadHazard[home]
            }
            return e
        }
        let c = Int(t.cell[row])
        let age = t.age[row]
        if (t.carer.isActive && t.carer[row] >= 0) || age == 0 {
            let mothers = Int(model.layout.femaleOfCell[c])
            if mothers >= 0 {
                e.poachingPressure = poaching.female[mothers]
                e.basePoachingPressure = poaching.originalFemale[mothers]
                e.diseasePressure = disease.female[mothers]
                e.baseDiseasePressure = disease.originalFemale[mothers]
                e.roadHazard = landscape.femaleRoadHazard[mothers]
                if age == 0 { e.preyFactor = landscape.femaleSufficiency[mothers] }
                return e
            }
        } else {
            e.floaterFactor = model.settings.territories.floaterSurvival
        }
        e.poachingPressure = Double(poaching[c])
        e.basePoachingPressure = Double(poaching.original[c])
        e.diseasePressure = Double(disease[c])
        e.baseDiseasePressure = Double(disease.original[c])
        e.roadHazard = landscape.cellRoadHazard[c]
        return e
    }

    func landscapeYear<T>(_ r: Replicate<T>) { habitat.year(r, space: self) }

    /// The home cell of a resident's territory, or the cell of anyone else, is marked.
    func isIn(_ covers: [Bool], row: Int, table t: AnimalTable) -> Bool {
        let home = Int(t.territory[row])
        if home >= 0 { return covers[Int(t.sex[row] == Sex.female.rawValue ? model.femaleHome[home] : model.maleHome[home])] }
        return covers[Int(t.cell[row])]
    }

    /// Census by region: N, territorial adults (residents at or past their first breeding
    /// age, so able to breed), subadult holders (residents within a year of it) and
    /// floaters (independent animals without a territory); in the final year also
    /// the cells covered by a resident and the occupied territories.
    func census<T>(_ r: Replicate<T>) {
        habitat.census(r, state: landscape)
        let t = r.table
        let l = model.landscape
        let regions = l.regions.count
        var counts: [Int] = []
        swap(&counts, &regionCounts)
        defer { swap(&counts, &regionCounts) }
        for i in counts.indices { counts[i] = 0 }
        let dependency = t.carer.isActive
        typealias Kind = CensusAccumulator.RegionCount
        let kinds = Kind.kinds
        let cell = t.cell.base, territory = t.territory.base, age = t.age.base, maturity = t.maturity.base, carer = t.carer.base
        let birthCell = t.birthCell.base
        let targetBase = r.year, targetStride = r.model.years + 1
        counts.withUnsafeMutableBufferPointer { counts in
            l.regionOffsets.withUnsafeBufferPointer { offsets in
                l.regionsOfCell.withUnsafeBufferPointer { regionsOfCell in
                    for row in 0..<t.count {
                        let c = Int(cell[row])
                        guard c >= 0 else { continue }
                        let holder = territory[row] >= 0
                        let territorialAdult = holder && age[row] >= maturity[row]
                        let young = (dependency && carer[row] >= 0) || age[row] == 0
                        let floater = !holder && !young
                        for k in Int(offsets[c])..<Int(offsets[c + 1]) {
                            let base = Int(regionsOfCell[k]) * kinds
                            counts[base] += 1
                            if territorialAdult { counts[base + Kind.territorialAdults.rawValue] += 1 }
                            if holder && !territorialAdult { counts[base + Kind.subadultHolders.rawValue] += 1 }
                            if floater { counts[base + Kind.floaters.rawValue] += 1 }
                            counts[base + (young ? Kind.young : Kind.independent).rawValue] += 1
                            let target = targetOfRegion[Int(regionsOfCell[k])]
                            if target >= 0 && age[row] >= targetMinimumAge {
                                let i = target * targetStride + targetBase
                                r.record.targetCounts[i] += 1
                                let b = Int(birthCell[row])
                                if b >= 0 && l.regions(of: b).contains(regionsOfCell[k]) { r.record.targetBornThere[i] += 1 }
                            }
                        }
                    }
                }
            }
        }
        for i in 0..<regions where counts[i * kinds] == 0 { regionPersisting[i] = false }
        if regions > 0 { r.census.addRegions(t: r.year, counts: counts, persisting: regionPersisting) }
        guard r.year == r.model.years else { return }
        let stamp = Int32(r.index + 1)
        let extant = r.record.extinctionYear == nil
        for (territories, holder, sex) in [(model.layout.female, femaleHolder, Sex.female), (model.layout.male, maleHolder, Sex.male)] {
            for (i, territory) in territories.enumerated() where holder[i] >= 0 {
                for c in territory.cells where occupancyStamp[Int(c)] != stamp {
                    occupancyStamp[Int(c)] = stamp
                    r.tallies.occupancy[Int(c)] += 1
                    if extant { r.tallies.occupancyExtant[Int(c)] += 1 }
                }
                for reg in l.regions(of: territory.homeCell) {
                    if sex == .female { r.tallies.occupiedFemaleTerritories[Int(reg)] += 1 } else { r.tallies.occupiedMaleTerritories[Int(reg)] += 1 }
                }
            }
        }
    }

    func invariantViolations<T>(_ r: Replicate<T>) -> [String] {
        var problems: [String] = []
        let t = r.table
        var seen: [Set<Int32>] = [[], []]
        for row in 0..<t.count {
            if t.cell[row] < 0 { problems.append("row \(row) is on no cell") }
            let home = t.territory[row]
            guard home >= 0 else { continue }
            let sex = Int(t.sex[row])
            if !seen[sex].insert(home).inserted { problems.append("territory \(home) has two residents") }
            let holder = sex == 0 ? femaleHolder : maleHolder
            if holder[Int(home)] != Int32(row) { problems.append("territory \(home) does not know its resident \(row)") }
            if !Self.mayHoldTerritory(row, table: t) { problems.append("row \(row) holds territory \(home) two or more years before its first breeding age") }
        }
        problems += landscape.invariantViolations()
        for (holder, n, sex) in [(femaleHolder, model.layout.female.count, 0), (maleHolder, model.layout.male.count, 1)] {
            for i in 0..<n where holder[i] >= 0 {
                let row = Int(holder[i])
                if row >= t.count || Int(t.territory[row]) != i || Int(t.sex[row]) != sex {
                    problems.append("territory \(i) names row \(row), which does not hold it")
                }
            }
        }
        return problems
    }
}

import Foundation

/// The spatial stages and competing hazards (MODEL.md §4.2–§4.4). In a
/// non-spatial scenario without threats none of this runs, so those runs are
/// unchanged.
extension ReplicateEngine {
    /// Vacates every territory and restarts placement (once per replicate).
    func resetSpatialState() {
        guard let sp = model.spatial else { return }
        femaleHolder!.update(repeating: -1, count: sp.layout.female.count)
        maleHolder!.update(repeating: -1, count: sp.layout.male.count)
        restartPlacement()
    }

    func restartPlacement() {
        guard let sp = model.spatial else { return }
        femaleCursor = [Int](repeating: 0, count: sp.femalePlacementOrder.count)
        maleCursor = [Int](repeating: 0, count: sp.malePlacementOrder.count)
    }

    /// Places a new animal in `region` (nil = anywhere): an animal at or past
    /// its first breeding age takes the best vacant territory of its sex there;
    /// otherwise, or if none is vacant, it is a floater on a random habitat cell.
    func place(_ row: Int, region: String?) {
        guard let sp = model.spatial else { return }
        let t = table
        let r = sp.placementIndex(region)
        let female = t.sex[row] == Sex.female.rawValue
        if t.age[row] >= t.maturity[row] {
            let order = female ? sp.femalePlacementOrder[r] : sp.malePlacementOrder[r]
            let holder = female ? femaleHolder! : maleHolder!
            var cursor = female ? femaleCursor[r] : maleCursor[r]
            while cursor < order.count && holder[Int(order[cursor])] >= 0 { cursor += 1 }
            if female { femaleCursor[r] = cursor } else { maleCursor[r] = cursor }
            if cursor < order.count {
                let territory = Int(order[cursor])
                holder[territory] = Int32(row)
                t.territory[row] = Int32(territory)
                t.cell[row] = (female ? sp.layout.female[territory] : sp.layout.male[territory]).cells[0]
                return
            }
        }
        let cells = sp.habitatCells[r]
        t.cell[row] = cells[rng.below(cells.count)]
    }

    /// A mature male holds a male territory over female territory `home` or within the mate-search distance.
    @inline(__always)
    func mateAvailable(for home: Int) -> Bool {
        let sp = model.spatial!
        let t = table
        let lastMale = UInt8(model.species.males.lastBreedingAge)
        for m in sp.layout.mates(of: home) {
            let h = Int(maleHolder![Int(m)])
            if h >= 0 && t.age[h] >= t.maturity[h] && t.age[h] <= lastMale { return true }
        }
        return false
    }

    /// Stage 3 with competing hazards: H = −ln(s × floater × prey factors) + Σ h_k × pressure_k;
    /// the animal survives with exp(−H) and a death's cause is drawn in proportion to the parts.
    ///
    /// Exposure: a resident uses its territory (mean poaching pressure, highest road value);
    /// young with their mother (and newborns) use the female territory they sit in, whose
    /// sufficiency also scales first-year survival; a floater uses its cell and survives × the
    /// floater factor × min(1, prey). Without a landscape every pressure is 1 and there are no roads.
    func mortalityWithHazards() {
        let t = table
        let n = t.count
        let stride = model.maxAge + 1
        let maxAge = model.maxAge
        let ageColumn = t.age, sexColumn = t.sex, fate = t.fate
        let cellColumn = t.cell, territoryColumn = t.territory, motherColumn = t.mother
        var rng = self.rng
        let poachingHazard = model.poachingHazard(inYear: calendarYear)
        let poachingAge = model.scenario.threats.poaching?.minimumAge ?? Int.max
        let sp = model.spatial
        var counts = takeSurvivalCounts()
        let survivedBase = 2 * model.classCount
        for row in 0..<n {
            let a = Int(ageColumn[row])
            let sex = Int(sexColumn[row])
            let slot = (model.classOfAge[a] << 1) | sex
            var s = survival[sex * stride + a]
            var pressure = 1.0, road = 0.0
            if let sp {
                let home = Int(territoryColumn[row])
                if home >= 0 {
                    if sex == 0 {
                        pressure = sp.femalePoaching[home]
                        road = sp.femaleRoadHazard[home]
                    } else {
                        pressure = sp.malePoaching[home]
                        road = sp.maleRoadHazard[home]
                    }
                } else {
                    let c = Int(cellColumn[row])
                    let mothers = Int(sp.layout.femaleOfCell[c])
                    if motherColumn[row] >= 0 || a == 0 {
                        if mothers >= 0 {
                            pressure = sp.femalePoaching[mothers]
                            road = sp.femaleRoadHazard[mothers]
                            if a == 0 { s *= sp.femaleSufficiency[mothers] }
                        } else {
                            pressure = Double(sp.landscape.poaching[c])
                            road = sp.cellRoadHazard[c]
                        }
                    } else {
                        pressure = Double(sp.landscape.poaching[c])
                        road = sp.cellRoadHazard[c]
                        s *= sp.settings.territories.floaterSurvival * min(1, Double(sp.landscape.prey[c]))
                    }
                }
            }
            let poaching = a >= poachingAge ? poachingHazard * pressure : 0
            let threats = poaching + road
            counts[slot] += a < maxAge ? 1 : 0
            let lives = rng.uniform() < (threats > 0 ? s * exp(-threats) : s)
            if lives {
                counts[survivedBase + slot] += 1
                fate[row] = 0
            } else if s <= 0 || threats == 0 {
                fate[row] = DeathCause.natural.rawValue
            } else {
                let base = -log(s)
                let v = rng.uniform() * (base + threats)
                fate[row] = v < base ? DeathCause.natural.rawValue
                    : (v < base + poaching ? DeathCause.poaching.rawValue : DeathCause.road.rawValue)
            }
        }
        finishMortality(rng: rng, counts: counts)
    }

    /// Stage 5: every independent animal without a territory — young that have just
    /// become independent, and floaters — disperses, in a random order: it draws a
    /// distance from its sex's kernel, walks (`DispersalWalk`) and settles in the
    /// nearest vacant territory of its sex within the search radius of where it
    /// stopped; if there is none it stays there as a floater.
    func disperse() {
        guard let sp = model.spatial else { return }
        let t = table
        var dispersers: [Int32] = []
        swap(&dispersers, &scratch)
        defer { swap(&dispersers, &scratch) }
        dispersers.removeAll(keepingCapacity: true)
        for row in 0..<t.count where t.mother[row] < 0 && t.territory[row] < 0 && t.age[row] >= 1 {
            dispersers.append(Int32(row))
        }
        guard !dispersers.isEmpty else { return }
        rng.shuffle(&dispersers)
        var anyRemoved = false, motherMoved = false
        for disperser in dispersers {
            let row = Int(disperser)
            let sex: Sex = t.sex[row] == Sex.female.rawValue ? .female : .male
            let distance = sp.settings.dispersal.kernel(sex).draw(&rng)
            switch sp.walk.walk(from: Int(t.cell[row]), distance: distance, landscape: sp.landscape, rng: &rng) {
            case .died(let cause):
                t.fate[row] = cause.rawValue
                anyRemoved = true
            case .emigrated:
                t.fate[row] = DeathCause.emigration.rawValue
                anyRemoved = true
            case .arrived(let cell):
                if let home = nearestVacantTerritory(sex, from: cell) {
                    let holder = sex == .female ? femaleHolder! : maleHolder!
                    holder[home] = Int32(row)
                    t.territory[row] = Int32(home)
                    t.cell[row] = sex == .female ? sp.femaleHome[home] : sp.maleHome[home]
                } else {
                    t.cell[row] = Int32(cell)
                }
            }
            if t.dependents[row] > 0 { motherMoved = true }
        }
        if motherMoved {
            for row in 0..<t.count where t.mother[row] >= 0 { t.cell[row] = t.cell[Int(t.mother[row])] }
        }
        if anyRemoved {
            if model.dependency { t.markOrphans() }
            removeMarked()
        }
    }

    /// The nearest vacant territory of `sex` (by centroid) within the search radius of `cell`.
    func nearestVacantTerritory(_ sex: Sex, from cell: Int) -> Int? {
        let sp = model.spatial!
        let point = sp.landscape.centre(cell)
        let radius = sp.settings.dispersal.searchRadius
        let female = sex == .female
        let holder = female ? femaleHolder! : maleHolder!
        var best = -1
        var bestDistance = Double.infinity
        let xs = female ? sp.femaleCentroidX : sp.maleCentroidX, ys = female ? sp.femaleCentroidY : sp.maleCentroidY
        (female ? sp.layout.femaleIndex : sp.layout.maleIndex).forEach(near: point, radius: radius) { i in
            guard holder[i] < 0 else { return }
            let d = ((xs[i] - point.x) * (xs[i] - point.x) + (ys[i] - point.y) * (ys[i] - point.y)).squareRoot()
            if d <= radius && (d < bestDistance || (d == bestDistance && i < best)) {
                best = i
                bestDistance = d
            }
        }
        return best >= 0 ? best : nil
    }

    /// Census by region: N, territorial adults (residents at or past their first
    /// breeding age) and floaters, added as Σ and Σ² over replicates; in the
    /// final year also the cells covered by a resident and the occupied territories.
    func censusRegions() {
        let sp = model.spatial!
        let t = table
        let regions = sp.landscape.regions.count
        guard regions > 0 || year == model.years else { return }
        var counts: [Int] = []
        swap(&counts, &regionCounts)
        defer { swap(&counts, &regionCounts) }
        for i in counts.indices { counts[i] = 0 }
        for row in 0..<t.count {
            let c = Int(t.cell[row])
            guard c >= 0 else { continue }
            let territorialAdult = t.territory[row] >= 0 && t.age[row] >= t.maturity[row]
            let floater = t.territory[row] < 0 && t.mother[row] < 0 && t.age[row] >= 1
            for r in sp.landscape.regions(of: c) {
                let base = Int(r) * 3
                counts[base] += 1
                if territorialAdult { counts[base + 1] += 1 }
                if floater { counts[base + 2] += 1 }
            }
        }
        let base = year * regions * 3
        for i in counts.indices {
            tallies.regionSums[base + i] += counts[i]
            tallies.regionSquares[base + i] += counts[i] * counts[i]
        }
        guard year == model.years else { return }
        let stamp = Int32(currentReplicate + 1)
        for (territories, holder, occupied) in [(sp.layout.female, femaleHolder!, 0), (sp.layout.male, maleHolder!, 1)] {
            for (i, territory) in territories.enumerated() where holder[i] >= 0 {
                for c in territory.cells where occupancyStamp[Int(c)] != stamp {
                    occupancyStamp[Int(c)] = stamp
                    tallies.occupancy[Int(c)] += 1
                }
                for r in sp.landscape.regions(of: territory.homeCell) {
                    if occupied == 0 { tallies.occupiedFemaleTerritories[Int(r)] += 1 } else { tallies.occupiedMaleTerritories[Int(r)] += 1 }
                }
            }
        }
    }
}

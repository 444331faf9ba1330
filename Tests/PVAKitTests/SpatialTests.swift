import Foundation
import Testing
@testable import PVAKit

/// Territories, dispersal and hazards (MODEL.md §4.2–§4.4). Each statistical
/// test states its seed and tolerance.
@Suite struct SpatialTests {
    // MARK: dispersal kernel

    @Test func settledDistancesFollowTheKernelOnAHomogeneousVacantMap() throws {
        // 512 × 512 cells of 0.125 km (64 km square), all habitat, permeability 1, no roads, no step
        // mortality, one territory per cell, search radius half a cell: a disperser settles in the
        // cell where its walk ends. 2,000 walks from the centre with a lognormal kernel (mean 6 km,
        // σ 0.5; 99.99 % of draws under 25 km, so the map edge is out of reach). Kolmogorov–Smirnov
        // against the kernel's CDF at α = 0.01 (critical 1.628/√n = 0.0364); the walk stops at the
        // first cell at least the drawn distance away, which shifts distances by about half a cell
        // (0.06 km, a CDF shift under 0.015). Seed 77.
        let n = 512, cell = 0.125
        let landscape = SpatialSupport.landscape(columns: n, rows: n, cellSize: cell) { _, _ in SpatialSupport.CellValues(suitability: 1) }
        let kernel = DispersalKernel(meanDistance: 6, sigma: 0.5)
        let settings = SpatialSettings(
            landscape: landscape,
            territories: TerritorySettings(femaleRequirement: cell * cell * 0.99, femaleMaximumArea: cell * cell, femalesPerMale: 1,
                                           mateSearchDistance: 0, floaterSurvival: 1),
            dispersal: DispersalSettings(female: kernel, male: kernel, searchRadius: cell / 2, nonHabitatStepMortality: 0))
        let model = EngineModel(scenario: SpatialSupport.scenario(settings, species: try SpatialSupport.amurSpecies(), replicates: 1,
                                                                  years: 1, seed: 1, initial: [InitialGroup(.total(1))]))
        let sp = try #require(model.spatial)
        #expect(sp.layout.female.count == n * n)
        let space = Gridded(model: sp, lastMaleBreedingAge: 15)
        space.reset(Replicate(model: model, space: space))
        var rng = RandomStream(seed: 77)
        let start = (n / 2) * n + n / 2
        let origin = landscape.centre(start)
        var distances: [Double] = []
        for _ in 0..<2000 {
            let d = kernel.draw(&rng)
            guard case .arrived(let end) = sp.walk.walk(from: start, distance: d, in: space.landscape, rng: &rng) else {
                Issue.record("a walk died or left the map")
                continue
            }
            let home = try #require(Year.Disperse.nearestVacantTerritory(.female, from: end, in: space))
            let p = sp.layout.female[home].centroid
            distances.append(((p.x - origin.x) * (p.x - origin.x) + (p.y - origin.y) * (p.y - origin.y)).squareRoot())
        }
        let sorted = distances.sorted()
        var ks = 0.0
        for (i, x) in sorted.enumerated() {
            let f = kernel.cdf(x)
            ks = max(ks, abs(Double(i + 1) / Double(sorted.count) - f), abs(Double(i) / Double(sorted.count) - f))
        }
        #expect(ks < 1.628 / Double(sorted.count).squareRoot(), "KS \(ks) at n = \(sorted.count)")
    }

    // MARK: capacity

    /// Walled blocks of 12 × 12 cells of 5 km (60 × 60 km) of full-quality habitat side by side,
    /// each walled off from the others and from the edge by barrier cells (no emigration, no
    /// exchange); all territories filled at the start; no threats; 100 replicates × 60 years.
    static func blocks(_ count: Int, seed: UInt64) throws -> (adults: Descriptive, positions: Int) {
        let side = 12
        let columns = count * (side + 1) + 1, rows = side + 2
        let landscape = SpatialSupport.landscape(columns: columns, rows: rows, cellSize: 5, regions: [("all", 0, 0, columns, rows)]) { c, r in
            let inside = c % (side + 1) != 0 && r >= 1 && r < rows - 1
            return inside ? SpatialSupport.CellValues(suitability: 1) : SpatialSupport.CellValues(suitability: 0, prey: 0, permeability: 0)
        }
        let spatial = SpatialSettings(landscape: landscape)
        let sp = SpatialModel(settings: spatial)
        let females = sp.layout.female.count, males = sp.layout.male.count
        let scenario = SpatialSupport.scenario(spatial, species: try SpatialSupport.amurSpecies(), replicates: 100, years: 60, seed: seed,
                                               initial: [InitialGroup(.adults(females: females, males: males), region: "all")])
        let result = MonteCarlo.run(EngineModel(scenario: scenario))
        for t in 0...60 {
            #expect(SpatialSupport.regionMean(result, region: 0, t: t, k: 1) <= Double(females + males), "more territorial adults than territories")
        }
        return (SpatialSupport.region(result, 0, .territorialAdults, t: 60), females + males)
    }

    @Test func twoBlocksOfHabitatHoldTwiceTheTerritorialAdultsOfOne() throws {
        // Two identical walled blocks are two independent copies of one: the layout doubles
        // exactly and the expected territorial adults at year 60 double too. 100 replicates each,
        // seeds 5 and 6; |ratio − 2| within 4 SE of the ratio (delta method from the two means' SEs).
        let one = try Self.blocks(1, seed: 5), two = try Self.blocks(2, seed: 6)
        #expect(two.positions == 2 * one.positions)
        let ratio = two.adults.mean! / one.adults.mean!
        let se = ratio * ((two.adults.se! / two.adults.mean!) * (two.adults.se! / two.adults.mean!)
                          + (one.adults.se! / one.adults.mean!) * (one.adults.se! / one.adults.mean!)).squareRoot()
        #expect(abs(ratio - 2) < 4 * se, "territorial adults \(one.adults.mean!) → \(two.adults.mean!), ratio \(ratio) ± \(se)")
        #expect(se < 0.1, "test too weak: SE of the ratio \(se)")
    }

    @Test func territoriesAreNeverOverfilledAndFloatersNeverBreed() throws {
        // The Amur default, stepped stage by stage for 30 replicates × 60 years: after every stage
        // the table and the territories pass every invariant check (one resident per territory,
        // every resident recorded as its territory's holder, young after their carers, counts of
        // young current); and every young born at a Breed stage has a territorial mother and, as
        // its father, a mature male holding a territory over hers or within mate-search distance.
        var loaded = try TestSupport.loadSpatial("amur-leopard.json")
        loaded.scenario.run.years = 60
        let model = EngineModel(scenario: loaded.scenario, keepsPedigree: true)
        let r = Replicate(model: model, space: Gridded(model: try #require(model.spatial), lastMaleBreedingAge: model.lastBreedingAge[1]))
        var births = 0
        for replicate in 0..<30 {
            r.begin(replicate)
            for t in 1...model.years {
                r.year = t
                r.previousN = r.table.count
                for stage in Year.Stage.allCases {
                    let before = r.table.count
                    Year.run(stage, r)
                    let problems = r.table.invariantViolations(maximumAge: model.maxAge, dependentsCurrent: true) + r.space.invariantViolations(r)
                    #expect(problems.isEmpty, "replicate \(replicate), year \(t), after \(stage): \(problems.prefix(3))")
                    if stage == .breed {
                        var rowOfID: [UInt32: Int] = [:]
                        for row in 0..<before { rowOfID[r.table.id[row]] = row }
                        for row in before..<r.table.count {
                            let mother = Int(r.table.carer[row])
                            #expect(mother >= 0 && r.table.territory[mother] >= 0, "a young born to a mother without a territory")
                            #expect(r.table.motherID[row] == r.table.id[mother])
                            // The father: a mature male holding a male territory she can reach.
                            let father = try #require(rowOfID[r.table.fatherID[row]], "no father recorded")
                            #expect(r.table.sex[father] == Sex.male.rawValue && r.table.age[father] >= r.table.maturity[father])
                            let reachable = model.spatial!.layout.mates(of: Int(r.table.territory[mother]))
                            #expect(reachable.contains(r.table.territory[father]), "the father holds no territory she can reach")
                            births += 1
                        }
                    }
                }
            }
        }
        #expect(births > 0)
    }

    @Test func layoutTerritoriesAreExclusiveContiguousAndSufficient() throws {
        let loaded = try TestSupport.loadSpatial("amur-leopard.json")
        let spatial = try #require(loaded.scenario.spatial)
        let sp = SpatialModel(settings: spatial)
        let l = sp.landscape
        let requirement = spatial.territories.femaleRequirement
        var owner = [Int](repeating: -1, count: l.cellCount)
        for (i, t) in sp.layout.female.enumerated() {
            #expect(t.quality >= requirement - 1e-9 && t.sufficiency == 1)
            #expect(Double(t.cells.count) * l.cellArea <= spatial.territories.femaleMaximumArea + 1e-9)
            for c in t.cells {
                #expect(owner[Int(c)] < 0, "cell \(c) in two female territories")
                owner[Int(c)] = i
                #expect(l.isHabitat(Int(c)))
            }
            // Contiguous: every cell reachable from the first through 4-neighbours inside the territory.
            var reached: Set<Int32> = [t.cells[0]], frontier = [Int(t.cells[0])]
            let members = Set(t.cells)
            while let c = frontier.popLast() {
                for nb in TerritoryLayout.neighbours4(c, l) where members.contains(Int32(nb)) && reached.insert(Int32(nb)).inserted { frontier.append(nb) }
            }
            #expect(reached.count == t.cells.count, "territory \(i) is not contiguous")
        }
        // Male territories: exclusive among males, each the union of 1–4 whole female territories.
        var maleOwner = [Int](repeating: -1, count: l.cellCount)
        for (m, t) in sp.layout.male.enumerated() {
            let covered = Set(t.cells.map { owner[Int($0)] })
            #expect(!covered.contains(-1) && (1...4).contains(covered.count))
            for f in covered { #expect(sp.layout.maleOfFemale[f] == Int32(m)) }
            for c in t.cells {
                #expect(maleOwner[Int(c)] < 0)
                maleOwner[Int(c)] = m
            }
        }
        for f in sp.layout.female.indices { #expect(sp.layout.mates(of: f).contains(sp.layout.maleOfFemale[f])) }
    }

    // MARK: barriers

    /// A walled map (44 × 24 cells of 5 km) with patch A (16 × 20 cells, territories filled) and patch
    /// B (the same, empty) separated by a two-cell barrier wall; optionally a 20-km corridor through it.
    static func barrier(corridor: Bool) throws -> RunResult {
        let columns = 44, rows = 24
        let landscape = SpatialSupport.landscape(columns: columns, rows: rows, cellSize: 5,
                                                 regions: [("A", 2, 2, 16, 20), ("B", 26, 2, 16, 20)]) { c, r in
            if c == 0 || c == columns - 1 || r == 0 || r == rows - 1 { return SpatialSupport.CellValues(suitability: 0, prey: 0, permeability: 0) }
            if c == 21 || c == 22 {
                return SpatialSupport.CellValues(suitability: 0, prey: 0.2, permeability: corridor && r >= 10 && r <= 13 ? 1 : 0)
            }
            let patch = (c >= 2 && c < 18 || c >= 26 && c < 42) && r >= 2 && r < 22
            return patch ? SpatialSupport.CellValues(suitability: 1) : SpatialSupport.CellValues(suitability: 0, prey: 0.2, permeability: 0.5)
        }
        let spatial = SpatialSettings(landscape: landscape)
        let sp = SpatialModel(settings: spatial)
        let scenario = SpatialSupport.scenario(
            spatial, species: try SpatialSupport.amurSpecies(), replicates: 50, years: 50, seed: 9,
            initial: [InitialGroup(.adults(females: sp.layout.femaleTerritoriesInRegion[0].count,
                                           males: sp.layout.maleTerritoriesInRegion[0].count), region: "A")])
        return MonteCarlo.run(EngineModel(scenario: scenario))
    }

    @Test func aBarrierKeepsAnEmptyPatchEmptyAndACorridorLetsItBeColonised() throws {
        // 50 replicates × 50 years, seed 9. Closed: nobody ever in B (Σ over replicates of N in B is
        // 0 in every year). Open: B colonised — at year 50 its mean N exceeds 4 SE above 0.
        let closed = try Self.barrier(corridor: false)
        for t in 0...50 { #expect(SpatialSupport.regionMean(closed, region: 1, t: t, k: 0) == 0, "an animal crossed the barrier (year \(t))") }
        #expect(SpatialSupport.regionMean(closed, region: 0, t: 50, k: 0) > 0, "patch A died out, so the test shows nothing")
        let open = try Self.barrier(corridor: true)
        let b = SpatialSupport.region(open, 1, .n, t: 50)
        #expect(b.mean! - 4 * b.se! > 0, "B not colonised: N \(b.mean!) ± \(b.se!)")
        #expect(open.tallies.occupiedFemaleTerritories[1] > 0)
    }

    // MARK: hazards

    @Test func poachingIsACompetingHazardWithItsCauseRecorded() throws {
        // Non-spatial Amur defaults, EV off, no ceiling, poaching 6.5 % at pressure 1 from age 1:
        // realised adult female survival = 0.88 × 0.935 within 4 binomial SE, poaching deaths are
        // recorded, and the model λ includes the hazard. 200 replicates × 30 years, seed 13.
        var scenario = EngineTests.unlimited(try EngineTests.amur(replicates: 200, years: 30, seed: 13), initialTotal: 400)
        scenario.threats = Threats(poaching: PoachingThreat(probability: 0.065))
        let model = EngineModel(scenario: scenario)
        let result = MonteCarlo.run(model)
        let c = scenario.species.mortalityClassIndex(age: 10)
        let atRisk = result.tallies.atRisk[c * 2], survived = result.tallies.survived[c * 2]
        let expected = 0.88 * 0.935
        let observed = Double(survived) / Double(atRisk)
        #expect(abs(observed - expected) < 4 * (expected * (1 - expected) / Double(atRisk)).squareRoot(), "\(observed) vs \(expected)")
        let poached = (1...30).reduce(0) { $0 + result.tallies.deaths[$1 * DeathCause.count + Int(DeathCause.poaching.rawValue)] }
        #expect(poached > 0)
        #expect(abs(model.projection.lambda - model.threatFreeProjection!.lambda) > 0.05)
        // MODEL.md §4.1: λ ≈ 1.045 without threats, ≈ 1.03 with 1.5 % poaching.
        var mild = scenario
        mild.threats = Threats(poaching: PoachingThreat(probability: 0.015))
        #expect(abs(EngineModel(scenario: mild).projection.lambda - 1.027) < 0.001)
    }

    @Test func causesAreDrawnInProportionToTheHazards() throws {
        // One mortality class (20 % a year at every age), poaching 10 % from birth, Vortex
        // convention, maximum age 60 (old age practically never), no ceiling: every death is natural
        // or poaching, and poaching's share is h_p/(h_p + h_n) = −ln 0.9/(−ln 0.9 − ln 0.8) = 0.3207,
        // within 4 binomial SE of the number of deaths. 100 replicates × 20 years, seed 19.
        let species = Species(
            convention: .vortex, maximumAge: 60,
            females: SexLifeHistory(firstBreedingAge: AgeDistribution(fixed: 1), lastBreedingAge: 60),
            males: SexLifeHistory(firstBreedingAge: AgeDistribution(fixed: 1), lastBreedingAge: 60),
            breeding: Breeding(probability: 0.6), litterSize: .discrete(sizes: [1], probabilities: [1]),
            mortality: [MortalityClass(fromAge: 0, female: 0.2, male: 0.2)])
        let scenario = Scenario(name: "causes", run: RunSettings(years: 20, replicates: 100, seed: 19), species: species,
                                carryingCapacity: CarryingCapacity(k: 1e9), initialPopulation: [InitialGroup(.total(300))],
                                threats: Threats(poaching: PoachingThreat(probability: 0.1, minimumAge: 0)))
        let result = MonteCarlo.run(EngineModel(scenario: scenario))
        var poached = 0, natural = 0
        for t in 1...20 {
            poached += result.tallies.deaths[t * DeathCause.count + Int(DeathCause.poaching.rawValue)]
            natural += result.tallies.deaths[t * DeathCause.count + Int(DeathCause.natural.rawValue)]
        }
        let share = -log(0.9) / (-log(0.9) - log(0.8))
        let n = Double(poached + natural)
        #expect(abs(Double(poached) / n - share) < 4 * (share * (1 - share) / n).squareRoot(), "\(Double(poached) / n) vs \(share)")
    }

    @Test func raisingPoachingLowersMeanN() throws {
        // MODEL.md §7: raising a threat by a step large enough to matter (1.5 % → 6.5 %) lowers mean
        // N at year 30 by more than 4 SE of the difference. Non-spatial Amur, 300 replicates, seed 17.
        func meanN(_ p: Double) throws -> Descriptive {
            var s = try EngineTests.amur(replicates: 300, years: 30, seed: 17)
            s.threats = Threats(poaching: PoachingThreat(probability: p))
            return RunSummary(MonteCarlo.run(EngineModel(scenario: s))).final.nAll
        }
        let low = try meanN(0.015), high = try meanN(0.065)
        let se = (low.se! * low.se! + high.se! * high.se!).squareRoot()
        #expect(low.mean! - high.mean! > 4 * se, "\(low.mean!) vs \(high.mean!) (SE \(se))")
    }
}

/// The per-replicate landscape: changes are local to a replicate, flow into
/// territory values, and are undone in O(changed cells) when the next begins.
@Suite struct LandscapeStateTests {
    @Test func changesFollowIntoTerritoriesAndResetRestoresOnlyWhatChanged() throws {
        let sp = SpatialModel(settings: try #require(try TestSupport.loadSpatial("amur-leopard.json").scenario.spatial))
        let state = LandscapeState(sp)
        let f = 10
        let territory = sp.layout.female[f]
        let cell = Int(territory.cells[0])
        let before = (quality: state.femaleQuality[f], sufficiency: state.femaleSufficiency[f])
        // Halving a cell's prey removes half its habitat value from its territory's quality.
        let value = state.habitatValue(cell)
        state.setPrey(cell, state.prey[cell] / 2)
        #expect(abs(state.femaleQuality[f] - (before.quality - value + state.habitatValue(cell))) < 1e-9)
        #expect(abs(state.habitatValue(cell) - value / 2) < 1e-6 || state.prey[cell] * 2 > 1, "min(prey, 1) caps the value")
        #expect(state.femaleSufficiency[f] == min(1, state.femaleQuality[f] / sp.settings.territories.femaleRequirement))
        // A road on a territory's cell becomes its resident's road hazard; a closed cell blocks.
        state.setRoadMortality(cell, 0.2)
        #expect(abs(state.femaleRoadHazard[f] - (-log(0.8))) < 1e-6)
        let other = Int(sp.layout.female[f + 1].cells[0])
        state.setPermeability(other, 0)
        #expect(state.changedCellCount == 2)
        // The static model is untouched; reset restores exactly the two cells.
        #expect(sp.landscape.prey[cell] == state.prey[cell] * 2)
        state.reset()
        #expect(state.changedCellCount == 0)
        #expect(state.prey == sp.landscape.prey && state.permeability == sp.landscape.permeability && state.roads == sp.landscape.roads)
        #expect(state.femaleQuality[f] == before.quality && state.femaleSufficiency[f] == before.sufficiency)
        #expect(Array(state.femaleRoadHazard.prefix(sp.femaleRoadHazard.count)) == sp.femaleRoadHazard
                && Array(state.maleRoadHazard.prefix(sp.maleRoadHazard.count)) == sp.maleRoadHazard)
    }
}

@Suite struct InvariantTests {
    @Test func theChecksCatchABrokenTable() throws {
        // The checks `--check-invariants` runs after every stage must see real faults: a young
        // cared for by a later row, a miscounted mother, a territory whose holder moved.
        var loaded = try TestSupport.loadSpatial("amur-leopard.json")
        loaded.scenario.run.years = 3
        let model = EngineModel(scenario: loaded.scenario)
        let r = Replicate(model: model, space: Gridded(model: model.spatial!, lastMaleBreedingAge: model.lastBreedingAge[1]))
        r.begin(0)
        #expect(r.table.invariantViolations(maximumAge: model.maxAge, dependentsCurrent: true).isEmpty)
        #expect(r.space.invariantViolations(r).isEmpty)
        let young = try #require((0..<r.table.count).first { r.table.carer[$0] >= 0 })
        let mother = Int(r.table.carer[young])
        r.table.dependents[mother] += 1
        #expect(r.table.invariantViolations(maximumAge: model.maxAge, dependentsCurrent: true).contains { $0.contains("counts") })
        r.table.dependents[mother] -= 1
        let resident = try #require((0..<r.table.count).first { r.table.territory[$0] >= 0 && r.table.sex[$0] == 0 })
        r.space.femaleHolder[Int(r.table.territory[resident])] = -1
        #expect(!r.space.invariantViolations(r).isEmpty)
    }
}

@Suite struct RegionStatisticsTests {
    @Test func regionExtinctionAndPersistenceMatchADirectCount() throws {
        // The Amur default, 30 replicates × 25 years, seed 2025: stepping each replicate here and
        // counting the animals whose cell lies in each region at every census (independently of
        // the engine's census), the share of replicates with nobody in a region and the share
        // with somebody there at every census so far equal regions.csv's PExtinct and PPersist.
        var loaded = try TestSupport.loadSpatial("amur-leopard.json")
        loaded.scenario.run.years = 25
        loaded.scenario.run.replicates = 30
        let model = EngineModel(scenario: loaded.scenario)
        let sp = try #require(model.spatial)
        let regions = sp.landscape.regions
        var empty = [Int](repeating: 0, count: 26 * regions.count), persisting = empty
        let r = Replicate(model: model, space: Gridded(model: sp, lastMaleBreedingAge: model.lastBreedingAge[1]))
        for replicate in 0..<30 {
            r.begin(replicate)
            var alive = [Bool](repeating: true, count: regions.count)
            for t in 0...25 {
                if t > 0 { r.year = t; Year.run(r) }
                for (g, region) in regions.enumerated() {
                    let members = Set(region.cells)
                    let n = (0..<r.table.count).filter { members.contains(r.table.cell[$0]) }.count
                    if n == 0 { empty[t * regions.count + g] += 1; alive[g] = false }
                    if alive[g] { persisting[t * regions.count + g] += 1 }
                }
            }
        }
        let summary = RunSummary(MonteCarlo.run(model))
        for t in 0...25 {
            for g in regions.indices {
                let stats = summary.region(g, t: t)
                #expect(stats.extinct.successes == empty[t * regions.count + g], "year \(t), \(regions[g].name): P(extinct)")
                #expect(stats.persisting.successes == persisting[t * regions.count + g], "year \(t), \(regions[g].name): P(persist)")
            }
        }
        // Both outcomes occur (the Lazovsky area stays empty; the park is always occupied).
        #expect(empty.contains(30) && persisting.contains(30))
    }
}

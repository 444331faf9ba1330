import Foundation
import Testing
@testable import PVAKit

/// Releases and translocations (MODEL.md §4.9) and the second-population outputs (§6).
/// Statistical tests state their replicates and seed; each tolerance is a multiple of a
/// Monte Carlo standard error derived in the test.
@Suite struct ReleasesTests {
    static let lazovsky = "Lazovsky / southern Sikhote-Alin"
    static let park = "Land of the Leopard NP"

    /// The Amur default (with its genetics) for `years` years and `replicates` replicates.
    static func amur(years: Int, replicates: Int, seed: UInt64 = 3) throws -> Scenario {
        var s = try TestSupport.loadSpatial("amur-leopard.json").scenario
        s.run.years = years
        s.run.replicates = replicates
        s.run.seed = seed
        return s
    }

    /// Runs replicate `index` of `model` stage by stage, calling `after(stage, r)` after each.
    static func step<S: Space>(_ r: Replicate<S>, index: Int, years: Int, after: (Year.Stage, Replicate<S>) throws -> Void) rethrows {
        r.begin(index)
        for t in 1...years {
            r.year = t
            r.previousN = r.table.count
            for stage in Year.Stage.allCases {
                Year.run(stage, r)
                try after(stage, r)
            }
        }
    }

    // MARK: releases add exactly what is scheduled

    /// A zoo source of 5 founders with kinship 0.15 and F 0.05; 2 females aged 1 and a male
    /// aged 3 released in Lazovsky in 2027, 2029 and 2031 (interval 2). After each year's
    /// Release stage exactly those animals carry that year's release (none in the other years);
    /// each has F 0.05, kinship 0.15 with the others of its source and 0 with the wild animals
    /// (the founders' descendants), as §4.8 says.
    @Test func captiveReleasesAddTheScheduledAnimalsWithTheirSourcesGenetics() throws {
        var s = try Self.amur(years: 8, replicates: 3)
        s.releases = Releases(
            sources: [ReleaseSource(name: "zoo", kind: .captive(founders: 5, kinship: 0.15, inbreeding: 0.05))],
            groups: [ReleaseGroup(name: "zoo", source: 0, schedule: Schedule(startYear: 2027, endYear: 2031, interval: 2),
                                  place: .region(Self.lazovsky),
                                  animals: [ReleaseAnimals(sex: .female, minimumAge: 1, maximumAge: 1, count: 2),
                                            ReleaseAnimals(sex: .male, minimumAge: 3, maximumAge: 3, count: 1)])])
        let model = EngineModel(scenario: s)
        let r = Replicate(model: model, space: Gridded(model))
        let g = try #require(r.genetics)
        for index in 0..<3 {
            try Self.step(r, index: index, years: 8) { stage, r in
                guard stage == .release else { return }
                let t = r.table
                let new = (0..<t.count).filter { t.releaseYear[$0] == Int32(r.year) }
                let scheduled = [2, 4, 6].contains(r.year)
                let females = new.filter { t.sex[$0] == Sex.female.rawValue }, males = new.filter { t.sex[$0] == Sex.male.rawValue }
                #expect(females.count == (scheduled ? 2 : 0) && males.count == (scheduled ? 1 : 0), "year \(r.year): \(females.count) F, \(males.count) M")
                #expect(females.allSatisfy { t.age[$0] == 1 } && males.allSatisfy { t.age[$0] == 3 })
                #expect(new.allSatisfy { t.origin[$0] == AnimalTable.Origin.released.rawValue })
                for a in new {
                    #expect(abs(g.inbreeding(ofRow: a, table: t) - 0.05) < 1e-6)
                    for b in new where b != a { #expect(abs(g.kinship(a, b, table: t) - 0.15) < 1e-6) }
                    if let wild = (0..<t.count).first(where: { t.origin[$0] != AnimalTable.Origin.released.rawValue }) {
                        #expect(g.kinship(a, wild, table: t) == 0)
                    }
                }
            }
            #expect(r.record.supplemented == 9)
        }
    }

    /// Translocating 3 females and 2 males aged 3–8 from the national park to Lazovsky in 2027
    /// (Amur default, 4 replicates, seed 5): the Release stage takes exactly those from the park
    /// (independent animals without young of that sex and age there, counted before and after),
    /// and they arrive in Lazovsky marked as translocated; asking for 500 females takes every
    /// candidate and records the rest as the shortfall.
    @Test(arguments: [3, 500])
    func translocationsTakeExactlyTheScheduledAnimalsFromTheirSource(_ females: Int) throws {
        var s = try Self.amur(years: 3, replicates: 4, seed: 5)
        s.releases = Releases(
            sources: [ReleaseSource(name: "park", kind: .translocation(region: Self.park))],
            groups: [ReleaseGroup(name: "moved", source: 0, schedule: Schedule(startYear: 2027, endYear: 2027), place: .region(Self.lazovsky),
                                  animals: [ReleaseAnimals(sex: .female, minimumAge: 3, maximumAge: 8, count: females),
                                            ReleaseAnimals(sex: .male, minimumAge: 3, maximumAge: 8, count: 2)])])
        let model = EngineModel(scenario: s)
        let sp = try #require(model.spatial)
        let park = sp.landscape.marks(sp.landscape.regions[sp.landscape.regionIndex(named: Self.park)!].cells)
        let lazovsky = Set(sp.landscape.regions[sp.landscape.regionIndex(named: Self.lazovsky)!].cells)
        let r = Replicate(model: model, space: Gridded(model))
        for index in 0..<4 {
            var before: [Int] = []
            try Self.step(r, index: index, years: 3) { stage, r in
                let t = r.table
                func candidates(_ sex: Sex) -> Int {
                    (0..<t.count).filter { row in
                        t.sex[row] == sex.rawValue && (3...8).contains(Int(t.age[row])) && t.carer[row] < 0 && t.dependents[row] == 0
                            && t.origin[row] != AnimalTable.Origin.translocated.rawValue && r.space.isIn(park, row: row, table: t)
                    }.count
                }
                guard r.year == 2 else { return }
                if stage == .harvest { before = [candidates(.female), candidates(.male)] }
                guard stage == .release else { return }
                let moved = (0..<t.count).filter { t.origin[$0] == AnimalTable.Origin.translocated.rawValue }
                let movedFemales = moved.filter { t.sex[$0] == Sex.female.rawValue }.count
                #expect(movedFemales == min(females, before[0]) && moved.count - movedFemales == 2)
                let after: [Int] = [candidates(.female), candidates(.male)]
                #expect(after == [before[0] - movedFemales, before[1] - 2])
                #expect(moved.allSatisfy { lazovsky.contains(t.cell[$0]) && t.releaseYear[$0] == 2 })
                #expect(r.record.releaseShortfall == max(0, females - before[0]))
                #expect(r.record.translocated == moved.count)
            }
            if females == 500 { #expect(r.record.releaseShortfall > 0) }
        }
    }

    // MARK: post-release costs

    /// The non-spatial Amur model without EV or threats, K 100,000, 300 females aged 4 released
    /// each year 2026–2030, 8 replicates (seed 7): in the year after release a released female
    /// survives with (1 − m) × 0.7, m her class's mortality. About 12,000 released females:
    /// binomial SE √(p(1 − p)/n) ≈ 0.0044; tolerance 4 SE. Animals released in the same run
    /// but not yet a year out (and the wild ones) survive with 1 − m, so a missing cost shows.
    @Test func firstYearSurvivalAfterReleaseIsBaseTimesThePostReleaseFactor() throws {
        var s = try TestSupport.loadScenario("amur-leopard-nonspatial.json").scenario
        s.run.years = 6
        s.run.replicates = 8
        s.run.seed = 7
        s.threats = Threats()
        s.genetics = nil
        s.carryingCapacity = CarryingCapacity(k: 100_000, evSD: 0)
        for c in s.species.mortality.indices { s.species.mortality[c].evSD = 0 }
        s.species.breeding.evSD = 0
        s.releases = Releases(sources: [ReleaseSource(name: "zoo", kind: .captive(founders: 0, kinship: 0, inbreeding: 0))],
                              groups: [ReleaseGroup(name: "zoo", source: 0, schedule: Schedule(startYear: 2026, endYear: 2030), place: .wholeMap,
                                                    animals: [ReleaseAnimals(sex: .female, minimumAge: 4, maximumAge: 4, count: 300)])])
        let model = EngineModel(scenario: s, keepsPedigree: true)  // ids to follow the released
        let m = s.species.mortality[s.species.mortalityClassIndex(age: 4)].female
        var atRisk = 0, survived = 0
        let r = Replicate(model: model, space: Unstructured())
        for index in 0..<8 {
            var marked: [UInt32] = []
            try Self.step(r, index: index, years: 6) { stage, r in
                let t = r.table
                if stage == .environment {
                    marked = (0..<t.count).filter { t.releaseYear[$0] == Int32(r.year - 1) }.map { t.id[$0] }
                } else if stage == .mortality {
                    let alive = Set((0..<t.count).map { t.id[$0] })
                    atRisk += marked.count
                    survived += marked.filter { alive.contains($0) }.count
                }
            }
        }
        let p = (1 - m) * 0.7, n = Double(atRisk)
        let observed = Double(survived) / n
        let se = (p * (1 - p) / n).squareRoot()
        #expect(atRisk > 10_000)
        #expect(abs(observed - p) < 4 * se, "first-year survival \(observed), expected \(p) ± \(4 * se)")
    }

    /// Soft release: 40 females aged 5 released in 2026 into a population of 10 old males
    /// (non-spatial Amur model, 20 replicates, seed 9). Held in the enclosure through 2027 they
    /// have no litters that year; set free, they breed in 2028. Released the hard way, the same
    /// females breed in 2027 already (so the test can fail).
    @Test(arguments: [true, false])
    func softReleasedAnimalsDoNotBreedInTheEnclosureYear(_ soft: Bool) throws {
        var s = try TestSupport.loadScenario("amur-leopard-nonspatial.json").scenario
        s.run.years = 3
        s.run.replicates = 20
        s.run.seed = 9
        s.genetics = nil
        s.initialPopulation = [InitialGroup(.individuals([AnimalCount(sex: .male, age: 8, count: 10)]))]
        s.releases = Releases(sources: [ReleaseSource(name: "zoo", kind: .captive(founders: 0, kinship: 0, inbreeding: 0))],
                              groups: [ReleaseGroup(name: "zoo", source: 0, schedule: Schedule(startYear: 2026, endYear: 2026), place: .wholeMap,
                                                    animals: [ReleaseAnimals(sex: .female, minimumAge: 5, maximumAge: 5, count: 40)],
                                                    softRelease: soft)])
        let model = EngineModel(scenario: s)
        var litters = [0, 0, 0, 0]
        let r = Replicate(model: model, space: Unstructured())
        for index in 0..<20 {
            var before = 0
            try Self.step(r, index: index, years: 3) { stage, r in
                if stage == .environment { before = r.tallies.litters }
                if stage == .breed { litters[r.year] += r.tallies.litters - before }
            }
        }
        #expect(litters[1] == 0)  // nobody was released yet
        if soft { #expect(litters[2] == 0 && litters[3] > 100, "\(litters)") } else { #expect(litters[2] > 100, "\(litters)") }
    }

    // MARK: the second-population outputs

    /// The Amur default with a female and a male zoo yearling a year released in Lazovsky 2026–2035 and a
    /// threshold of 10 (so the answer is neither 0 nor 1), 40 replicates × 22 years (seed 11):
    /// P(≥ 10 at t), P(reached by t) and the median year reached, computed here from each
    /// replicate's trajectory line, equal `SecondPopulation`'s; and with minimum age 0 the
    /// target's count is the region's N (a second counting path, `regions.csv`).
    @Test(arguments: [1, 0])
    func secondPopulationProbabilitiesAgreeWithTheTrajectories(_ minimumAge: Int) throws {
        var s = try Self.amur(years: 22, replicates: 40, seed: 11)
        s.releases = Releases(
            sources: [ReleaseSource(name: "zoo", kind: .captive(founders: 10, kinship: 0.1, inbreeding: 0.1))],
            groups: [ReleaseGroup(name: "zoo", source: 0, schedule: Schedule(startYear: 2026, endYear: 2035), place: .region(Self.lazovsky),
                                  animals: [ReleaseAnimals(sex: .female, minimumAge: 1, maximumAge: 1, count: 1),
                                            ReleaseAnimals(sex: .male, minimumAge: 1, maximumAge: 1, count: 1)])])
        var targets = TargetSettings()
        targets.regions = [Self.lazovsky]
        targets.threshold = 10
        targets.minimumAge = minimumAge
        s.targets = targets
        let model = EngineModel(scenario: s)
        let collector = RecordCollector()
        let result = MonteCarlo.run(model, options: MonteCarlo.Options(threads: 2), sink: collector)
        let summary = RunSummary(result)
        let p = try #require(summary.secondPopulations.first)
        // The trajectory lines as written: the target's column, parsed back.
        let tables = ReplicateTables(model: model)
        let header = tables.trajectories.header.trimmingCharacters(in: .newlines).split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "N\(minimumAge)+ \(Self.lazovsky)"))
        var counts = [[Int]](repeating: [], count: 23)
        for record in collector.records {
            for line in tables.lines(record).trajectories.split(separator: "\n") {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                counts[Int(cells[2])!].append(Int(cells[column])!)
            }
        }
        var reached = Set<Int>()
        var median: Int?
        for t in 0...22 {
            for (i, n) in counts[t].enumerated() where n >= 10 { reached.insert(i) }
            #expect(p.years[t].atLeast.successes == counts[t].filter { $0 >= 10 }.count)
            #expect(p.years[t].reachedBy.successes == reached.count)
            if median == nil && 2 * reached.count >= 40 { median = 2025 + t }
        }
        #expect(p.medianYearReached == median)
        #expect(counts[15].contains { $0 >= 10 } && counts[15].contains { $0 < 10 }, "threshold 10 decides nothing: \(counts[15])")
        if minimumAge == 0 {
            let k = try #require(model.spatial?.landscape.regionIndex(named: Self.lazovsky))
            for t in [5, 15, 22] { #expect(p.years[t].n.mean == summary.region(k, t: t).n.mean) }
        }
    }
}

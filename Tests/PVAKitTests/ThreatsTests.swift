import Foundation
import Testing
@testable import PVAKit

/// Dynamic prey, fire, habitat conversion and distemper (MODEL.md §4.5–§4.7).
/// Statistical tests state their replicates and seed; each tolerance is a
/// multiple of a Monte Carlo standard error derived in the test.
@Suite struct ThreatsTests {
    /// The Amur default for `years` years, `replicates` replicates, with its threats replaced.
    static func amur(years: Int, replicates: Int, seed: UInt64 = 10, threats: (inout Threats) -> Void) throws -> Scenario {
        var s = try TestSupport.loadSpatial("amur-leopard.json").scenario
        s.run.years = years
        s.run.replicates = replicates
        s.run.seed = seed
        s.threats = Threats(poaching: s.threats.poaching)
        threats(&s.threats)
        return s
    }

    static func run(_ s: Scenario) -> (RunResult, RunSummary) {
        let result = MonteCarlo.run(EngineModel(scenario: s))
        return (result, RunSummary(result))
    }

    // MARK: each threat lowers N

    /// Each threat raised in a step large enough to matter lowers mean N after 30 years (the
    /// Amur default, 200 replicates, seed 10): the drop must exceed 4 SE of the difference of
    /// two independent means, SE = √(SE₁² + SE₂²) from the replicates' final N.
    @Test(arguments: ["disease", "fire", "habitatConversion", "prey"])
    func raisingAThreatLowersN(_ threat: String) throws {
        func scenario(raised: Bool) throws -> Scenario {
            try Self.amur(years: 30, replicates: 200) { t in
                switch threat {
                case "disease": t.disease = raised ? DiseaseThreat(outbreakProbability: 0.5, exposure: 0.5, fatality: 0.5) : DiseaseThreat()
                case "fire": t.fire = raised ? FireThreat(probability: 0.5, burntShare: 0.3...0.5, recoveryYears: 8...10) : FireThreat(probability: 0.02)
                case "habitatConversion": t.habitatConversion = HabitatConversion(rate: raised ? 0.1 : 0.001)
                default: t.prey = PreyDynamics(huntingOfftake: raised ? 0.25 : 0.1, evSD: 0)
                }
            }
        }
        let low = Self.run(try scenario(raised: false)).1.final.nAll, high = Self.run(try scenario(raised: true)).1.final.nAll
        let se = (low.se! * low.se! + high.se! * high.se!).squareRoot()
        #expect(low.mean! - high.mean! > 4 * se, "\(threat): N \(low.mean!) → \(high.mean!), SE of the difference \(se)")
    }

    // MARK: fire

    /// Bad years come with the fire's probability, and a bad year burns a share of the forest
    /// drawn uniformly in [0.1, 0.3]: mean 0.2, SD (0.3 − 0.1)/√12 = 0.0577 per bad year
    /// (rounding to whole cells adds < 1/1,932). Amur map, probability 0.3, 100 replicates ×
    /// 30 years (seed 11): the bad-year share within 4 binomial SE of 0.3, the burnt share
    /// within 4 × 0.0577/√(bad years) of 0.2.
    @Test func badYearsBurnTheStatedShareOfForest() throws {
        let s = try Self.amur(years: 30, replicates: 100, seed: 11) { $0.fire = FireThreat(probability: 0.3, conversionBurns: 0) }
        let (result, _) = Self.run(s)
        let sp = try #require(result.model.spatial)
        let forest = (0..<sp.landscape.cellCount).filter { sp.landscape.isHabitat($0) && sp.landscape.suitability[$0] >= 0.5 }.count
        let t = result.tallies
        let years = Double(100 * 30)
        let badShare = Double(t.badFireYears) / years
        #expect(abs(badShare - 0.3) < 4 * (0.3 * 0.7 / years).squareRoot(), "bad years \(badShare)")
        let burnt = Double(t.cellsBurnt) / Double(t.badFireYears * forest)
        #expect(abs(burnt - 0.2) < 4 * 0.0577 / Double(t.badFireYears).squareRoot() + 1.0 / Double(forest), "share burnt \(burnt)")
    }

    /// With probability 0 nothing burns, and demography is what it is without fire (fire
    /// draws from its own stream): the census is the same, replicate for replicate.
    @Test func noFireWhenItsProbabilityIsZero() throws {
        let off = Self.run(try Self.amur(years: 20, replicates: 20) { _ in })
        let zero = Self.run(try Self.amur(years: 20, replicates: 20) { $0.fire = FireThreat(probability: 0) })
        #expect(zero.0.tallies.cellsBurnt == 0 && zero.0.tallies.badFireYears == 0)
        #expect(zero.0.tallies.deaths == off.0.tallies.deaths)
        #expect(zero.1.years.map(\.nAll.mean) == off.1.years.map(\.nAll.mean))
    }

    /// A burnt cell heals linearly: damage 0.5 over 4 years takes suitability 0.8 to 0.4,
    /// then 0.5, 0.6, 0.7 and back to 0.8 (0.8 × (1 − 0.5 × (1 − k/4))).
    @Test func burntCellsRecoverLinearly() throws {
        let fire = FireThreat(probability: 0, damage: 0.5, recoveryYears: 4...4, conversionBurns: 0)
        let landscape = SpatialSupport.landscape(columns: 4, rows: 4, cellSize: 5) { _, _ in .init(suitability: 0.8) }
        var s = SpatialSupport.scenario(SpatialSettings(landscape: landscape, territories: TerritorySettings(femaleRequirement: 20)),
                                        species: try SpatialSupport.amurSpecies(), replicates: 1, years: 10, seed: 1,
                                        initial: [InitialGroup(.total(4))])
        s.threats.fire = fire
        let model = EngineModel(scenario: s)
        let space = Gridded(model: model.spatial!, lastMaleBreedingAge: 14)
        let r = Replicate(model: model, space: space)
        r.begin(0)
        space.habitat.ignite(5, years: 4, fire: fire, r, state: space.landscape, space: space)
        var seen: [Float] = [space.landscape.suitability[5]]
        for t in 1...5 {
            r.year = t
            space.habitat.recover(fire, t: t, state: space.landscape)
            seen.append(space.landscape.suitability[5])
        }
        let expected: [Float] = [0.4, 0.5, 0.6, 0.7, 0.8, 0.8]
        #expect(zip(seen, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(seen)")
        #expect(space.landscape.suitability[6] == 0.8)  // a cell that did not burn
    }

    // MARK: prey

    /// Logistic growth with proportional offtake settles where growth equals offtake:
    /// rP(1 − P/K) = hP ⇒ P* = K(1 − h/r); without offtake at K, from below and from above
    /// (from 2.5 K too: the year's step is the exact solution, which cannot overshoot to 0).
    @Test func preySettlesWhereGrowthEqualsOfftake() {
        for (h, start) in [(0.0, 0.1), (0.0, 2.5), (0.1, 0.2), (0.2, 1.9), (0.1, 14)] {
            let prey = PreyDynamics(growthRate: 0.35, huntingOfftake: h, capacity: 1.4, evSD: 0)
            var p = start
            for _ in 0..<400 { p = prey.next(p, capacity: 1.4, hunting: h, noise: 1) }
            #expect(abs(p - 1.4 * (1 - h / 0.35)) < 1e-9, "h \(h): \(p)")
        }
    }

    /// In a run (no fire, no EV), the mean prey index over the territories goes to capacity ×
    /// (1 − h/r) × its starting value: to 1.4× without hunting and to 0.6× with h = 0.2
    /// (return rate near equilibrium e^−(r − h): 0.70 and 0.86 a year, so within 10⁻⁴ of it
    /// after 80 years). Leopards do not eat into it in this model.
    @Test func preyInTerritoriesReachesItsAnalyticLevel() throws {
        for h in [0.0, 0.2] {
            let (result, _) = Self.run(try Self.amur(years: 80, replicates: 2) { $0.prey = PreyDynamics(huntingOfftake: h, evSD: 0) })
            let start = try #require(result.census.habitat(t: 0, prey: true).mean)
            let end = try #require(result.census.habitat(t: 80, prey: true).mean)
            #expect(abs(end / start - 1.4 * (1 - h / 0.35)) < 1e-3, "h \(h): \(start) → \(end)")
        }
    }

    // MARK: disease

    /// An outbreak kills exposure × fatality of the animals: with no other mortality and no
    /// breeding, 150 animals × 400 replicates in one outbreak year at exposure 0.3 and
    /// fatality 0.5 lose 0.15 of themselves (binomial: within 4 SE = 4√(n·0.15·0.85)); all
    /// vaccinated with efficacy 0.6, 0.06. The averted deaths the run reports are the
    /// expected difference, 150 × 0.09 per replicate, exactly.
    @Test(arguments: [false, true])
    func anOutbreakKillsExposureTimesFatality(_ vaccinated: Bool) throws {
        var species = try SpatialSupport.amurSpecies()
        species.breeding.probability = 0
        species.breeding.evSD = 0
        for i in species.mortality.indices {
            species.mortality[i].female = 0
            species.mortality[i].male = 0
            species.mortality[i].evSD = 0
        }
        let landscape = SpatialSupport.landscape(columns: 10, rows: 10, cellSize: 5) { _, _ in .init(suitability: 1) }
        var s = SpatialSupport.scenario(SpatialSettings(landscape: landscape, territories: TerritorySettings(femaleRequirement: 25, floaterSurvival: 1)),
                                        species: species, replicates: 400, years: 1, seed: 12,
                                        initial: [InitialGroup(.individuals([AnimalCount(sex: .female, age: 6, count: 75), AnimalCount(sex: .male, age: 6, count: 75)]))])
        s.threats.disease = DiseaseThreat(outbreakProbability: 1, exposure: 0.3, fatality: 0.5)
        if vaccinated {
            s.interventions = [Intervention(name: "v", startYear: 2026, endYear: 2026,
                                            action: .vaccination(share: 1, cubsOnly: false, efficacy: 0.6, durationYears: 1))]
        }
        let (result, _) = Self.run(s)
        let n = 150.0 * 400
        let p = vaccinated ? 0.06 : 0.15
        let deaths = Double(result.tallies.deaths(.disease, t: 1))
        #expect(abs(deaths - n * p) < 4 * (n * p * (1 - p)).squareRoot(), "\(deaths) disease deaths of \(n)")
        #expect(result.tallies.deaths(.natural, t: 1) == 0)
        if vaccinated {
            #expect(result.census.intervention(0, .actions).mean == 150)
            #expect(abs(result.census.intervention(0, .deathsAvoided).mean! - 150 * 0.09) < 1e-6)
        }
    }

    /// Distemper is a hazard of individuals: the class-count modes refuse it rather than drop it.
    @Test func classCountModesRefuseDistemper() throws {
        var s = try TestSupport.loadScenario("amur-leopard-nonspatial.json").scenario
        s.run.mode = .population
        s.species.convention = .vortex
        s.species.females.firstBreedingAge = AgeDistribution(ages: [3], probabilities: [1])
        s.threats.disease = DiseaseThreat()
        do {
            _ = try EngineModel.compile(s, file: "s.json")
            Issue.record("compiled")
        } catch {
            #expect(error.issues.map(\.description).contains { $0.hasPrefix("s.json: threats.disease: run.mode \"population\"") }, "\(error.issues)")
        }
    }
}

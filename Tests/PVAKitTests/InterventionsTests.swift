import Foundation
import Testing
@testable import PVAKit

/// Interventions scheduled by year range and place (MODEL.md §4.9): each moves
/// its target the right way, and one outside its years or place changes
/// nothing. Where a quantity is only known summed over a run's replicates
/// (deaths by cause, litters), its Monte Carlo SE comes from batch means: the
/// run is repeated in `batches` batches with their own seeds and SE = SD of
/// the batch means / √batches.
@Suite struct InterventionsTests {
    static let batches = 8

    /// Mean and SE over `batches` runs of `scenario` (seeds 100, 101, …) of `measure`.
    static func batchMean(_ scenario: Scenario, _ measure: (RunResult) -> Double) -> (mean: Double, se: Double) {
        let values = (0..<batches).map { b -> Double in
            var s = scenario
            s.run.seed = 100 + UInt64(b)
            return measure(MonteCarlo.run(EngineModel(scenario: s)))
        }
        return (Stat.mean(values), (Stat.variance(values) / Double(batches)).squareRoot())
    }

    /// Deaths of `cause` per replicate over the run.
    static func deaths(_ cause: DeathCause) -> (RunResult) -> Double {
        { r in Double((0...r.model.years).reduce(0) { $0 + r.tallies.deaths(cause, t: $1) }) / Double(r.model.replicates) }
    }

    /// `a` exceeds `b` by more than 4 SE of the difference.
    static func exceeds(_ a: (mean: Double, se: Double), _ b: (mean: Double, se: Double)) -> Bool {
        a.mean - b.mean > 4 * (a.se * a.se + b.se * b.se).squareRoot()
    }

    static func amur(years: Int = 30, replicates: Int = 25, threats: (inout Threats) -> Void = { _ in },
                     _ interventions: [Intervention]) throws -> Scenario {
        var s = try ThreatsTests.amur(years: years, replicates: replicates, threats: threats)
        s.interventions = interventions
        return s
    }

    /// Anti-poaching (effectiveness 0.8 on the whole map from the first year) lowers poaching
    /// deaths: Amur default, 8 batches × 25 replicates × 30 years; the run credits it with
    /// averted deaths.
    @Test func antiPoachingLowersPoachingDeaths() throws {
        let without = Self.batchMean(try Self.amur([]), Self.deaths(.poaching))
        let rangers = try Self.amur([Intervention(name: "rangers", startYear: 2026, endYear: 2055, action: .antiPoaching(effectiveness: 0.8))])
        let with = Self.batchMean(rangers, Self.deaths(.poaching))
        #expect(Self.exceeds(without, with), "poaching deaths per replicate \(without) → \(with)")
        let averted = MonteCarlo.run(EngineModel(scenario: rangers)).census.intervention(0, .deathsAvoided).mean!
        #expect(averted > 0, "averted \(averted)")
    }

    /// Vaccinating half the animals a year (efficacy 0.9) and managing dogs (spillover × 0.5)
    /// each lower distemper deaths on the Amur default with the default outbreaks (same batches).
    @Test(arguments: ["vaccination", "dogManagement"])
    func diseaseInterventionsLowerDiseaseDeaths(_ type: String) throws {
        let disease: (inout Threats) -> Void = { $0.disease = DiseaseThreat(outbreakProbability: 0.3) }
        let without = Self.batchMean(try Self.amur(threats: disease, []), Self.deaths(.disease))
        let action: Intervention.Action = type == "vaccination"
            ? .vaccination(share: 0.5, cubsOnly: false, efficacy: 0.9, durationYears: 3) : .dogManagement(effectiveness: 0.5)
        let with = Self.batchMean(try Self.amur(threats: disease, [Intervention(name: type, startYear: 2026, endYear: 2055, action: action)]),
                                  Self.deaths(.disease))
        #expect(Self.exceeds(without, with), "\(type): disease deaths per replicate \(without) → \(with)")
    }

    /// Prey recovery (no more hunting, from the first year) where hunting has pushed prey
    /// below what residents need (h = 0.25: equilibrium 0.4 × the mapped prey) raises the prey
    /// index in the territories and the share of breeding-age females that breed.
    @Test func preyRecoveryRaisesPreyAndBreeding() throws {
        let hunted: (inout Threats) -> Void = { $0.prey = PreyDynamics(huntingOfftake: 0.25, evSD: 0) }
        let recovery = [Intervention(name: "prey", startYear: 2026, endYear: 2055, action: .preyRecovery(capacityIncrease: 0, huntingReduction: 1))]
        let breedingShare: (RunResult) -> Double = { Double($0.tallies.litters) / Double($0.tallies.breedingAgeFemales) }
        let preyIndex: (RunResult) -> Double = { $0.census.habitat(t: 30, prey: true).mean! }
        let without = try Self.amur(threats: hunted, []), with = try Self.amur(threats: hunted, recovery)
        #expect(Self.exceeds(Self.batchMean(with, breedingShare), Self.batchMean(without, breedingShare)))
        let p0 = Self.batchMean(without, preyIndex), p1 = Self.batchMean(with, preyIndex)
        #expect(p1.mean > 2 * p0.mean, "prey index \(p0.mean) → \(p1.mean)")
    }

    /// A west and an east part divided by a barrier 4 cells (20 km) wide, wider than the 15-km
    /// search radius within which a disperser settles where its walk ends, all inside a barrier
    /// ring (nobody emigrates); 20 + 20 adults of the Amur default in the west (7 × 8 cells).
    static func dividedMap(corridor: Bool, antiPoachingEast: Bool = false, poaching: Double? = nil, replicates: Int = 40) throws -> Scenario {
        let l = SpatialSupport.landscape(columns: 20, rows: 10, cellSize: 5, regions: [("west", 1, 1, 7, 8), ("east", 12, 1, 7, 8)]) { c, r in
            r == 0 || r == 9 || c == 0 || c == 19 || (8...11).contains(c) ? .init(suitability: 0, permeability: 0) : .init(suitability: 1)
        }
        var s = SpatialSupport.scenario(SpatialSettings(landscape: l, territories: TerritorySettings(femaleRequirement: 25)),
                                        species: try TestSupport.loadSpatial("amur-leopard.json").scenario.species, replicates: replicates,
                                        years: 60, seed: 13, initial: [InitialGroup(.adults(females: 20, males: 20), region: "west")],
                                        poaching: poaching)
        if corridor {
            s.interventions.append(Intervention(name: "tunnel", startYear: 2026, endYear: 2085, place: .cells((4...5).flatMap { row in (8...11).map { Int32(row * 20 + $0) } }),
                                                action: .corridor(permeability: 1, roadMortalityReduction: 0)))
        }
        if antiPoachingEast {
            s.interventions.append(Intervention(name: "east rangers", startYear: 2026, endYear: 2055, place: .region("east"),
                                                action: .antiPoaching(effectiveness: 0.9)))
        }
        return s
    }

    /// A corridor through the barrier brings crossings: without it nobody ever reaches the east;
    /// with two open rows of cells through it, dispersers step into it (steps per replicate more
    /// than 4 SE above 0) and the east holds animals at year 60 (mean over 40 replicates, seed
    /// 13, more than 4 SE above 0).
    @Test func aCorridorRaisesCrossingsOfItsBarrier() throws {
        let closed = MonteCarlo.run(EngineModel(scenario: try Self.dividedMap(corridor: false)))
        #expect((0...60).allSatisfy { SpatialSupport.regionMean(closed, region: 1, t: $0, k: 0) == 0 })
        let open = MonteCarlo.run(EngineModel(scenario: try Self.dividedMap(corridor: true)))
        let east = SpatialSupport.region(open, 1, .n, t: 60)
        let steps = open.census.intervention(0, .actions)
        #expect(steps.mean! > 4 * steps.sd! / 40.0.squareRoot(), "steps into the corridor per replicate \(steps)")
        #expect(east.mean! > 4 * east.se!, "east N \(east.mean!) (SE \(east.se!))")
    }

    /// Outside its place an intervention changes nothing: anti-poaching in the east, where no
    /// animal can go, leaves every count and death of the run as it was.
    @Test func anInterventionOutsideItsPlaceChangesNothing() throws {
        let plain = MonteCarlo.run(EngineModel(scenario: try Self.dividedMap(corridor: false, poaching: 0.05, replicates: 10)))
        let east = MonteCarlo.run(EngineModel(scenario: try Self.dividedMap(corridor: false, antiPoachingEast: true, poaching: 0.05, replicates: 10)))
        #expect(plain.tallies == east.tallies)
        #expect(RunSummary(plain).years.map(\.nAll.mean) == RunSummary(east).years.map(\.nAll.mean))
        #expect(east.census.intervention(0, .deathsAvoided).mean == 0)
    }

    /// A harvest with a region removes only animals there: taking every female of the east in the
    /// first year removes animals in the east and none in the west (deaths by region of the cell).
    @Test func aHarvestWithARegionTakesOnlyAnimalsThere() throws {
        var s = try Self.dividedMap(corridor: false, replicates: 10)
        s.initialPopulation.append(InitialGroup(.adults(females: 20, males: 20), region: "east"))
        s.harvests = [Harvest(schedule: Schedule(startYear: 2026, endYear: 2026),
                              classes: [HarvestClass(sex: .female, minimumAge: 0, maximumAge: 15, amount: .proportion(1))], region: "east")]
        let result = MonteCarlo.run(EngineModel(scenario: s))
        #expect(result.tallies.deaths(.harvest, t: 1, region: 0) == 0)
        #expect(result.tallies.deaths(.harvest, t: 1, region: 1) > 0)
        #expect(result.tallies.deaths(.harvest, t: 1) == result.tallies.deaths(.harvest, t: 1, region: 1))
    }

    /// Outside its years an intervention changes nothing: the default with every threat and one
    /// intervention of each kind scheduled after the horizon writes byte-identical tables.
    @Test func interventionsAfterTheHorizonChangeNothing() throws {
        let loaded = try TestSupport.loadSpatial("amur-leopard.json", overrides: RunOverrides(replicates: 10, years: 15))
        var later = loaded.scenario
        let region = Intervention.Place.region("Land of the Leopard NP")
        later.interventions = [
            .antiPoaching(effectiveness: 0.5), .preyRecovery(capacityIncrease: 0.5, huntingReduction: 0.5),
            .habitatProtection(fireReduction: 0.5), .restoration(suitabilityIncrease: 0.2, years: 5),
            .corridor(permeability: 1, roadMortalityReduction: 0.9), .vaccination(share: 0.5, cubsOnly: true, efficacy: 0.9, durationYears: 3),
            .dogManagement(effectiveness: 0.5),
        ].enumerated().map { Intervention(name: "later \($0)", startYear: 2041, endYear: 2060, place: region, action: $1) }
        let files = RunReport.files(spatial: true).filter { !$0.perReplicate && $0.name != "summary.json" }
        let a = RunReport(result: MonteCarlo.run(EngineModel(scenario: loaded.scenario)), provenance: Provenance(loaded: loaded))
        let b = RunReport(result: MonteCarlo.run(EngineModel(scenario: later)), provenance: Provenance(loaded: loaded))
        #expect(!files.isEmpty)
        for file in files { #expect(a.text(of: file) == b.text(of: file), "\(file.name) differs") }
    }
}

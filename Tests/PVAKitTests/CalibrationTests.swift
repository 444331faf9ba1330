import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// `pva calibrate` (MODEL.md §8): recovery of known truth, the Latin hypercube, the
/// strict calibration file, and the command end to end.
@Suite struct CalibrationTests {
    /// A hindcast: the sample species from 60 animals, K = 5,000 (never reached, so its EV
    /// cannot show in the counts), 30 years from 2000.
    static let hindcast = """
    {
      "format": 1, "name": "hindcast",
      "run": {"startYear": 2000, "years": 30, "replicates": 10, "seed": 1},
      "species": {
        "convention": "vortex", "maximumAge": 10,
        "females": {"firstBreedingAge": 2}, "males": {"firstBreedingAge": 2},
        "breeding": {"probability": 0.5, "evSD": 0.05},
        "litterSize": {"distribution": "discrete", "sizes": [1, 2, 3], "probabilities": [0.3, 0.5, 0.2]},
        "mortality": [
          {"fromAge": 0, "female": 0.4, "male": 0.4},
          {"fromAge": 1, "female": 0.2, "male": 0.2},
          {"fromAge": 2, "female": 0.1, "male": 0.15}
        ]
      },
      "carryingCapacity": {"K": 5000, "evSD": 100},
      "initialPopulation": {"total": 60}
    }
    """

    static func model(_ overrides: RunOverrides) throws(ScenarioErrors) -> EngineModel {
        try EngineModel.compile(try ScenarioDecoder.decode(text: hindcast, file: "hindcast.json", overrides: overrides).scenario, file: "hindcast.json")
    }

    /// Truth: breeding probability 0.6 (and K's EV SD 100, which the counts cannot inform).
    /// The observations: the median N of 2,000 replicates at the truth in 2010, 2020 and 2030,
    /// ± 15 %. Priors 0.3–0.9 and 0–400; 300 draws × 40 replicates, 30 accepted, seed 5.
    /// The truth of the informed parameter lies inside its 90 % posterior interval, which is
    /// less than a third of the prior's width; the uninformed one's interval still spans most
    /// of its prior (over 70 %: a uniform sample of 30 spans about 85 %).
    @Test func calibrationRecoversTruthAndLeavesTheUninformedAtItsPrior() throws {
        let truth = MonteCarlo.run(try Self.model(RunOverrides(replicates: 2000, seed: 99,
                                                               settings: [.init(path: "species.breeding.probability", value: "0.6")])))
        let summary = RunSummary(truth)
        let observations = [10, 20, 30].map { t -> CalibrationSpec.Observation in
            let median = summary.years[t].nAll.quantiles[2]!
            return CalibrationSpec.Observation(year: 2000 + t, region: nil, count: .all, low: median * 0.85, high: median * 1.15)
        }
        let spec = CalibrationSpec(scenario: "hindcast.json", draws: 300, replicatesPerDraw: 40, seed: 5, acceptFraction: 0.1,
                                   parameters: [.init(path: "species.breeding.probability", minimum: 0.3, maximum: 0.9),
                                                .init(path: "carryingCapacity.evSD", minimum: 0, maximum: 400)],
                                   observations: observations)
        let result = try Calibration.run(spec, model: Self.model)
        #expect(result.accepted.count == 30)
        let p = result.summary(0), ev = result.summary(1)
        print("breeding: median \(p.median), 90 % \(p.q05)–\(p.q95); K's EV: \(ev.q05)–\(ev.q95)")
        #expect(p.q05 <= 0.6 && 0.6 <= p.q95, "truth 0.6 outside \(p.q05)–\(p.q95)")
        #expect(p.q95 - p.q05 < 0.2, "the counts should inform breeding: \(p.q05)–\(p.q95)")
        #expect(ev.q95 - ev.q05 > 0.7 * 400, "K's EV is uninformed but its posterior narrowed: \(ev.q05)–\(ev.q95)")
        // Every accepted score is at most every rejected one.
        let worstAccepted = result.accepted.map { result.draws[$0].score }.max()!
        let rejected = Set(result.draws.indices).subtracting(result.accepted)
        #expect(rejected.allSatisfy { result.draws[$0].score >= worstAccepted })
    }

    /// Each coordinate of a Latin hypercube puts exactly one point in each of its n strata.
    @Test func latinHypercubeStratifiesEveryCoordinate() {
        var rng = RandomStream(seed: 4)
        let points = LatinHypercube.points(50, dimensions: 3, rng: &rng)
        for d in 0..<3 {
            let strata = Set(points.map { Int($0[d] * 50) })
            #expect(strata.count == 50 && strata.min() == 0 && strata.max() == 49)
        }
    }

    /// The same calibration gives the same draws and scores with 1 thread or 2.
    @Test func resultsDoNotDependOnThreads() throws {
        let spec = CalibrationSpec(scenario: "hindcast.json", draws: 8, replicatesPerDraw: 6, seed: 3, acceptFraction: 0.25,
                                   parameters: [.init(path: "species.breeding.probability", minimum: 0.3, maximum: 0.9)],
                                   observations: [.init(year: 2010, region: nil, count: .all, low: 50, high: 150)])
        let one = try Calibration.run(spec, threads: 1, model: Self.model), two = try Calibration.run(spec, threads: 2, model: Self.model)
        #expect(one.draws.map(\.score) == two.draws.map(\.score) && one.accepted == two.accepted)
        #expect(CalibrationReport(result: one).text(of: "posterior.csv") == CalibrationReport(result: two).text(of: "posterior.csv"))
    }

    static let file = """
    {
      "format": 1, "scenario": "hindcast.json", "draws": 20, "replicatesPerDraw": 5, "seed": 2,
      "parameters": [{"path": "species.breeding.probability", "min": 0.3, "max": 0.9}],
      "observations": [{"year": 2010, "count": "all", "interval": [50, 150]}]
    }
    """

    @Test(arguments: [
        ("\"draws\": 20", "\"draws\": 1", "c.json: draws: must be at least 2 (got 1)"),
        ("\"min\": 0.3, \"max\": 0.9", "\"min\": 0.9, \"max\": 0.3", "c.json: parameters[0].max: must be above min 0.9 (got 0.3)"),
        ("\"interval\": [50, 150]", "\"interval\": [150, 50]", "c.json: observations[0].interval: must be [low, high] with low ≤ high (got [150, 50])"),
        ("\"count\": \"all\"", "\"count\": \"adults\"", "c.json: observations[0].count: must be one of \"all\", \"independent\", \"young\", \"territorialAdults\" (got \"adults\")"),
        ("\"count\": \"all\"", "\"count\": \"young\"", "c.json: observations[0].count: counts other than \"all\" need a region (name one of the scenario's regions) (got \"young\")"),
        ("\"seed\": 2", "\"seed\": 2, \"sede\": 3", "c.json: sede: unknown key (did you mean \"seed\"?) (got 3)"),
    ])
    func badCalibrationFilesNamePathAndValue(replace: String, with: String, line: String) {
        let text = Self.file.replacingOccurrences(of: replace, with: with)
        #expect(text != Self.file)
        do {
            _ = try CalibrationDecoder.decode(bytes: Array(text.utf8), file: "c.json")
            Issue.record("accepted: \(with)")
        } catch {
            #expect(error.description.split(separator: "\n").map(String.init).contains(line), "\(error.description)")
        }
    }

    /// Against the hindcast: a year outside the run, a region it lacks, a path it refuses.
    @Test func checksAgainstTheHindcast() throws {
        let bad = Self.file.replacingOccurrences(of: "\"year\": 2010", with: "\"year\": 2050")
            .replacingOccurrences(of: "species.breeding.probability", with: "species.breeding.probabilty")
        let spec = try CalibrationDecoder.decode(bytes: Array(bad.utf8), file: "c.json")
        let scenario = try ScenarioDecoder.decode(text: Self.hindcast, file: "hindcast.json").scenario
        do {
            try CalibrationDecoder.check(spec, file: "c.json", scenario: scenario) { o throws(ScenarioErrors) in
                try ScenarioDecoder.decode(text: Self.hindcast, file: "hindcast.json", overrides: o).scenario
            }
            Issue.record("accepted")
        } catch {
            let text = error.description
            #expect(text.contains("c.json: observations[0].year: outside the hindcast's years 2000–2030 (got 2050)"), "\(text)")
            #expect(text.contains("c.json: parameters[0]: the scenario refuses species.breeding.probabilty=0.3"), "\(text)")
        }
    }

    /// The command end to end: validate accepts the file, calibrate writes its four files
    /// (the posterior holds the accepted draws, the chart is an SVG with a panel per
    /// parameter and series), and the same folder can be written again.
    @Test func calibrateCommandWritesThePosteriorAndCharts() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try CLI.write(Self.hindcast, to: dir.appendingPathComponent("hindcast.json"))
        try CLI.write(Self.file, to: dir.appendingPathComponent("c.json"))
        var outcome = try CLI.process(["validate", "c.json"], in: dir)
        #expect(outcome.status == 0 && outcome.stdout == "c.json: valid\n", "\(outcome.stderr)")
        for _ in 0..<2 {
            outcome = try CLI.process(["calibrate", "c.json", "--out", "cal", "--quiet"], in: dir)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        let folder = dir.appendingPathComponent("cal")
        let posterior = try String(contentsOf: folder.appendingPathComponent("posterior.csv"), encoding: .utf8)
        #expect(posterior.hasPrefix("draw,species.breeding.probability,score,hit0\n"))
        #expect(posterior.split(separator: "\n").count == 1 + 2)  // ⌈0.1 × 20⌉ = 2 accepted
        let svg = try String(contentsOf: folder.appendingPathComponent("calibration.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("species.breeding.probability") && svg.contains("whole population: all"))
        let json = try String(contentsOf: folder.appendingPathComponent("calibration.json"), encoding: .utf8)
        #expect(json.contains("\"posteriorMedian\"") && json.contains("\"hindcastMedian\""))
    }
}

import Foundation
import Testing
@testable import PVAKit

/// `run.mode` "population" (class counts, binomial draws) against "individual": where both
/// apply their definitions coincide — each animal's fate is an independent draw with the
/// same probabilities, and binomial, multinomial and hypergeometric draws on counts are
/// exactly the distributions of those fates summed — so every output must agree in
/// distribution. Each comparison is a two-sample z-score, (a − b)/√(SE_a² + SE_b²), with
/// the SEs below; at |z| ≤ 3.5 a chance failure has probability 4.7·10⁻⁴ per check (the
/// seeds are fixed). Distributions are compared with the two-sample Kolmogorov–Smirnov
/// test at α = 0.001.
@Suite struct PopulationModeTests {
    struct Run {
        var summary: RunSummary
        var records: [ReplicateRecord]
    }

    static func run(_ scenario: Scenario) -> Run {
        let collector = RecordCollector()
        let result = MonteCarlo.run(EngineModel(scenario: scenario), sink: collector)
        return Run(summary: RunSummary(result), records: collector.records)
    }

    static func z(_ a: Double, _ seA: Double, _ b: Double, _ seB: Double) -> Double {
        (a - b) / (seA * seA + seB * seB).squareRoot()
    }

    static func row(_ species: String) throws -> VortexReferenceRow {
        try #require(try VortexStochasticTests.lifeTables().first { $0.set == "flat" && $0.species == species })
    }

    /// *Leptosomus discolor* at K = N0 = 5,093 (EV of K 509, binomial EV of every rate, det r
    /// +0.23, so truncation binds most years): stochastic r, its SD (delta-method SE with
    /// replicates as clusters), mean N at year 100 (SE = SD/√R) and the KS distance of N at
    /// year 100. 300 individual replicates (1.5·10⁸ animal-years), 3,000 population ones.
    @Test func populationAndIndividualAgreeAtLargeN() throws {
        let row = try Self.row("Leptosomus_discolor")
        let individual = Self.run(row.scenario(replicates: 300, seed: 41, mode: .individual))
        let population = Self.run(row.scenario(replicates: 3000, seed: 42, mode: .population))
        func growth(_ run: Run) throws -> (r: Double, rSE: Double, sd: Double, sdSE: Double) {
            let g = run.summary.growth
            let sd = try #require(g.sd)
            return (try #require(g.mean), try #require(g.se), sd, Stat.growthSDStandardError(run.records, sd: sd))
        }
        let gi = try growth(individual), gp = try growth(population)
        let zR = Self.z(gi.r, gi.rSE, gp.r, gp.rSE), zSD = Self.z(gi.sd, gi.sdSE, gp.sd, gp.sdSE)
        let ni = individual.summary.final.nAll, np = population.summary.final.nAll
        let zN = Self.z(try #require(ni.mean), try #require(ni.se), try #require(np.mean), try #require(np.se))
        let d = Stat.kolmogorovSmirnov(individual.records.map { Double($0.n(100)) }, population.records.map { Double($0.n(100)) })
        print("large N: r \(gi.r)/\(gp.r) z \(zR); SD r \(gi.sd)/\(gp.sd) z \(zSD); N100 \(ni.mean!)/\(np.mean!) z \(zN); KS D \(d)")
        #expect(abs(zR) <= 3.5, "stochastic r: individual \(gi.r), population \(gp.r), z \(zR)")
        #expect(abs(zSD) <= 3.5, "SD of r: individual \(gi.sd), population \(gp.sd), z \(zSD)")
        #expect(abs(zN) <= 3.5, "N at year 100: z \(zN)")
        #expect(d <= Stat.kolmogorovSmirnovCritical(300, 3000), "KS D \(d) on N at year 100")
    }

    /// *Treron australis* (det r −0.007) at K = N0 = 100, EV of K 10: a near-critical
    /// population that dies out in about 60 % of runs within 100 years. P(E) at 100 years
    /// (SE √(p(1−p)/R)), and KS on the year of extinction and on N at year 100.
    @Test func nearCriticalExtinctionAgrees() throws {
        var row = try Self.row("Treron_australis")
        row.k = 100
        row.evK = 10
        let replicates = 3000
        let individual = Self.run(row.scenario(replicates: replicates, seed: 43, mode: .individual))
        let population = Self.run(row.scenario(replicates: replicates, seed: 44, mode: .population))
        let pi = try #require(individual.summary.final.extinct.estimate), pp = try #require(population.summary.final.extinct.estimate)
        let se = (pi * (1 - pi) / Double(replicates)).squareRoot(), seP = (pp * (1 - pp) / Double(replicates)).squareRoot()
        let zE = Self.z(pi, se, pp, seP)
        func extinctionYears(_ run: Run) -> [Double] { run.records.compactMap { $0.extinctionYear.map(Double.init) } }
        let yi = extinctionYears(individual), yp = extinctionYears(population)
        let dYear = Stat.kolmogorovSmirnov(yi, yp)
        let dN = Stat.kolmogorovSmirnov(individual.records.map { Double($0.n(100)) }, population.records.map { Double($0.n(100)) })
        print("near-critical: P(E) \(pi)/\(pp) z \(zE); KS extinction year \(dYear), N100 \(dN)")
        #expect(pi > 0.2 && pi < 0.9, "near-critical: P(E) \(pi)")
        #expect(abs(zE) <= 3.5, "P(E) at 100 years: individual \(pi), population \(pp), z \(zE)")
        #expect(dYear <= Stat.kolmogorovSmirnovCritical(yi.count, yp.count), "KS D \(dYear) on the year of extinction")
        #expect(dN <= Stat.kolmogorovSmirnovCritical(replicates, replicates), "KS D \(dN) on N at year 100")
    }

    /// The same near-critical population in Vortex's rounding (`vortex-population`) has far
    /// less demographic variance, so it must differ: this is the difference the ODD warns of.
    @Test func vortexRoundingIsNotIndependentFates() throws {
        var row = try Self.row("Treron_australis")
        row.k = 100
        row.evK = 10
        let replicates = 3000
        let population = Self.run(row.scenario(replicates: replicates, seed: 44, mode: .population))
        let rounding = Self.run(row.scenario(replicates: replicates, seed: 45, mode: .vortexPopulation))
        let pp = try #require(population.summary.final.extinct.estimate), pv = try #require(rounding.summary.final.extinct.estimate)
        let z = Self.z(pp, (pp * (1 - pp) / Double(replicates)).squareRoot(), pv, (pv * (1 - pv) / Double(replicates)).squareRoot())
        print("near-critical P(E): population \(pp), vortex-population \(pv), z \(z)")
        #expect(z > 5, "independent fates die out more often than expected counts rounded: \(pp) vs \(pv)")
    }

    // MARK: harvest and releases as functions

    /// A scenario of `mode` at K = N0 = 2,000 with a harvest of `amount` (a JSON member,
    /// e.g. `"count": "(N/2)*p"`) from each sex a year and, if given, a release of `release`
    /// young females a year.
    static func harvested(mode: SimulationMode, amount: String, release: String?, variables: String = "{\"p\": 0.0165}",
                          replicates: Int = 200) throws -> Scenario {
        let supplementation = release.map {
            ",\n  \"supplementation\": [{\"startYear\": 1, \"endYear\": 30, \"animals\": [{\"sex\": \"female\", \"age\": 1, \"count\": \"\($0)\"}]}]"
        } ?? ""
        let text = """
        {
          "format": 1, "name": "harvested",
          "run": {"years": 30, "replicates": \(replicates), "seed": 5, "mode": "\(mode.rawValue)"},
          "variables": \(variables),
          "species": {
            "convention": "vortex", "maximumAge": 10,
            "females": {"firstBreedingAge": 2}, "males": {"firstBreedingAge": 2},
            "breeding": {"probability": 0.6, "evSD": 0.1},
            "litterSize": {"distribution": "discrete", "sizes": [1, 2, 3], "probabilities": [0.3, 0.5, 0.2]},
            "mortality": [
              {"fromAge": 0, "female": 0.4, "male": 0.4},
              {"fromAge": 1, "female": 0.2, "male": 0.2},
              {"fromAge": 2, "female": 0.1, "male": 0.15}
            ]
          },
          "carryingCapacity": {"K": 2000},
          "harvest": [{"startYear": 1, "endYear": 30, "classes": [
            {"sex": "female", "minAge": 1, \(amount)},
            {"sex": "male", "minAge": 1, \(amount)}
          ]}],
          "initialPopulation": {"total": 2000}\(supplementation)
        }
        """
        return try ScenarioDecoder.decode(text: text, file: "harvested.json").scenario
    }

    /// Vortex's `(N/2)·0.0165` of each sex: N is the population at the start of the year (the
    /// last census), so a replicate's expected harvest is Σₜ 2 · N(t−1)/2 · p, and each year's
    /// two counts are that value rounded at random (variance ≤ ¼ each). The release
    /// `Y/10` adds Σₜ t/10 females, rounded the same way. Compared over 200 replicates × 30
    /// years: the difference over √(Σ variances) must be within ±4, in every mode.
    @Test(arguments: SimulationMode.allCases)
    func harvestOfHalfNTimesPRemovesTheExpectedNumbers(mode: SimulationMode) throws {
        let p = 0.0165
        let run = Self.run(try Self.harvested(mode: mode, amount: "\"count\": \"(N/2)*p\"", release: "Y/10"))
        var harvested = 0.0, expected = 0.0, variance = 0.0, released = 0.0, expectedRelease = 0.0
        for record in run.records {
            #expect(record.harvestShortfall == 0)
            harvested += Double(record.harvested)
            released += Double(record.supplemented)
            for t in 1...30 {
                let x = Double(record.n(t - 1)) / 2 * p
                expected += 2 * x
                variance += 2 * (x - x.rounded(.down)) * (1 - (x - x.rounded(.down)))
                expectedRelease += Double(t) / 10
            }
        }
        let releaseVariance = Double(run.records.count) * (0..<30).reduce(0.0) { s, t in
            let f = Double(t + 1) / 10 - (Double(t + 1) / 10).rounded(.down)
            return s + f * (1 - f)
        }
        let z = (harvested - expected) / variance.squareRoot()
        let zRelease = (released - expectedRelease) / releaseVariance.squareRoot()
        print("\(mode.rawValue): harvested \(harvested), expected \(expected), z \(z); released \(released) vs \(expectedRelease), z \(zRelease)")
        #expect(expected > 10_000, "the harvest is substantial: \(expected)")
        #expect(abs(z) <= 4, "harvested \(harvested), expected \(expected), z \(z)")
        #expect(abs(zRelease) <= 4, "released \(released), expected \(expectedRelease), z \(zRelease)")
    }

    /// A proportional harvest as a function of N and K removes its share: each animal of a
    /// class with probability q = 0.05·N/K, so the expected harvest is Σ q·(animals of ages
    /// 1…max at harvest time); harvest mortality is tallied as a cause, and the two modes
    /// with independent fates agree on it (z of the mean harvest per replicate ≤ 3.5).
    @Test func proportionalHarvestAsAFunctionAgreesAcrossModes() throws {
        func harvest(_ mode: SimulationMode, replicates: Int) throws -> (mean: Double, se: Double) {
            let scenario = try Self.harvested(mode: mode, amount: "\"proportion\": \"q*N/K\"", release: nil,
                                              variables: "{\"q\": 0.05}", replicates: replicates)
            let x = Self.run(scenario).records.map { Double($0.harvested) }
            return (Stat.mean(x), (Stat.variance(x) / Double(x.count)).squareRoot())
        }
        let i = try harvest(.individual, replicates: 300), p = try harvest(.population, replicates: 1000)
        let z = Self.z(i.mean, i.se, p.mean, p.se)
        print("proportional harvest per replicate: individual \(i.mean) ± \(i.se), population \(p.mean) ± \(p.se), z \(z)")
        #expect(i.mean > 1000)
        #expect(abs(z) <= 3.5)
    }

    // MARK: what counts cannot hold

    @Test(arguments: [
        ("\"convention\": \"vortex\"", "\"convention\": \"dependency\"",
         "m.json: species.convention: run.mode \"population\" simulates counts by age and sex, which cannot follow mothers and their young: use convention \"vortex\" or mode \"individual\" (got dependency)"),
        ("\"probability\": 0.6,", "\"probability\": 0.6, \"minimumInterval\": 2,",
         "m.json: species.breeding.minimumInterval: run.mode \"population\" simulates counts by age and sex, which does not remember when each female last bred: use 1 or mode \"individual\" (got 2)"),
        ("\"females\": {\"firstBreedingAge\": 2}", "\"females\": {\"firstBreedingAge\": {\"ages\": [2, 3], \"probabilities\": [0.5, 0.5]}}",
         "m.json: species.females.firstBreedingAge: run.mode \"population\" simulates counts by age and sex, so every animal of a sex must start breeding at one age: give a single age or use mode \"individual\""),
    ])
    func whatCountsCannotHoldIsRefusedByPath(replace: String, with: String, message: String) throws {
        let text = Self.sample.replacingOccurrences(of: replace, with: with)
        #expect(text != Self.sample)
        let scenario = try ScenarioDecoder.decode(text: text, file: "m.json").scenario
        #expect(throws: ScenarioErrors.self) { try EngineModel.compile(scenario, file: "m.json") }
        do {
            _ = try EngineModel.compile(scenario, file: "m.json")
        } catch {
            #expect(error.description.split(separator: "\n").map(String.init).contains(message), "\(error.description)")
        }
        var individual = scenario
        individual.run.mode = .individual
        #expect(throws: Never.self) { try EngineModel.compile(individual, file: "m.json") }
    }

    static let sample = """
    {
      "format": 1, "name": "m",
      "run": {"years": 10, "replicates": 10, "seed": 1, "mode": "population"},
      "species": {
        "convention": "vortex", "maximumAge": 10,
        "females": {"firstBreedingAge": 2}, "males": {"firstBreedingAge": 2},
        "breeding": {"probability": 0.6, "evSD": 0.1},
        "litterSize": {"distribution": "discrete", "sizes": [1, 2, 3], "probabilities": [0.3, 0.5, 0.2]},
        "mortality": [
          {"fromAge": 0, "female": 0.4, "male": 0.4},
          {"fromAge": 1, "female": 0.2, "male": 0.2},
          {"fromAge": 2, "female": 0.1, "male": 0.15}
        ]
      },
      "carryingCapacity": {"K": 200},
      "initialPopulation": {"total": 200}
    }
    """

    // MARK: functions in scenarios

    /// A function names its JSON path and the position in its text; a letter the place does
    /// not offer (age in a breeding rate) is an unknown name there; the constant outside the
    /// key's range is refused; a quoted plain number is a type error, not a function; a
    /// variable no function reads is an ignored key, so an error.
    @Test(arguments: [
        ("\"probability\": 0.6,", "\"probability\": \"0.5 + 0.2*(1 - N/K\",",
         "m.json: species.breeding.probability: in the function:"),
        ("\"probability\": 0.6,", "\"probability\": \"0.5 + A\",",
         "m.json: species.breeding.probability: in the function:"),
        ("\"K\": 200", "\"K\": \"0 - 5\"",
         "m.json: carryingCapacity.K: the function is the constant -5, outside 0…1000000000"),
        ("{\"fromAge\": 1, \"female\": 0.2,", "{\"fromAge\": 1, \"female\": \"0.2*(A >\",",
         "m.json: species.mortality[1].female: in the function:"),
        ("\"K\": 200", "\"K\": \" 200 \"",
         "m.json: carryingCapacity.K: must be a number (a function must be more than a number: write it without quotes) (got \" 200 \")"),
        ("\"initialPopulation\": {\"total\": 200}", "\"initialPopulation\": {\"total\": 200}, \"variables\": {\"q\": 2}",
         "m.json: variables.q: no function reads this variable (got 2)"),
    ])
    func functionErrorsNamePathAndPosition(replace: String, with: String, start: String) throws {
        let text = Self.sample.replacingOccurrences(of: replace, with: with)
        #expect(text != Self.sample)
        do {
            _ = try ScenarioDecoder.decode(text: text, file: "m.json")
            Issue.record("accepted \(with)")
        } catch {
            let line = try #require(error.description.split(separator: "\n").first.map(String.init))
            print(line)
            #expect(line.hasPrefix(start), "\(line)")
            if start.hasSuffix("in the function:") {
                #expect(line.contains("position"), "names the position: \(line)")
                #expect(line.contains("(got \""), "quotes the function: \(line)")
            }
        }
    }

    /// Vortex's density-dependent breeding written as a function gives the same run as the
    /// built-in `densityDependence` (same draws, so the same trajectories exactly): both
    /// start from the stable structure at the year-0 rate and vary it the same way.
    @Test func breedingFunctionEqualsBuiltInDensityDependence() throws {
        let dd = Self.sample.replacingOccurrences(of: "\"probability\": 0.6,",
                                                  with: "\"densityDependence\": {\"P0\": 0.7, \"PK\": 0.3, \"A\": 0, \"B\": 2},")
        // Vortex's form: P(N) = (P(0) − (P(0) − P(K))·(N/K)^B)·N/(A + N) with A = 0.
        let function = Self.sample.replacingOccurrences(of: "\"probability\": 0.6,",
                                                        with: "\"probability\": \"(0.7 - (0.7 - 0.3)*(N/K)^2) * N/(0 + N)\",")
        func trajectories(_ text: String) throws -> [[Int32]] {
            let scenario = try ScenarioDecoder.decode(text: text.replacingOccurrences(of: "\"population\"", with: "\"individual\""), file: "m.json").scenario
            return Self.run(scenario).records.map(\.females)
        }
        let a = try trajectories(dd), b = try trajectories(function)
        #expect(a == b)
        #expect(a != (try trajectories(Self.sample)), "density dependence changes the run")
    }
}

import Foundation
@testable import PVAKit
@testable import pva

/// Paths and small helpers shared by the tests.
enum TestSupport {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/PVAKitTests/Fixtures")
    static let scenarios = packageRoot.appendingPathComponent("scenarios")

    /// Rows of a simple CSV file (no quoted commas) as dictionaries.
    static func csv(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        // The reference files have CRLF endings ("\r\n" is one Character in Swift).
        var lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(header, cells))
        }
    }

    /// A shipped scenario read through the command line's file loader (for layer files).
    static func loadSpatial(_ name: String, overrides: RunOverrides = RunOverrides()) throws -> LoadedScenario {
        try ScenarioFile.load(scenarios.appendingPathComponent(name).path, overrides: overrides)
    }

    static func loadScenario(_ name: String, overrides: RunOverrides = RunOverrides()) throws -> LoadedScenario {
        let url = scenarios.appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        return try ScenarioDecoder.decode(bytes: Array(data), file: "scenarios/" + name, overrides: overrides)
    }
}

/// A Vortex reference life table turned into a scenario (vortex convention,
/// Normal(mean, SD) brood, both sexes alike, binomial EV with correlation 0.5,
/// K = N0 with EV(K), extinction when one sex is left).
struct VortexReferenceRow {
    /// "flat" or "proportional": which of the two project sets the row comes from.
    var set: String
    var species: String
    var firstAge: Int
    var lastAge: Int
    var maxAge: Int
    var percentBreeding: Double
    var evBreeding: Double
    var broodMean: Double
    var broodSD: Double
    var mortality0: Double
    var evMortality0: Double
    var mortalityLater: Double
    var evMortalityLater: Double
    var k: Int
    var evK: Double
    var r: String
    var lambda: String
    var r0: String
    var generationTime: String

    init(_ row: [String: String]) {
        set = row["set"]!
        species = row["species"]!
        firstAge = Int(row["female_first_breeding_age"]!)!
        lastAge = Int(row["female_last_breeding_age"]!)!
        maxAge = Int(row["max_age"]!)!
        percentBreeding = Double(row["pct_adult_females_breeding"]!)!
        evBreeding = Double(row["EV_SD_breeding"]!)!
        broodMean = Double(row["brood_mean"]!)!
        broodSD = Double(row["brood_sd"]!)!
        mortality0 = Double(row["mort_age0_pct"]!)!
        evMortality0 = Double(row["EV_mort_age0"]!)!
        mortalityLater = Double(row["mort_later_pct"]!)!
        evMortalityLater = Double(row["EV_mort_later"]!)!
        k = Int(row["K_equals_N0"]!)!
        evK = Double(row["EV_K_SD"]!)!
        r = row["vortex_det_r"]!
        lambda = row["vortex_lambda"]!
        r0 = row["vortex_R0"]!
        generationTime = row["vortex_gen_time_females"]!
    }

    var species_: Species {
        var mortality = [MortalityClass(fromAge: 0, female: mortality0 / 100, male: mortality0 / 100, evSD: evMortality0 / 100)]
        if maxAge > 1 {
            mortality.append(MortalityClass(fromAge: 1, female: mortalityLater / 100, male: mortalityLater / 100, evSD: evMortalityLater / 100))
        }
        return Species(
            convention: .vortex, maximumAge: maxAge, sexRatioAtBirth: 0.5,
            females: SexLifeHistory(firstBreedingAge: AgeDistribution(fixed: firstAge), lastBreedingAge: lastAge),
            males: SexLifeHistory(firstBreedingAge: AgeDistribution(fixed: firstAge), lastBreedingAge: lastAge),
            breeding: Breeding(probability: percentBreeding / 100, evSD: evBreeding / 100),
            litterSize: .normal(mean: broodMean, sd: broodSD),
            mortality: mortality)
    }

    /// The row's project as Vortex ran it: N0 = K in the stable age distribution, binomial EV
    /// with correlation 0.5, EV(K), extinction when one sex remains.
    func scenario(replicates: Int, years: Int = 100, seed: UInt64, mode: SimulationMode = .individual) -> Scenario {
        var s = Scenario(
            name: species, run: RunSettings(years: years, replicates: replicates, seed: seed),
            species: species_, environment: EnvironmentalVariation(distribution: .binomial, correlation: 0.5),
            carryingCapacity: CarryingCapacity(k: Double(k), evSD: evK),
            initialPopulation: [InitialGroup(.total(k))])
        s.run.mode = mode
        return s
    }
}

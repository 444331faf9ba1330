import Foundation
import Testing
@testable import PVAKit

/// The shipped scenario set (scenarios/, written by scenarios/make_set.py from the default).
@Suite struct ScenarioSetTests {
    static func object(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// Every scenario file under scenarios/ (calibration and sensitivity studies aside), relative paths.
    static func scenarioFiles() throws -> [String] {
        let root = TestSupport.scenarios
        let all = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }
        return try all.filter { $0.hasSuffix(".json") }.sorted().filter { file in
            let object = try Self.object(root.appendingPathComponent(file))
            return object["observations"] == nil && object["design"] == nil
        }
    }

    /// The set's scenarios are the default plus what each is about and nothing else — one
    /// intervention (interventions/), releases (reintroduction/), or interventions and releases
    /// (combined-plan.json) — so each compares with the default; each has a description.
    @Test func theSetIsTheDefaultPlusWhatEachScenarioIsAbout() throws {
        var base = try Self.object(TestSupport.scenarios.appendingPathComponent("amur-leopard.json"))
        base["name"] = nil
        base["description"] = nil
        let expected: [(folder: String, count: Int, keys: [String])] = [("interventions", 8, ["interventions"]),
                                                                       ("reintroduction", 7, ["releases"])]
        var checked = 0
        for (folder, count, keys) in expected {
            let url = TestSupport.scenarios.appendingPathComponent(folder)
            let files = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".json") }.sorted()
            #expect(files.count == count, "\(folder): \(files)")
            for file in files {
                var s = try Self.object(url.appendingPathComponent(file))
                #expect((s["description"] as? String)?.count ?? 0 > 80, "\(folder)/\(file) says what it represents")
                if folder == "interventions" { #expect((s["interventions"] as? [Any])?.count == 1, "\(file): one intervention") }
                for key in keys + ["name", "description"] { #expect(s[key] != nil || key == "name"); s[key] = nil }
                var landscape = try #require(s["landscape"] as? [String: Any])
                let layers = try #require(landscape["layers"] as? [String: String])
                landscape["layers"] = layers.mapValues { $0.hasPrefix("../") ? String($0.dropFirst(3)) : "not relative to scenarios/: " + $0 }
                s["landscape"] = landscape
                #expect(NSDictionary(dictionary: s).isEqual(to: base), "\(folder)/\(file) differs from the default beyond \(keys)")
                checked += 1
            }
        }
        var combined = try Self.object(TestSupport.scenarios.appendingPathComponent("combined-plan.json"))
        #expect((combined["interventions"] as? [Any])?.count ?? 0 >= 7 && combined["releases"] != nil)
        for key in ["interventions", "releases", "name", "description"] { combined[key] = nil }
        #expect(NSDictionary(dictionary: combined).isEqual(to: base), "combined-plan.json differs from the default beyond its plan")
        #expect(checked == 15)
    }

    /// Every scenario file validates and runs: 3 replicates × 4 years with every invariant
    /// checked after every stage (the full runs are `pva run-set scenarios/`; CI runs each
    /// 60 years with the checks).
    @Test(arguments: try scenarioFiles())
    func everyScenarioValidatesAndRuns(_ file: String) throws {
        var loaded = try TestSupport.loadSpatial(file)
        loaded.scenario.run.replicates = 3
        loaded.scenario.run.years = 4
        let model = try EngineModel.compile(loaded.scenario, file: file)
        let result = MonteCarlo.run(model, options: MonteCarlo.Options(threads: 1, checkInvariants: true))
        #expect(result.census.replicates == 3)
        #expect(RunSummary(result).years[0].nAll.mean ?? 0 > 0, "\(file) starts with nobody")
    }
}

import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// Every numeric input has a range that makes physical sense and fits the
/// engine's types, checked at validation: each mutant that used to trap the
/// engine (found by the scenario fuzzer) is now a validation error naming the
/// path and the value, or runs correctly. `validate` and `run` take the same
/// path, so nothing `validate` accepts can crash `run`.
@Suite struct InputRangeTests {
    /// A copy of scenarios/ in a temporary folder, with `amur-leopard.json` edited by `edit`.
    static func editedAmur(_ edit: (String) -> String) throws -> (dir: URL, file: String) {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.copyItem(at: TestSupport.scenarios, to: dir.appendingPathComponent("scenarios"))
        let file = dir.appendingPathComponent("scenarios/amur-leopard.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        let edited = edit(text)
        #expect(edited != text, "the edit changed nothing")
        try CLI.write(edited, to: file)
        return (dir, file.path)
    }

    @Test(arguments: [
        // (--set, expected line after "FILE: ")
        ("carryingCapacity.K=1e20", "carryingCapacity.K: must be at most 1000000000 (got 1e20)"),
        ("carryingCapacity.evSD=1e300", "carryingCapacity.evSD: must be at most 1000000000 (got 1e300)"),
        ("initialPopulation.total=1e12", "initialPopulation.total: must be at most 10000000 (got 1e12)"),
        ("species.litterSize.sizes[2]=5000", "species.litterSize.sizes[2]: must be at most 50 (got 5000)"),
        ("species.breeding.minimumInterval=1000", "species.breeding.minimumInterval: must be at most 100 (got 1000)"),
        ("species.mortality[0].evSD=1e300", "species.mortality[0].evSD: must be at most 0.5 (got 1e300)"),
    ] as [(String, String)])
    func nonSpatialOutOfRangeValuesAreValidationErrors(_ setting: String, _ expected: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.json")
        try CLI.write(SampleScenario.text, to: file)
        let outcome = CLI.run(["validate", file.path, "--set", setting])
        #expect(outcome.status == 2, "\(setting) was accepted")
        #expect(outcome.stderr.contains(file.path + ": " + expected), "\(setting): \(outcome.stderr)")
    }

    @Test(arguments: [
        ("landscape.dispersal.male.meanDistance=1e20", "landscape.dispersal.male.meanDistance: must be at most 2000 (got 1e20)"),
        ("landscape.cellSize=1e-300", "landscape.cellSize: must be at least 0.01 (got 1e-300)"),
        ("landscape.cellSize=1e20", "landscape.cellSize: must be at most 100 (got 1e20)"),
        ("landscape.territories.femaleMaximumArea=1e308", "landscape.territories.femaleMaximumArea: must be at most 100000 (got 1e308)"),
        ("threats.poaching.minimumAge=150", "threats.poaching.minimumAge: must be at most 15 (got 150)"),
        ("species.litterSize.mean=150", "species.litterSize.mean: must be at most 100 (got 150)"),
        ("species.litterSize.mean=25", "species.litterSize: under the dependency rules litters may hold at most 20 young"),
    ] as [(String, String)])
    func spatialOutOfRangeValuesAreValidationErrors(_ setting: String, _ expected: String) throws {
        let path = TestSupport.scenarios.appendingPathComponent("amur-leopard.json").path
        let outcome = CLI.run(["validate", path, "--set", setting])
        #expect(outcome.status == 2, "\(setting) was accepted")
        #expect(outcome.stderr.contains(path + ": " + expected), "\(setting): \(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "one message for one problem: \(outcome.stderr)")
    }

    @Test func aRegionWithoutCellsIsAValidationError() throws {
        // An empty layerValues list, and a layerValues region with no region layer at all, used
        // to trap in placement (a random cell of an empty list).
        let empty = try Self.editedAmur { $0.replacingOccurrences(of: "\"layerValues\": [\n          1,\n          7\n        ]", with: "\"layerValues\": []") }
        defer { try? FileManager.default.removeItem(at: empty.dir) }
        var outcome = CLI.run(["validate", empty.file])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("landscape.regions[0].layerValues: must not be empty (got [])"), "\(outcome.stderr)")
        let noLayer = try Self.editedAmur { $0.replacingOccurrences(of: ",\n      \"region\": \"amur/regions.asc\"", with: "") }
        defer { try? FileManager.default.removeItem(at: noLayer.dir) }
        outcome = CLI.run(["validate", noLayer.file])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("landscape.regions[0]: region \"Land of the Leopard NP\" holds no habitat cell"), "\(outcome.stderr)")
        outcome = CLI.run(["run", noLayer.file, "--replicates", "2", "--years", "2", "--out", noLayer.dir.appendingPathComponent("out").path])
        #expect(outcome.status == 2, "run must refuse what validate refuses")
    }

    @Test func aVanishingEVSDRunsInsteadOfTrapping() throws {
        // A mortality EV SD of 1e-300 used to overflow the binomial n (Int(∞)); it is no variation.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = CLI.run(["run", TestSupport.scenarios.appendingPathComponent("amur-leopard-nonspatial.json").path,
                               "--set", "species.mortality[4].evSD=1e-300", "--replicates", "3", "--years", "5",
                               "--out", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test func setNamesItsOwnMistakes() throws {
        let path = TestSupport.scenarios.appendingPathComponent("amur-leopard.json").path
        for (setting, message) in [
            ("species.mortality[9].female=0.1", "--set species.mortality[9].female=0.1: species.mortality has 5 entries, so there is no species.mortality[9]"),
            ("species=3", "--set species=3: species is an object, not a single value; set the values inside it"),
            ("species.mortality=[1]", "--set species.mortality=[1]: species.mortality is an array, not a single value; set the values inside it"),
        ] {
            let outcome = CLI.run(["validate", path, "--set", setting])
            #expect(outcome.status == 2)
            #expect(outcome.stderr == "\(path): \(message)\n", "\(outcome.stderr)")
        }
        // A key or section the file leaves out can be set, and a misspelt one is an unknown key.
        var outcome = CLI.run(["validate", path, "--set", "threats.poaching.changes[0].year=2030"])
        #expect(outcome.stderr == "\(path): --set threats.poaching.changes[0].year=2030: threats.poaching.changes is not in the scenario, so it has no entries to set\n")
        outcome = CLI.run(["validate", path, "--set", "nonsense.key=1"])
        #expect(outcome.stderr == "\(path): nonsense: unknown key (got {…})\n", "\(outcome.stderr)")
        outcome = CLI.run(["validate", path, "--set", "landscape.dispersal.serchRadius=10"])
        #expect(outcome.stderr.contains("landscape.dispersal.serchRadius: unknown key (did you mean \"searchRadius\"?) (got 10)"), "\(outcome.stderr)")
    }
}

import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// Same seed → the same bytes, whatever the thread count; another seed →
/// other replicates. Outputs hold no times, hosts, thread counts or paths.
@Suite struct DeterminismTests {
    static let outputs = ["summary.json", "yearly.csv", "classes.csv", "replicates.csv", "trajectories.csv"]

    func run(_ scenario: String, _ extra: [String], in dir: URL, name: String) throws -> [String: Data] {
        let out = dir.appendingPathComponent(name)
        let outcome = CLI.run(["run", TestSupport.scenarios.appendingPathComponent(scenario).path, "--out", out.path, "--quiet"] + extra)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        var files: [String: Data] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: out.path) {
            files[file] = try Data(contentsOf: out.appendingPathComponent(file))
        }
        return files
    }

    @Test(arguments: ["amur-leopard-nonspatial.json", "b0-benchmark.json", "amur-leopard.json", "genetics-example.json"])
    func sameSeedSameBytesForAnyThreadCount(_ scenario: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let small = ["--replicates", "24", "--years", "30"]
        let one = try run(scenario, small + ["--threads", "1"], in: dir, name: "one")
        let two = try run(scenario, small + ["--threads", "2"], in: dir, name: "two")
        let again = try run(scenario, small + ["--threads", "3"], in: dir, name: "again")
        let other = try run(scenario, small + ["--seed", "999"], in: dir, name: "other")
        #expect(one.keys.sorted() == two.keys.sorted() && one.keys.sorted() == again.keys.sorted())
        #expect(Set(Self.outputs).isSubset(of: Set(one.keys)))
        #expect(one.keys.contains(ResultsFolder.markerName))
        #expect(one.keys.contains("report.html"), "every run writes report.html")
        if scenario == "amur-leopard.json" { #expect(one.keys.count == 11, "spatial runs write regions.csv, occupancy.csv, occupancy.svg too, and targets.csv with a target region") }
        for file in one.keys.sorted() {
            #expect(one[file] == two[file], "\(file): 1 thread ≠ 2 threads")
            #expect(one[file] == again[file], "\(file): not reproducible")
        }
        #expect(one["replicates.csv"] != other["replicates.csv"], "a different seed gave the same replicates")
        let summary = String(decoding: one["summary.json"]!, as: UTF8.self)
        #expect(!summary.contains(dir.path), "an absolute path leaked into the output")
        #expect(!summary.lowercased().contains("thread"))
        var parser = JSONParser(text: summary)
        #expect(Self.allNumbersFinite(try parser.parse()), "summary.json holds a non-finite number")
    }

    static func allNumbersFinite(_ node: JSONNode) -> Bool {
        switch node.value {
        case .number(let v, _): return v.isFinite
        case .array(let items): return items.allSatisfy(allNumbersFinite)
        case .object(let members): return members.allSatisfy { allNumbersFinite($0.value) }
        default: return true
        }
    }

    @Test func provenanceHashCoversTheResolvedScenario() throws {
        let a = try TestSupport.loadScenario("amur-leopard-nonspatial.json")
        let b = try TestSupport.loadScenario("amur-leopard-nonspatial.json", overrides: RunOverrides(seed: 7))
        let c = try TestSupport.loadScenario("amur-leopard-nonspatial.json")
        #expect(Provenance(loaded: a).scenarioSHA256 == Provenance(loaded: c).scenarioSHA256)
        #expect(Provenance(loaded: a).scenarioSHA256 != Provenance(loaded: b).scenarioSHA256)
        #expect(Provenance(loaded: a, files: [(path: "x.asc", bytes: [1])]).scenarioSHA256
                != Provenance(loaded: a, files: [(path: "x.asc", bytes: [2])]).scenarioSHA256)
    }

    /// Golden outputs: a small run of each shipped scenario must reproduce the stored bytes
    /// (the spatial one also its regions and occupancy tables). A deliberate change to the
    /// engine regenerates them with
    ///   swift run -c release pva run scenarios/NAME.json --replicates 20 --years 30 --out /tmp/golden/NAME
    /// and a copy of the files the golden folder holds (pva will not replace a folder without its
    /// marker; occupancy.svg and report.html are not kept), and the commit says why the numbers
    /// moved. They were written on x86_64-linux (`provenance.platform`), the platform whose bytes
    /// they are. The two drawings are not golden: they show numbers the tables here already pin,
    /// and a change of layout or style should not mean new fixtures; their bytes are checked across
    /// thread counts above and their structure in OccupancyMapTests and ReportTests.
    @Test(arguments: ["amur-leopard-nonspatial", "b0-benchmark", "amur-leopard"])
    func goldenOutputsAreReproduced(_ name: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try run(name + ".json", ["--replicates", "20", "--years", "30"], in: dir, name: name)
        let golden = TestSupport.fixtures.appendingPathComponent("golden").appendingPathComponent(name)
        let spatial = name == "amur-leopard" ? ["regions.csv", "occupancy.csv", "targets.csv"] : []
        for file in Self.outputs + spatial {
            let stored = try Data(contentsOf: golden.appendingPathComponent(file))
            #expect(files[file] == stored, "\(name)/\(file) differs from the golden output")
        }
    }
}

import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// `pva run-set` end to end through the real binary: each scenario's folder is
/// what `pva run` writes, and nothing runs when one file of the set is wrong.
@Suite struct RunSetTests {
    static let small = ["--replicates", "20", "--years", "10", "--quiet"]

    /// A temporary folder holding set/ with `files` (path in the set → text).
    static func project(_ files: [String: String]) throws -> URL {
        let dir = try CLI.temporaryDirectory()
        for (path, text) in files {
            let url = dir.appendingPathComponent("set/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try CLI.write(text, to: url)
        }
        return dir
    }

    static func shipped(_ name: String) throws -> String {
        try String(contentsOf: TestSupport.scenarios.appendingPathComponent(name), encoding: .utf8)
    }

    /// The files of a results folder and their bytes.
    static func contents(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    @Test func eachFolderIsWhatRunWrites() throws {
        let dir = try Self.project(["genetics.json": try Self.shipped("genetics-example.json"),
                                    "nested/nonspatial.json": try Self.shipped("amur-leopard-nonspatial.json")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let set = try CLI.process(["run-set", "set"] + Self.small, in: dir)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stderr.isEmpty, "\(set.stderr)")
        let lines = set.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(set.stdout)")
        #expect(lines.first?.hasPrefix("[1/2] genetics: P(E) ") == true && lines.first?.hasSuffix(" -> results/genetics/") == true, "\(set.stdout)")
        #expect(lines.dropFirst().first?.hasPrefix("[2/2] nested/nonspatial: P(E) ") == true
                && lines.dropFirst().first?.hasSuffix(" -> results/nested/nonspatial/") == true, "\(set.stdout)")
        #expect(lines.last?.hasPrefix("ran 2 scenarios in ") == true, "\(set.stdout)")

        for (file, folder) in [("set/genetics.json", "genetics"), ("set/nested/nonspatial.json", "nested/nonspatial")] {
            let single = try CLI.process(["run", file, "--out", "single/" + folder] + Self.small, in: dir)
            #expect(single.status == 0, "\(single.stderr)")
            let fromSet = try Self.contents(dir.appendingPathComponent("results/" + folder))
            let fromRun = try Self.contents(dir.appendingPathComponent("single/" + folder))
            #expect(fromSet["summary.json"] != nil && fromSet["summary.json"] == fromRun["summary.json"], "\(folder): summary.json differs")
            #expect(fromSet == fromRun, "\(folder): the folders differ")
        }

        // --seed replaces every scenario's own seed, as for pva run.
        let seeded = try CLI.process(["run-set", "set/genetics.json", "--seed", "5", "--out", "seeded"] + Self.small, in: dir)
        #expect(seeded.status == 0, "\(seeded.stderr)")
        #expect(seeded.stdout.hasPrefix("[1/1] genetics: ") && seeded.stdout.contains("-> seeded/genetics/"), "\(seeded.stdout)")
        let single = try CLI.process(["run", "set/genetics.json", "--seed", "5", "--out", "single/seeded"] + Self.small, in: dir)
        #expect(single.status == 0, "\(single.stderr)")
        #expect(try Self.contents(dir.appendingPathComponent("seeded/genetics")) == Self.contents(dir.appendingPathComponent("single/seeded")))
    }

    @Test func anInvalidScenarioStopsTheSetBeforeAnythingRuns() throws {
        let dir = try Self.project(["a-good.json": SampleScenario.text,
                                    "b-bad.json": SampleScenario.with(#""female": 0.1,"#, #""female": 1.2,"#),
                                    "c-good.json": SampleScenario.text])
        defer { try? FileManager.default.removeItem(at: dir) }
        let set = try CLI.process(["run-set", "set"] + Self.small, in: dir)
        #expect(set.status == 2)
        #expect(set.stdout.isEmpty, "\(set.stdout)")
        // Each problem as pva run prints it, naming the file, the JSON path and the value.
        let single = try CLI.process(["run", "set/b-bad.json"] + Self.small, in: dir)
        #expect(single.status == 2)
        #expect(single.stderr.hasPrefix("set/b-bad.json: species.mortality[2].female: "), "\(single.stderr)")
        #expect(set.stderr == single.stderr + "pva: 1 of 3 scenario files not valid; nothing was run\n", "\(set.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("results").path), "no results folder may be created")
    }

    @Test func aCalibrationFileIsListedAsSkipped() throws {
        let dir = try Self.project(["amur-calibration.json": try Self.shipped("amur-calibration.json"),
                                    "sample.json": SampleScenario.text])
        defer { try? FileManager.default.removeItem(at: dir) }
        let set = try CLI.process(["run-set", "set", "--out", "out"] + Self.small, in: dir)
        #expect(set.status == 0, "\(set.stderr)")
        let lines = set.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "set/amur-calibration.json: skipped: calibration study (run it with pva calibrate)", "\(set.stdout)")
        #expect(lines.dropFirst().first?.hasPrefix("[1/1] sample: ") == true, "\(set.stdout)")
        #expect(lines.last?.hasPrefix("ran 1 scenario in ") == true && lines.last?.hasSuffix("; skipped 1 calibration study") == true, "\(set.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path).filter { !$0.hasPrefix(".") } == ["sample"])
    }

    @Test func twoScenariosCannotShareOrNestFolders() throws {
        let dir = try Self.project(["x.json": SampleScenario.text, "other/x.json": SampleScenario.text, "other/x/y.json": SampleScenario.text])
        defer { try? FileManager.default.removeItem(at: dir) }
        var outcome = try CLI.process(["run-set", "set/x.json", "set/other/x.json"] + Self.small, in: dir)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "pva: set/x.json and set/other/x.json would both write results/x; run them in separate sets or with different --out\n"
                + "pva: nothing was run\n", "\(outcome.stderr)")
        outcome = try CLI.process(["run-set", "set/other"] + Self.small, in: dir)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("the results of set/other/x/y.json (results/x/y) would lie inside those of set/other/x.json (results/x)"),
                "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("results").path))
    }

    @Test func aFailedRunStopsTheSetAndKeepsFinishedFolders() throws {
        let dir = try Self.project(["a.json": SampleScenario.text, "b.json": SampleScenario.text, "c.json": SampleScenario.text])
        defer { try? FileManager.default.removeItem(at: dir) }
        // A folder where b's lock file goes: claiming b fails as the file system refuses (exit 1).
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("results/.b.pva-lock"), withIntermediateDirectories: true)
        let outcome = try CLI.process(["run-set", "set"] + Self.small, in: dir)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.hasPrefix("[1/3] a: ") && !outcome.stdout.contains("ran "), "\(outcome.stdout)")
        #expect(outcome.stderr.hasPrefix("pva: b (set/b.json) failed: ") && outcome.stderr.hasSuffix("; stopped after 1 of 3 scenarios (finished folders stay, the rest did not run)\n"),
                "\(outcome.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("results/a/summary.json").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("results/c").path))
    }

    @Test func helpIsListed() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var outcome = try CLI.process(["run-set", "--help"], in: dir)
        #expect(outcome.status == 0 && outcome.stdout.hasPrefix("Usage: pva run-set"))
        outcome = try CLI.process(["--help"], in: dir)
        #expect(outcome.stdout.contains("pva run-set DIR|SCENARIO..."))
    }
}

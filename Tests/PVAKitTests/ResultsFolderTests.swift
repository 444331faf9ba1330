import Foundation
import Testing
@testable import PVAKit
@testable import pva
#if canImport(Glibc)
import Glibc
#endif

/// `pva run` can destroy nothing but its own earlier results (issue "never lose a
/// user's files"). Each test works in a fresh temporary folder holding a decoy
/// user file, through the real binary, and checks that the decoy survives.
@Suite struct ResultsFolderTests {
    /// proj/sub/s.json (a small B0 run) and decoy files in proj, proj/sub and proj/mydata.
    static func project() throws -> URL {
        let dir = try CLI.temporaryDirectory()
        let sub = dir.appendingPathComponent("proj/sub"), data = dir.appendingPathComponent("proj/mydata")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.scenarios.appendingPathComponent("b0-benchmark.json"), to: sub.appendingPathComponent("s.json"))
        for folder in ["proj", "proj/sub", "proj/mydata"] { try CLI.write("user data", to: dir.appendingPathComponent(folder + "/decoy.txt")) }
        return dir
    }

    static func decoysSurvive(_ dir: URL) -> Bool {
        ["proj", "proj/sub", "proj/mydata"].allSatisfy {
            (try? String(contentsOf: dir.appendingPathComponent($0 + "/decoy.txt"), encoding: .utf8)) == "user data"
        } && FileManager.default.fileExists(atPath: dir.appendingPathComponent("proj/sub/s.json").path)
    }

    static let small = ["--replicates", "2", "--years", "2", "--quiet"]

    @Test(arguments: [
        (".", "it is the working directory or a folder above it"),
        ("..", "it is the working directory or a folder above it"),
        ("", "--out is empty"),
        ("../mydata", "the folder exists and was not written by pva"),
        ("/", "it is the working directory or a folder above it"),
        ("../sub/", "it is the working directory or a folder above it"),
    ])
    func outIsRefusedAndNothingIsDeleted(_ out: String, _ reason: String) throws {
        let dir = try Self.project()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try CLI.process(["run", "s.json", "--out", out] + Self.small, in: dir.appendingPathComponent("proj/sub"))
        #expect(outcome.status == 2, "--out '\(out)' was not refused: \(outcome.stdout)")
        #expect(outcome.stderr.contains(reason), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(Self.decoysSurvive(dir), "--out '\(out)' deleted user files")
    }

    @Test func aFolderHoldingTheScenarioOrItsLayersIsRefused() throws {
        // `--out scenarios` used to delete every scenario and map layer.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: TestSupport.scenarios, to: dir.appendingPathComponent("scenarios"))
        for (scenario, out) in [("scenarios/b0-benchmark.json", "scenarios"), ("scenarios/amur-leopard.json", "scenarios/amur"),
                                ("scenarios/amur-leopard.json", "scenarios")] {
            let outcome = try CLI.process(["run", scenario, "--out", out] + Self.small, in: dir)
            #expect(outcome.status == 2, "\(out)")
            #expect(outcome.stderr.contains("which this run reads"), "\(outcome.stderr)")
        }
        for file in ["scenarios/b0-benchmark.json", "scenarios/amur-leopard.json", "scenarios/amur/suitability.asc"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file) was deleted")
        }
    }

    @Test func theUsersOldAndPartialFoldersAreNeverTouched() throws {
        let dir = try Self.project()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sub = dir.appendingPathComponent("proj/sub")
        for name in ["results/s.old", "results/s.partial"] {
            try FileManager.default.createDirectory(at: sub.appendingPathComponent(name), withIntermediateDirectories: true)
            try CLI.write("my backup", to: sub.appendingPathComponent(name + "/keep.txt"))
        }
        for _ in 0..<2 {  // a first run creates results/s, a second replaces it
            let outcome = try CLI.process(["run", "s.json"] + Self.small, in: sub)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        for name in ["results/s.old", "results/s.partial"] {
            #expect((try? String(contentsOf: sub.appendingPathComponent(name + "/keep.txt"), encoding: .utf8)) == "my backup", "\(name) was touched")
        }
        let siblings = try FileManager.default.contentsOfDirectory(atPath: sub.appendingPathComponent("results").path).sorted()
        #expect(siblings == [".s.pva-lock", "s", "s.old", "s.partial"], "left behind: \(siblings)")
        #expect(Self.decoysSurvive(dir))
    }

    /// The files a results folder's marker lists, and whether each is there and non-empty.
    static func complete(_ folder: URL) -> (seed: String?, complete: Bool) {
        guard let marker = try? String(contentsOf: folder.appendingPathComponent(ResultsFolder.markerName), encoding: .utf8),
              let line = marker.split(separator: "\n").first(where: { $0.hasPrefix("files: ") }) else { return (nil, false) }
        let files = line.dropFirst("files: ".count).split(separator: " ").map(String.init)
        let present = try? FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        guard present == files.sorted(), files.count == RunReport.files(spatial: false).count else { return (nil, false) }
        let allThere = files.allSatisfy { ((try? Data(contentsOf: folder.appendingPathComponent($0)))?.count ?? 0) > 0 }
        let summary = (try? String(contentsOf: folder.appendingPathComponent("summary.json"), encoding: .utf8)) ?? ""
        let seed = summary.split(separator: "\n").first { $0.contains("\"seed\"") }.map { String($0.filter(\.isNumber)) }
        return (seed, allThere)
    }

    @Test func aKillAtAnyInstantLeavesOldOrNewResultsComplete() throws {
        // A first run (seed 1) leaves complete results and gives the time T a whole run takes;
        // then 21 runs with seed 2 are killed with SIGKILL after 0, 0.075 T, 0.15 T, … 1.5 T:
        // each time the folder must hold the seed-1 or the seed-2 results, complete (every file
        // its marker lists, non-empty), and both must be seen. A last run then succeeds and
        // leaves no staging folder behind.
        let dir = try Self.project()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sub = dir.appendingPathComponent("proj/sub")
        let args = ["run", "s.json", "--replicates", "300", "--quiet", "--threads", "1"]
        let start = Date()
        #expect(try CLI.process(args + ["--seed", "1"], in: sub).status == 0)
        let whole = Date().timeIntervalSince(start)
        let folder = sub.appendingPathComponent("results/s")
        var seen: Set<String> = []
        for step in 0...20 {
            let delay = Int(Double(step) * 0.075 * whole * 1000)
            let p = Process()
            p.executableURL = CLI.binary
            p.arguments = args + ["--seed", "2"]
            p.currentDirectoryURL = sub
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(useconds_t(delay * 1000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let state = Self.complete(folder)
            #expect(state.complete && (state.seed == "1" || state.seed == "2"), "killed after \(delay) ms: \(state)")
            if let seed = state.seed { seen.insert(seed) }
        }
        #expect(seen == ["1", "2"], "kills never landed on both sides of the replacement: \(seen)")
        #expect(try CLI.process(args + ["--seed", "3"], in: sub).status == 0)
        #expect(Self.complete(folder).seed == "3")
        let left = try FileManager.default.contentsOfDirectory(atPath: sub.appendingPathComponent("results").path).sorted()
        #expect(left == [".s.pva-lock", "s"], "left behind: \(left)")
        #expect(Self.decoysSurvive(dir))
    }

    @Test func concurrentRunsOnOneFolderAreRefusedNeverInterleaved() throws {
        // Two processes write the same --out at once, five times: the second is refused while
        // the first holds the lock (exit 2, saying so), and the folder is always complete.
        let dir = try Self.project()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sub = dir.appendingPathComponent("proj/sub")
        var refusals = 0
        for round in 0..<5 {
            let outcomes = try [0, 1].map { i -> Process in
                let p = Process()
                p.executableURL = CLI.binary
                p.arguments = ["run", "s.json", "--replicates", "400", "--quiet", "--threads", "1", "--seed", "\(round * 2 + i + 1)"]
                p.currentDirectoryURL = sub
                p.standardOutput = FileHandle.nullDevice
                let err = Pipe()
                p.standardError = err
                try p.run()
                return p
            }
            var statuses: [Int32] = []
            for p in outcomes {
                p.waitUntilExit()
                statuses.append(p.terminationStatus)
            }
            #expect(statuses.allSatisfy { $0 == 0 || $0 == 2 } && statuses.contains(0), "\(statuses)")
            refusals += statuses.filter { $0 == 2 }.count
            #expect(Self.complete(sub.appendingPathComponent("results/s")).complete)
        }
        #expect(refusals > 0, "the two runs never overlapped, so the test shows nothing")
        #expect(Self.decoysSurvive(dir))
    }

    @Test func aRefusalNamesTheOtherProcess() throws {
        // A held lock (taken here, as a running pva would hold it) makes run refuse with exit 2.
        let dir = try Self.project()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sub = dir.appendingPathComponent("proj/sub")
        try FileManager.default.createDirectory(at: sub.appendingPathComponent("results"), withIntermediateDirectories: true)
        let fd = open(sub.appendingPathComponent("results/.s.pva-lock").path, O_CREAT | O_RDWR, 0o644)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let outcome = try CLI.process(["run", "s.json"] + Self.small, in: sub)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("another pva process is writing results/s"), "\(outcome.stderr)")
    }
}

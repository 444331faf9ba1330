import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// The command line end to end, through the real binary where exit codes matter.
@Suite struct CLITests {
    @Test func everyShippedScenarioValidatesAndRuns() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try FileManager.default.contentsOfDirectory(atPath: TestSupport.scenarios.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 2)
        for file in files {
            let path = TestSupport.scenarios.appendingPathComponent(file).path
            let validation = CLI.run(["validate", path])
            #expect(validation.status == 0, "\(file): \(validation.stderr)")
            // A calibration file validates (with its hindcast) but is run by pva calibrate.
            if CalibrationDecoder.isCalibration(Array(try Data(contentsOf: URL(fileURLWithPath: path)))) { continue }
            let out = dir.appendingPathComponent(file)
            let outcome = CLI.run(["run", path, "--replicates", "4", "--years", "5", "--out", out.path, "--quiet"])
            #expect(outcome.status == 0, "\(file): \(outcome.stderr)")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path), "\(file)")
        }
    }

    @Test func realProcessExitCodesAndMessages() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("scenarios"), withIntermediateDirectories: true)
        let good = dir.appendingPathComponent("scenarios/tiny.json")
        try CLI.write(SampleScenario.text, to: good)
        try CLI.write("{\"format\": 1,", to: dir.appendingPathComponent("broken.json"))

        var outcome = try CLI.process(["run", "scenarios/tiny.json"], in: dir)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("results: results/tiny/"))
        #expect(outcome.stderr.isEmpty, "no progress bar when stderr is not a terminal")
        for file in DeterminismTests.outputs {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("results/tiny/\(file)").path))
        }

        outcome = try CLI.process(["run", "broken.json"], in: dir)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "broken.json: line 1, column 14: malformed JSON: unexpected end of file, expected a key in double quotes\n")

        outcome = try CLI.process(["run", "missing.json"], in: dir)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "missing.json: (document): cannot read the scenario: no such file\n")

        outcome = try CLI.process(["run", "scenarios/tiny.json", "--replicates", "x"], in: dir)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "pva: --replicates must be a whole number from 1 to 100000000 (got 'x')\n")

        // A runtime failure (the results folder cannot be created) exits 1 with one line.
        try CLI.write("not a folder", to: dir.appendingPathComponent("blocker"))
        outcome = try CLI.process(["run", "scenarios/tiny.json", "--out", "blocker/out"], in: dir)
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "pva: cannot create the folder holding blocker/out: cannot create \(dir.resolvingSymlinksInPath().path)/blocker: a file of that name exists\n")
        #expect(outcome.stderr.split(separator: "\n").count == 1)

        outcome = try CLI.process(["--help"], in: dir)
        #expect(outcome.status == 0 && outcome.stdout.contains("pva run SCENARIO"))
        for command in ["run", "validate", "bench"] {
            outcome = try CLI.process([command, "--help"], in: dir)
            #expect(outcome.status == 0 && outcome.stdout.hasPrefix("Usage: pva \(command)"), "\(command) --help")
        }
    }

    @Test func outputColumnsAreDocumentedInTheReadme() throws {
        // The README documents every output file and each CSV's header line, as the columns are
        // declared (with the default scenario's quasi-extinction thresholds in yearly.csv).
        let readme = try String(contentsOf: TestSupport.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let model = EngineModel(scenario: try TestSupport.loadSpatial("amur-leopard.json").scenario)
        let tables = ReplicateTables(model: model)
        for header in [RunReport.yearlyTable(thresholds: model.quasiExtinctionThresholds).header,
                       RunReport.classesTable(labels: [], startYear: 0).header,
                       tables.replicates.header, ReplicateTables.trajectoriesTable(startYear: 0).header,
                       RunReport.regionsTable(names: [], startYear: 0).header, RunReport.targetsTable.header, RunReport.occupancyTable.header] {
            #expect(readme.contains(header), "README lacks the header line \(header)")
        }
        for file in RunReport.outputFiles {
            #expect(readme.contains("**`\(file.name)`**"), "README does not document \(file.name)")
        }
    }
}

/// The README's "Make your own scenario" walkthrough, run as it stands.
@Suite struct WalkthroughTests {
    @Test func theReadmeWalkthroughRuns() throws {
        // The sh block after the walkthrough marker is run with /bin/sh -e in a temporary copy
        // of the repository's scenarios/, with the built pva first on PATH: every command must
        // succeed, and the comparison must rank the 5 % poaching scenario as riskier.
        let readme = try String(contentsOf: TestSupport.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = try #require(readme.range(of: "<!-- walkthrough"))
        let after = readme[marker.upperBound...]
        let open = try #require(after.range(of: "```sh\n"))
        let close = try #require(after[open.upperBound...].range(of: "```"))
        let script = String(after[open.upperBound..<close.lowerBound])
        #expect(script.contains("pva compare"))
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: TestSupport.scenarios, to: dir.appendingPathComponent("scenarios"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-e", "-c", script]
        p.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = CLI.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(stderr)")
        let rows = stdout.split(separator: "\n").filter { $0.hasPrefix("| 1 |") || $0.hasPrefix("| 2 |") }
        #expect(rows.count == 2 && rows[0].hasPrefix("| 1 | amur-leopard (baseline) |") && rows[1].hasPrefix("| 2 | amur-poaching-5pc |"), "\(stdout)")
        #expect(rows.count == 2 && rows[1].contains("p < 0.001") && rows[1].hasSuffix("P(E) higher; final N lower |"), "\(stdout)")
    }
}

import Foundation
import Testing
@testable import PVAKit
@testable import pva
#if canImport(Glibc)
import Glibc
#endif

/// Speed and memory as correctness: memory flat in replicates, work after the
/// simulation small beside it, no set-up that explodes, and a run that can be
/// stopped with Ctrl-C.
@Suite struct ResourceTests {
    @Test func peakMemoryDoesNotGrowWithReplicates() throws {
        // B0 (100 years) with 1,000 and with 10,000 replicates, one thread, measured by the
        // kernel for each child: statistics are histograms and the per-replicate files stream
        // to disk, so the peak may not grow by more than 10 % (it grew 3.4× before: 28 → 94 MiB).
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = TestSupport.scenarios.appendingPathComponent("b0-benchmark.json").path
        var peaks: [Int] = []
        for replicates in [1_000, 10_000] {
            let outcome = try CLI.measured(["run", scenario, "--replicates", "\(replicates)", "--threads", "1", "--quiet",
                                            "--out", dir.appendingPathComponent("r\(replicates)").path])
            #expect(outcome.status == 0)
            peaks.append(outcome.peakKiB)
        }
        #expect(Double(peaks[1]) <= 1.1 * Double(peaks[0]), "peak memory \(peaks[0]) KiB at 1,000 replicates, \(peaks[1]) KiB at 10,000")
    }

    @Test func statisticsCostLittleBesideTheSimulation() throws {
        // B0 with 4,000 replicates: building every statistic and every output file's text from
        // the accumulated run takes under 5 % of the simulation's time (it was 16 % of the CPU
        // with a sort per year). Timed in one process, so the ratio holds on a busy machine.
        var scenario = try TestSupport.loadScenario("b0-benchmark.json").scenario
        scenario.run.replicates = 4_000
        let model = EngineModel(scenario: scenario)
        let start = DispatchTime.now()
        let result = MonteCarlo.run(model, threads: 1)
        let simulated = DispatchTime.now()
        let report = RunReport(result: result, provenance: Provenance(loaded: try TestSupport.loadScenario("b0-benchmark.json")))
        var characters = 0
        for file in RunReport.files(spatial: false) where !file.perReplicate { characters += report.text(of: file).utf8.count }
        let done = DispatchTime.now()
        let simulation = Double(simulated.uptimeNanoseconds - start.uptimeNanoseconds)
        let statistics = Double(done.uptimeNanoseconds - simulated.uptimeNanoseconds)
        #expect(characters > 0)
        #expect(statistics < 0.05 * simulation, "statistics \(statistics / 1e6) ms against simulation \(simulation / 1e6) ms")
    }

    @Test func largeLittersDoNotExplodeTheSetUp() throws {
        // The family projection follows every mother's young by sex. Its power iteration used
        // never to meet its convergence test for fast-growing models (8-young litters took
        // 52 s to validate; 150-young litters did not finish). Now the largest litter the
        // dependency rules allow (20) compiles in well under a second here; 10 s is the bound,
        // and a population that explodes with it runs 2 replicates × 20 years.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = TestSupport.scenarios.appendingPathComponent("amur-leopard-nonspatial.json").path
        let start = Date()
        let outcome = CLI.run(["run", path, "--set", "species.litterSize.sizes[3]=20", "--set", "species.litterSize.probabilities[3]=0.97",
                               "--set", "species.litterSize.probabilities[0]=0.01", "--set", "species.litterSize.probabilities[1]=0.01",
                               "--set", "species.litterSize.probabilities[2]=0.01", "--replicates", "2", "--years", "20", "--quiet",
                               "--out", dir.appendingPathComponent("out").path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func ctrlCLeavesThePreviousResultsIntact() throws {
        // A complete run, then a long one interrupted with SIGINT: it exits 130, says so, and
        // the folder still holds the first run's results; no staging folder is left.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: TestSupport.scenarios.appendingPathComponent("b0-benchmark.json"), to: dir.appendingPathComponent("s.json"))
        #expect(try CLI.process(["run", "s.json", "--replicates", "20", "--seed", "1", "--quiet"], in: dir).status == 0)
        let before = try Data(contentsOf: dir.appendingPathComponent("results/s/summary.json"))
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["run", "s.json", "--replicates", "1000000", "--seed", "2", "--quiet"]
        p.currentDirectoryURL = dir
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }
        usleep(1_500_000)
        kill(p.processIdentifier, SIGINT)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        #expect(message.contains("interrupted; results/s is unchanged"), "\(message)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("results/s/summary.json")) == before)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("results").path).sorted()
        #expect(left == [".s.pva-lock", "s"], "\(left)")
    }
}

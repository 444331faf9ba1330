import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// `pva check`: the regression check against stored results — identical bytes with an
/// unchanged engine, a failure naming what moved when a parameter is nudged, no more false
/// alarms over other seeds than the family-wise α allows — and its statistics (Holm, the
/// two-proportion z) against hand-computed cases. Small non-spatial runs, a few seconds in all.
@Suite struct CheckTests {
    static let scenario = TestSupport.scenarios.appendingPathComponent("amur-leopard-nonspatial.json").path

    /// `pva run` of `scenario` into `folder` (in-process), which must succeed.
    func run(_ scenario: String, _ folder: URL, _ extra: [String]) {
        let outcome = CLI.run(["run", scenario, "--out", folder.path, "--quiet"] + extra)
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    /// Every file of a folder (hidden ones too) with its bytes.
    func contents(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    // MARK: identical bytes

    @Test func unchangedEnginePassesWithIdenticalBytesAndLeavesTheReferenceAlone() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = dir.appendingPathComponent("reference")
        // An override too: the check must apply the recorded ones to reproduce the bytes.
        run(Self.scenario, reference, ["--replicates", "50", "--years", "20", "--seed", "17", "--set", "species.breeding.probability=0.8"])
        let before = try contents(reference)
        let outcome = CLI.run(["check", Self.scenario, "--against", reference.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("check passed: "))
        #expect(outcome.stdout.contains("identical bytes (6 files; engine \(Provenance.engineVersion), \(Provenance.platform))"))
        #expect(outcome.stdout.split(separator: "\n").count == 1, "a pass is one line")
        #expect(try contents(reference) == before, "the check wrote into the reference folder")

        // A stored file that differs: the check fails naming it, and says nothing moved statistically.
        let trajectories = reference.appendingPathComponent("trajectories.csv")
        var bytes = try Data(contentsOf: trajectories)
        bytes.append(contentsOf: Array("1,2,3,4,5,6\n".utf8))
        try bytes.write(to: trajectories)
        let failed = CLI.run(["check", Self.scenario, "--against", reference.path, "--quiet"])
        #expect(failed.status == ExitCode.failure)
        #expect(failed.stdout.contains("trajectories.csv: differs from line 1052 on"), "\(failed.stdout)")
        #expect(!failed.stdout.contains("summary.json: differs"))
        #expect(failed.stdout.contains("What moved: no statistic beyond Monte Carlo error"))
        #expect(failed.stderr.contains("check failed: 1 of 6 files differ from \(reference.path)"))
    }

    /// Through the real binary with its own TMPDIR: the temporary results are removed.
    @Test func theTemporaryFolderIsRemoved() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = dir.appendingPathComponent("reference"), temporary = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        run(Self.scenario, reference, ["--replicates", "20", "--years", "10"])
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["check", Self.scenario, "--against", reference.path, "--statistical"]
        p.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty, "pva check left its temporary folder")
    }

    // MARK: statistical comparison

    /// Adult survival 0.02 lower (mortality of the last class +0.02, both sexes) in a copy of
    /// the scenario: against a 1,000-replicate reference of the original the check fails, and
    /// names N and the growth rate.
    @Test func aNudgedParameterFailsNamingWhatMoved() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = dir.appendingPathComponent("reference")
        run(Self.scenario, reference, ["--replicates", "1000", "--years", "30"])
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.scenario))) as! [String: Any]
        var species = json["species"] as! [String: Any]
        var mortality = species["mortality"] as! [[String: Any]]
        #expect(mortality[mortality.count - 1]["fromAge"] as? Int == 4, "the adult class")
        for sex in ["female", "male"] { mortality[mortality.count - 1][sex] = (mortality[mortality.count - 1][sex] as! Double) + 0.02 }
        species["mortality"] = mortality
        json["species"] = species
        let nudged = dir.appendingPathComponent("nudged.json")
        try JSONSerialization.data(withJSONObject: json).write(to: nudged)

        // Without --statistical the changed scenario is refused before anything runs.
        let refused = CLI.run(["check", nudged.path, "--against", reference.path, "--quiet"])
        #expect(refused.status == ExitCode.usage)
        #expect(refused.stderr.contains("the scenario changed since the reference was written"))
        #expect(refused.stderr.contains("--statistical"))

        let outcome = CLI.run(["check", nudged.path, "--against", reference.path, "--statistical", "--quiet"])
        #expect(outcome.status == ExitCode.failure, "\(outcome.stdout)")
        #expect(outcome.stdout.contains("statistics outside tolerance"))
        let outside = outcome.stdout.split(separator: "\n").filter { $0.hasSuffix("OUTSIDE") }
        #expect(outside.contains { $0.contains("summary.json final (2055): NAllMean") }, "\(outcome.stdout)")
        #expect(outside.contains { $0.contains("stochasticR") }, "\(outcome.stdout)")
        #expect(outcome.stderr.contains("by more than chance allows"))
    }

    /// The engine unchanged, only the random numbers other: 20 references (seeds 1…20) each
    /// checked with another seed (1001…1020). Each check is a family of statistics held to
    /// family-wise α = 0.01, so each fails with probability at most 0.01 and the 20 are
    /// independent: P(3 or more failures) ≤ 1 − Σ_{k≤2} C(20, k) 0.01^k 0.99^(20−k) ≈ 0.001.
    /// The seeds are fixed, so the count is the same in every run of this engine.
    @Test func otherSeedsPassAsOftenAsTheFamilyWiseErrorPromises() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var failures: [String] = []
        for i in 1...20 {
            let reference = dir.appendingPathComponent("reference-\(i)")
            run(Self.scenario, reference, ["--replicates", "500", "--years", "30", "--seed", "\(i)"])
            let outcome = CLI.run(["check", Self.scenario, "--against", reference.path, "--seed", "\(1000 + i)", "--quiet"])
            #expect(outcome.status == ExitCode.success || outcome.status == ExitCode.failure, "\(outcome.stderr)")
            if outcome.status == ExitCode.success {
                #expect(outcome.stdout.contains("statistics within tolerance"))
                #expect(outcome.stdout.contains("statistical: seed \(1000 + i) instead of \(i)"))
            } else {
                failures.append(outcome.stdout)
            }
        }
        #expect(failures.count <= 2, "\(failures.count) of 20 checks failed:\n\(failures.joined(separator: "\n"))")
    }

    // MARK: the statistics by hand

    /// p = (0.01, 0.04, 0.03, 0.005), α = 0.05. Sorted: 0.005 ≤ 0.05/4 = 0.0125 (rejected),
    /// 0.01 ≤ 0.05/3 = 0.0167 (rejected), 0.03 > 0.05/2 = 0.025 (kept, and the procedure
    /// stops), so 0.04 is kept although it is below its own threshold 0.05/1.
    @Test func holmAgainstAHandComputedCase() {
        let d = HolmBonferroni.decide([0.01, 0.04, 0.03, 0.005], alpha: 0.05)
        #expect(d.map(\.rank) == [2, 4, 3, 1])
        #expect(d.map(\.rejected) == [true, false, false, true])
        let thresholds = [0.05 / 3, 0.05, 0.025, 0.0125]
        for (a, b) in zip(d.map(\.threshold), thresholds) { #expect(abs(a - b) < 1e-15) }
        // Bonferroni (p ≤ α/K = 0.0125) would reject only 0.005.
        #expect(HolmBonferroni.decide([], alpha: 0.05).isEmpty)
    }

    /// 30 of 200 against 50 of 250: p̄ = 80/450 = 0.177778, SE = √(p̄(1 − p̄)(1/200 + 1/250))
    /// = 0.0362706, z = (0.2 − 0.15)/0.0362706 = 1.378527, two-sided p = 0.168041.
    /// Means 10 (SE 0.3) and 11 (SE 0.4): z = 1/0.5 = 2, p = 0.0455003.
    @Test func twoProportionAndMeanZAgainstHandComputedCases() {
        let z = Comparison.twoProportionZ(30, 200, 50, 250)!
        #expect(abs(z - 1.3785274164) < 1e-9)
        #expect(abs(Comparison.twoSidedP(z) - 0.1680405091) < 1e-9)
        #expect(Comparison.twoProportionZ(0, 100, 0, 100) == nil, "pooled p 0: no z")
        #expect(Comparison.twoProportionZ(100, 100, 100, 100) == nil, "pooled p 1: no z")
        let m = Comparison.meanZ(10, se1: 0.3, 11, se2: 0.4)!
        #expect(abs(m - 2) < 1e-12)
        #expect(abs(Comparison.twoSidedP(m) - 0.0455002639) < 1e-9)
        #expect(Comparison.meanZ(5, se1: 0, 5, se2: 0) == nil)
    }

    /// SE 0 on both sides must be equal; a mean without SE is left out; a statistic one set
    /// lacks is a difference; the most significant comes first.
    @Test func compareSortsBySignificanceAndTreatsSpecialCases() {
        typealias S = RegressionCheck.Statistic
        let stored = [S("p", .proportion(successes: 30, trials: 200)), S("same", .mean(100, se: 0)), S("moved", .mean(100, se: 0)),
                      S("n", .mean(10, se: 0.3)), S("few", .mean(5, se: nil)), S("gone", .mean(1, se: 0.1))]
        let new = [S("p", .proportion(successes: 50, trials: 250)), S("same", .mean(100, se: 0)), S("moved", .mean(100.5, se: 0)),
                   S("n", .mean(11, se: 0.4)), S("few", .mean(nil, se: nil)), S("extra", .mean(1, se: 0.1))]
        let outcome = RegressionCheck.compare(stored: stored, new: new)
        #expect(outcome.leftOut == ["few"])
        #expect(outcome.tests.count == 6)
        #expect(outcome.failures.map(\.name).sorted() == ["extra", "gone", "moved"])
        #expect(outcome.tests.map(\.name).suffix(3) == ["n", "p", "same"], "sorted by p: 0.046, 0.168, 1")
        #expect(outcome.tests.first { $0.name == "same" }!.p == 1)
        #expect(outcome.tests.first { $0.name == "gone" }!.note == "only in the stored results")
        #expect(!outcome.passed)
        #expect(RegressionCheck.isComparedYear(t: 30, finalT: 35) && RegressionCheck.isComparedYear(t: 35, finalT: 35))
        #expect(!RegressionCheck.isComparedYear(t: 0, finalT: 35) && !RegressionCheck.isComparedYear(t: 15, finalT: 35))
    }

    // MARK: bad input

    @Test func badReferencesAndArgumentsAreUsageErrors() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func check(_ arguments: [String]) -> CLI.Outcome { CLI.run(["check"] + arguments + ["--quiet"]) }

        var outcome = check([Self.scenario])
        #expect(outcome.status == ExitCode.usage && outcome.stderr.contains("check needs --against RESULT_DIR"))
        outcome = check([Self.scenario, "--against", dir.appendingPathComponent("nothing").path])
        #expect(outcome.status == ExitCode.usage && outcome.stderr.contains("no such folder"))
        outcome = check([Self.scenario, "--against", dir.path])
        #expect(outcome.status == ExitCode.usage && outcome.stderr.contains("has no summary.json"))

        try CLI.write("{\"final\": {}}", to: dir.appendingPathComponent("summary.json"))
        outcome = check([Self.scenario, "--against", dir.path])
        #expect(outcome.status == ExitCode.usage && outcome.stderr.contains("summary.json is not a pva summary"), "\(outcome.stderr)")

        let reference = dir.appendingPathComponent("reference")
        run(Self.scenario, reference, ["--replicates", "10", "--years", "10"])
        let summary = reference.appendingPathComponent("summary.json")
        let text = try String(contentsOf: summary, encoding: .utf8)
        try CLI.write(text.replacingOccurrences(of: "\"replicates\": 10,", with: "\"replicates\": 2.5,"), to: summary)
        outcome = check([Self.scenario, "--against", reference.path])
        #expect(outcome.status == ExitCode.usage)
        #expect(outcome.stderr.contains("\(summary.path): provenance.replicates: expected a whole number from 1 to 100000000 (got 2.5)"), "\(outcome.stderr)")
        try CLI.write(text.replacingOccurrences(of: "\"PE\": 0.000000", with: "\"PE\": \"none\""), to: summary)
        outcome = check([Self.scenario, "--against", reference.path])
        #expect(outcome.stderr.contains("\(summary.path): final.PE: expected a number (got \"none\")"), "\(outcome.stderr)")
        try CLI.write(text, to: summary)

        let yearly = reference.appendingPathComponent("yearly.csv")
        let table = try String(contentsOf: yearly, encoding: .utf8)
        var lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: "2027,2,", with: "2027,two,")
        try CLI.write(lines.joined(separator: "\n"), to: yearly)
        outcome = check([Self.scenario, "--against", reference.path])
        #expect(outcome.status == ExitCode.usage)
        #expect(outcome.stderr.contains("\(yearly.path): line 4, column t: expected a whole number (got 'two')"), "\(outcome.stderr)")
        try CLI.write(table, to: yearly)

        outcome = check([TestSupport.scenarios.appendingPathComponent("amur-calibration.json").path, "--against", reference.path])
        #expect(outcome.status == ExitCode.usage && outcome.stderr.contains("is a calibration study"))
        outcome = check([Self.scenario, "--against", reference.path, "--seed", "x"])
        #expect(outcome.status == ExitCode.usage && outcome.stderr.contains("--seed must be a whole number"))
        outcome = check([Self.scenario, "--against", reference.path])
        #expect(outcome.status == 0, "the reference is intact again: \(outcome.stderr)")
    }
}

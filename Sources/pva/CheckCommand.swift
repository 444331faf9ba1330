import Foundation
import PVAKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `pva check SCENARIO --against RESULT_DIR`: a regression check. The scenario is run
/// again as the stored results were made (the seed, replicates, years and overrides their
/// provenance records) into a temporary folder, and compared with them: byte for byte when
/// the engine version, the platform and the scenario are the same, else statistic by
/// statistic within Monte Carlo error (`RegressionCheck`). RESULT_DIR is only read.
enum CheckCommand {
    static var help: String { """
    Usage: pva check SCENARIO --against RESULT_DIR [--statistical] [--seed S] [--threads J] [--quiet]

    Runs SCENARIO again as the results in RESULT_DIR were made — with the seed,
    replicates, years and every --set recorded in RESULT_DIR/summary.json's
    provenance — into a temporary folder (removed afterwards; RESULT_DIR is only
    read), and compares the two.

    Identical bytes: when the engine version, the platform (provenance.platform,
    e.g. \(Provenance.platform)) and the scenario (provenance.scenarioSHA256: the
    resolved scenario and every file it reads) are those of RESULT_DIR, every
    output file must be byte-identical. If one differs the files are listed, the
    statistical comparison below says what moved, and the check fails.

    Within Monte Carlo error: with another engine version or platform, or with
    --statistical or --seed, these statistics are compared:
      yearly.csv, t = 10, 20, ... and the final year: PE, NAllMean, GeneDiversityMean
      summary.json final: PE, NAllMean, NExtantMean, stochasticR
      regions.csv, final year, each region: NMean, PExtinct
      targets.csv, final year, each target: PAtLeast
    A proportion of replicates, p = x/n, by the two-proportion z with the pooled
    p̄ = (x1 + x2)/(n1 + n2):  z = (p2 − p1) / √(p̄(1 − p̄)(1/n1 + 1/n2)).
    A mean over replicates:  z = (m2 − m1) / √(SE1² + SE2²), SE = SD/√n (the
    replicates are independent, so each mean is close to normal; stochastic r
    uses its SE with replicates as clusters). Each z gives a two-sided p-value.
    The K statistics are one family, held to a family-wise error rate α = 0.01
    by Holm–Bonferroni: with the p-values sorted, p(1) ≤ … ≤ p(K), statistic i
    is outside tolerance while p(i) ≤ 0.01/(K − i + 1) (stop at the first that is
    not). A check of an unchanged engine with other random numbers therefore fails
    with probability at most 1 %, however the statistics are correlated. A
    statistic with SE 0 on both sides must be exactly equal; a mean with fewer
    than two replicates behind it on a side is left out.

    Options:
      --against DIR   the results folder to check against (required), e.g.
                      results/reference/amur-leopard
      --statistical   compare the statistics even where identical bytes are
                      expected; required when the scenario changed since RESULT_DIR
                      was written
      --seed S        run with seed S instead of the recorded one (implies
                      --statistical): the engine against the reference with
                      independent random numbers
      --threads J     worker threads (results do not depend on it)
      --quiet         no progress bar

    Exit codes: 0 the check passed (one line says how); 1 it failed (the files
    or the statistics that differ are listed, most significant first, with the
    stored and new values, the difference, z, p and Holm's threshold) or the run
    failed; 2 a usage error, a RESULT_DIR that is not a pva results folder, or a
    scenario that changed since RESULT_DIR was written (without --statistical).

    """ }

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: ["--against", "--seed", "--threads"],
                                  flagOptions: ["--help", "--quiet", "--statistical"], command: "check")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        guard options.positional.count == 1 else {
            throw UsageError(message: options.positional.isEmpty ? "check needs a scenario file and --against RESULT_DIR (see pva check --help)"
                                                                : "check takes one scenario file, got \(options.positional.count)")
        }
        guard let against = options.string("--against") else {
            throw UsageError(message: "check needs --against RESULT_DIR, the results folder to check against (see pva check --help)")
        }
        guard !against.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError(message: "--against is empty (an unset shell variable?); name the results folder, e.g. --against results/reference/amur-leopard")
        }
        let path = options.positional[0]
        let seed = try options.integer("--seed", min: 0, max: Int(ScenarioDecoder.maximumSeed)).map(UInt64.init)
        let settings = try ScenarioRun.Settings(options)
        if CalibrateCommand.isCalibration(path) {
            throw UsageError(message: "\(path) is a calibration study, not a scenario; pva check checks the results of pva run")
        }
        let reference = try StoredResults(against)
        let recorded = reference.recorded
        let summaryPath = StoredResults.join(against, "summary.json")

        // The scenario as the reference ran it: the recorded overrides, in their order.
        guard var prepared = prepare(path, RunOverrides(settings: recorded.overrides), from: summaryPath, console: console) else {
            return ExitCode.usage
        }
        let hash = Provenance(loaded: prepared.loaded, files: prepared.loaded.files).scenarioSHA256
        let sameScenario = hash == recorded.scenarioSHA256
        let statisticalAsked = options.flag("--statistical") || seed != nil
        if !sameScenario && !statisticalAsked {
            throw UsageError(message: "the scenario changed since the reference was written: \(path) with the overrides recorded in \(summaryPath) "
                             + "has SHA-256 \(hash.prefix(12))…, the reference records \(recorded.scenarioSHA256.prefix(12))… "
                             + "(a value, a layer file or a default changed, or the reference is of another scenario), so identical "
                             + "results cannot be expected and nothing was run; regenerate the reference if the change is meant, "
                             + "or give --statistical to compare the statistics anyway")
        }
        let model = prepared.model
        if seed != nil || model.seed != recorded.seed || model.replicates != recorded.replicates || model.years != recorded.years {
            // The scenario's own run settings changed, or another seed is asked for: set the
            // recorded ones (or the seed asked for) explicitly.
            let runPaths: Set<String> = ["run.replicates", "run.years", "run.seed"]
            let overrides = RunOverrides(replicates: recorded.replicates, years: recorded.years, seed: seed ?? recorded.seed,
                                         settings: recorded.overrides.filter { !runPaths.contains($0.path) })
            guard let again = prepare(path, overrides, from: summaryPath, console: console) else { return ExitCode.usage }
            prepared = again
        }

        var reasons: [String] = []
        if options.flag("--statistical") { reasons.append("--statistical given") }
        if let seed { reasons.append("seed \(seed) instead of \(recorded.seed)") }
        if !sameScenario { reasons.append("the scenario changed since the reference was written") }
        if recorded.engineVersion != Provenance.engineVersion {
            reasons.append("engine \(Provenance.engineVersion) here, \(recorded.engineVersion) in the reference")
        }
        if let platform = recorded.platform, platform != Provenance.platform {
            reasons.append("platform \(Provenance.platform) here, \(platform) in the reference")
        } else if recorded.platform == nil {
            reasons.append("the reference records no platform")
        }

        let temporary = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let out = temporary + "/results"
        _ = try ScenarioRun.run(prepared, out: out, settings: settings, console: console,
                                onInterrupt: { try? FileManager.default.removeItem(atPath: temporary) })
        let files = RunReport.files(prepared.model).map(\.name)

        if reasons.isEmpty {
            let differing = differences(files: files, reference: reference, new: out)
            if differing.isEmpty {
                console.out("check passed: \(path) reproduces \(against): identical bytes (\(files.count) files; "
                            + "engine \(Provenance.engineVersion), \(Provenance.platform))\n")
                return ExitCode.success
            }
            console.out("check failed: \(path) does not reproduce \(against) byte for byte, with the same engine "
                        + "\(Provenance.engineVersion), platform \(Provenance.platform) and scenario:\n")
            for line in differing { console.out("  \(line)\n") }
            let outcome = RegressionCheck.compare(stored: reference.statistics, new: try StoredResults(out).statistics)
            let family = "Holm–Bonferroni, family-wise α = \(NumberFormatting.shortest(outcome.alpha))"
            console.out(outcome.passed
                        ? "What moved: no statistic beyond Monte Carlo error (\(outcome.tests.count) compared, \(family)); the closest:\n"
                        : "What moved: \(outcome.failures.count) of \(outcome.tests.count) statistics beyond Monte Carlo error (\(family)):\n")
            console.out(report(outcome))
            console.err("pva: check failed: \(differing.count) of \(files.count) files differ from \(against)\n")
            return ExitCode.failure
        }

        let outcome = RegressionCheck.compare(stored: reference.statistics, new: try StoredResults(out).statistics)
        let family = "Holm–Bonferroni, family-wise α = \(NumberFormatting.shortest(outcome.alpha)); statistical: \(reasons.joined(separator: "; "))"
        let leftOut = outcome.leftOut.isEmpty ? "" : ", \(outcome.leftOut.count) left out with fewer than two replicates"
        if outcome.passed {
            console.out("check passed: \(path) against \(against): \(outcome.tests.count) statistics within tolerance (\(family)\(leftOut))\n")
            return ExitCode.success
        }
        console.out("check failed: \(path) against \(against): \(outcome.failures.count) of \(outcome.tests.count) statistics "
                    + "outside tolerance (\(family)\(leftOut)):\n")
        console.out(report(outcome))
        console.err("pva: check failed: \(outcome.failures.count) of \(outcome.tests.count) statistics differ from \(against) "
                    + "by more than chance allows (most significant: \(outcome.failures[0].name))\n")
        return ExitCode.failure
    }

    /// The scenario prepared with `overrides`; nil (its problems printed) when it no longer
    /// takes them or is not valid.
    private static func prepare(_ path: String, _ overrides: RunOverrides, from summary: String, console: Console) -> ScenarioFile.Prepared? {
        do {
            return try ScenarioFile.prepare(path, overrides: overrides)
        } catch {
            for issue in error.issues { console.err("\(issue)\n") }
            console.err("pva: \(path) cannot be run as \(summary) records it (the overrides: "
                        + (overrides.all.isEmpty ? "none" : overrides.all.map(\.text).joined(separator: " ")) + "); nothing was run\n")
            return nil
        }
    }

    /// A new folder for the check's own results, in the system's temporary folder ($TMPDIR).
    private static func makeTemporaryFolder() throws -> String {
        var base = FileManager.default.temporaryDirectory.path
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/pva-check-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw RuntimeFailure(message: "cannot create a temporary folder in \(base) for the check's results: \(FileSystem.lastError())")
        }
        return String(cString: made)
    }

    /// The output files that are not byte-identical, one line each: missing on one side, or
    /// where the first difference is.
    static func differences(files: [String], reference: StoredResults, new: String) -> [String] {
        var names = files
        for name in reference.listedFiles ?? [] where !names.contains(name) { names.append(name) }
        var lines: [String] = []
        for name in names {
            let stored = try? FileSystem.read(StoredResults.join(reference.folder, name))
            let fresh = files.contains(name) ? try? FileSystem.read(StoredResults.join(new, name)) : nil
            switch (stored, fresh) {
            case (nil, nil): continue
            case (nil, _): lines.append("\(name): not in \(reference.folder) (this run writes it)")
            case (_, nil): lines.append("\(name): in \(reference.folder), but this run does not write it")
            case (let a?, let b?):
                guard a != b else { continue }
                var line = 1
                var i = 0
                while i < a.count && i < b.count && a[i] == b[i] {
                    if a[i] == UInt8(ascii: "\n") { line += 1 }
                    i += 1
                }
                lines.append("\(name): differs from line \(line) on (\(a.count) bytes stored, \(b.count) new)")
            }
        }
        return lines
    }

    /// The tests outside tolerance, then the three closest within it, as an aligned table.
    static func report(_ outcome: RegressionCheck.Outcome) -> String {
        func value(_ v: Double?) -> String {
            guard let v else { return "–" }
            let magnitude = abs(v)
            return NumberFormatting.fixed(v, decimals: magnitude >= 100 ? 2 : magnitude >= 1 ? 4 : 6)
        }
        func p(_ x: Double) -> String {
            x == 0 ? "0" : x >= 0.001 ? NumberFormatting.fixed(x, decimals: 4) : String(format: "%.1e", x)
        }
        func row(_ t: RegressionCheck.Test) -> [String] {
            [t.name, value(t.stored), value(t.new), value(t.difference), t.z.map { NumberFormatting.fixed($0, decimals: 2) } ?? "–",
             p(t.p), p(t.threshold), t.outside ? "OUTSIDE" : "within"] + (t.note.map { [$0] } ?? [])
        }
        let closest = outcome.tests.filter { !$0.outside }.prefix(3)
        let rows = [["statistic", "stored", "new", "difference", "z", "p", "Holm p ≤", ""]]
            + outcome.failures.map(row) + closest.map(row)
        var widths = [Int](repeating: 0, count: 8)
        for r in rows { for (i, cell) in r.prefix(8).enumerated() { widths[i] = max(widths[i], cell.count) } }
        var text = ""
        for (k, r) in rows.enumerated() {
            if k == outcome.failures.count + 1 && !closest.isEmpty && !outcome.failures.isEmpty { text += "  (closest within tolerance:)\n" }
            var line = "  "
            for (i, cell) in r.enumerated() {
                let pad = i < 8 ? String(repeating: " ", count: widths[i] - cell.count) : ""
                line += i == 0 ? cell + pad : "  " + pad + cell
            }
            text += line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        return text
    }
}

import Foundation
import PVAKit

/// `pva run-set DIR|SCENARIO...`: every scenario of a set run as `pva run` runs
/// it (`ScenarioRun`), each into its own results folder, with the same options
/// for all. Nothing runs unless every file validates and every folder may be
/// written.
enum RunSetCommand {
    static var help: String { """
    Usage: pva run-set DIR|SCENARIO... [options]

    Runs every scenario of a set, one after the other, each into its own
    results folder. A folder stands for every *.json file below it, in the
    order of their paths (hidden entries and results folders are passed over).
    A calibration file (one with "observations") or a sensitivity study (one
    with "design") is listed as skipped: run it with pva calibrate or pva
    sensitivity. Every other file is first validated as pva run
    validates it; if any is not a valid scenario, its problems are listed and
    nothing runs (exit 2).

    Options (as for pva run, applied to every scenario):
      --out DIR          results root (default: results/); a scenario's folder is
                         DIR/<its path below the folder argument without .json>,
                         or DIR/<file name without .json> for a file argument
      --replicates N     replicates (overrides each run.replicates)
      --years T          years to simulate (overrides each run.years)
      --seed S           master seed for every scenario (default: each its own run.seed)
      --set PATH=VALUE   replace a single value in every scenario (repeatable)
      --threads J        worker threads (default: min(cores, replicates)); results do not depend on it
      --quiet            no progress bar
      --check-invariants check the population and territories after every stage (slow)
      --compare NAME     then compare every scenario of the set with NAME (a scenario's
                         folder name as the progress lines show it, e.g. amur-leopard)
                         into DIR/comparison/ (see pva compare --help)

    Each results folder follows pva run's rules (see pva run --help); all are
    checked before the first scenario runs, and no two scenarios may share a
    folder or have one inside the other's. A line per scenario gives P(E) and
    mean N at the horizon as it finishes. A run that fails stops the set; the
    folders already written stay.

    """ }

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: ScenarioRun.valueOptions.union(["--compare"]), repeatableOptions: ScenarioRun.repeatableOptions,
                                  flagOptions: ScenarioRun.flagOptions, command: "run-set")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        guard !options.positional.isEmpty else {
            throw UsageError(message: "run-set needs scenario files or folders (see pva run-set --help)")
        }
        let overrides = try RunCommand.overridesOption(options)
        let settings = try ScenarioRun.Settings(options)
        let root = options.string("--out") ?? "results"
        guard !root.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError(message: "--out is empty (an unset shell variable?); name the folder for the results, e.g. --out results/")
        }
        let set = try ScenarioSet(options.positional, root: root)
        let baseline = options.string("--compare")
        if let baseline, !set.members.contains(where: { $0.name == baseline }) {
            throw UsageError(message: "--compare \(baseline) is not a scenario of the set (its names: \(set.members.map(\.name).joined(separator: ", ")))")
        }

        // Every file validated before anything runs; calibration and sensitivity studies set aside.
        var members: [ScenarioSet.Member] = []
        var prepared: [ScenarioFile.Prepared?] = []
        var calibrations = 0, studies = 0, invalid = 0
        for member in set.members {
            if CalibrateCommand.isCalibration(member.path) {
                console.out("\(member.path): skipped: calibration study (run it with pva calibrate)\n")
                calibrations += 1
                continue
            }
            if SensitivityCommand.isStudy(member.path) {
                console.out("\(member.path): skipped: sensitivity study (run it with pva sensitivity)\n")
                studies += 1
                continue
            }
            do {
                prepared.append(try ScenarioFile.prepare(member.path, overrides: overrides))
                members.append(member)
            } catch {
                invalid += 1
                for issue in error.issues { console.err("\(issue)\n") }
            }
        }
        if invalid > 0 {
            console.err("pva: \(invalid) of \(count(set.members.count - calibrations - studies, "scenario file")) not valid; nothing was run\n")
            return ExitCode.usage
        }
        guard !members.isEmpty else { throw UsageError(message: "the set holds no scenario to run, only calibration and sensitivity studies") }
        guard checkFolders(members, inputs: prepared.map { $0!.inputs }, console: console) else { return ExitCode.usage }
        // The root and the folders that will hold results folders, created now so that a file in
        // the way stops the set before it starts.
        do {
            try FileSystem.makeDirectories(root)
        } catch {
            throw RuntimeFailure(message: "cannot create the results root \(root): \(error); nothing was run")
        }
        for member in members {
            do {
                try FileSystem.makeDirectories((member.out as NSString).deletingLastPathComponent)
            } catch {
                throw RuntimeFailure(message: "cannot create the folder holding \(member.out): \(error); nothing was run")
            }
        }

        let start = Date()
        for (k, member) in members.enumerated() {
            let began = Date()
            let report: RunReport
            do {
                report = try ScenarioRun.run(prepared[k]!, out: member.out, settings: settings, console: console)
            } catch {
                let stopped = "; stopped after \(k) of \(count(members.count, "scenario")) (finished folders stay, the rest did not run)"
                if let usage = error as? UsageError { throw UsageError(message: "\(member.name) (\(member.path)): \(usage.message)\(stopped)") }
                throw RuntimeFailure(message: "\(member.name) (\(member.path)) failed: \(error)\(stopped)")
            }
            prepared[k] = nil  // its model is no longer needed
            let final = report.summary.final
            func f(_ v: Double?, _ d: Int) -> String { v.map { NumberFormatting.fixed($0, decimals: d) } ?? "–" }
            console.out("[\(k + 1)/\(members.count)] \(member.name): P(E) \(f(final.extinct.estimate, 3)), mean N \(f(final.nAll.mean, 0)) "
                        + "(\(f(Date().timeIntervalSince(began), 1)) s) -> \(ScenarioRun.shown(member.out))\n")
        }
        let total = NumberFormatting.fixed(Date().timeIntervalSince(start), decimals: 1)
        console.out("ran \(count(members.count, "scenario")) in \(total) s"
                    + skippedText(calibrations: calibrations, studies: studies) + "\n")
        if let baseline {
            let ordered = members.filter { $0.name == baseline } + members.filter { $0.name != baseline }
            try CompareCommand.write(folders: ordered.map(\.out), names: ordered.map(\.name), out: root + "/comparison", console: console)
        }
        return ExitCode.success
    }

    /// Checks every results folder before anything runs: `ResultsFolder`'s refusals, and no
    /// two scenarios with the same folder or one inside the other's (a run replaces its folder
    /// whole). Prints each problem; true when there is none.
    static func checkFolders(_ members: [ScenarioSet.Member], inputs: [[String]], console: Console) -> Bool {
        var problems: [String] = []
        var checked: [(path: String, member: ScenarioSet.Member)] = []
        for (member, inputs) in zip(members, inputs) {
            let path: String
            do {
                path = try ResultsFolder.check(member.out, inputs: inputs)
            } catch {
                problems.append("\(member.path): \(error.description)")
                continue
            }
            for other in checked {
                if other.path == path {
                    problems.append("\(other.member.path) and \(member.path) would both write \(member.out); run them in separate sets or with different --out")
                } else if path.hasPrefix(other.path + "/") || other.path.hasPrefix(path + "/") {
                    let (inner, outer) = path.hasPrefix(other.path + "/") ? (member, other.member) : (other.member, member)
                    problems.append("the results of \(inner.path) (\(inner.out)) would lie inside those of \(outer.path) (\(outer.out)), "
                                    + "which a run replaces whole; rename one of the two")
                }
            }
            checked.append((path, member))
        }
        for problem in problems { console.err("pva: \(problem)\n") }
        if !problems.isEmpty { console.err("pva: nothing was run\n") }
        return problems.isEmpty
    }

    /// "1 scenario", "3 scenarios".
    /// "; skipped 1 calibration study, 2 sensitivity studies" (empty when nothing was skipped).
    static func skippedText(calibrations: Int, studies: Int) -> String {
        var parts: [String] = []
        if calibrations > 0 { parts.append(count(calibrations, "calibration study", plural: "calibration studies")) }
        if studies > 0 { parts.append(count(studies, "sensitivity study", plural: "sensitivity studies")) }
        return parts.isEmpty ? "" : "; skipped " + parts.joined(separator: ", ")
    }

    static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
    }
}

import Foundation
import PVAKit

enum RunCommand {
    static var help: String { """
    Usage: pva run SCENARIO [options]

    Runs every replicate of SCENARIO and writes the results folder.

    Options:
      --replicates N     replicates (overrides run.replicates)
      --years T          years to simulate (overrides run.years)
      --seed S           master seed, 0 to 2^53−1 (overrides run.seed)
      --set PATH=VALUE   replace any single value of the scenario, e.g.
                         --set threats.poaching.probability=0.05 or
                         --set species.mortality[2].female=0.1 (repeatable;
                         validated like the file and listed in the provenance)
      --threads J        worker threads (default: min(cores, replicates)); results do not depend on it
      --out DIR          results folder (default: results/<scenario file name without .json>/)
      --quiet            no progress bar
      --check-invariants check the population and territories after every stage
                         (slow; stops with a message at the first violation)

    pva writes only into a folder it creates or one it wrote before (marked by
    a .pva-results file); it refuses the working directory, folders above it,
    folders holding the scenario or its layers, and any other existing folder.
    The folder is replaced in one atomic step when the run is complete. It holds
    \(RunReport.fileList(spatial: false)); a spatial run adds
    \(RunReport.fileList(spatial: true, onlySpatial: true)) (see README).

    """ }

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: ScenarioRun.valueOptions, repeatableOptions: ScenarioRun.repeatableOptions,
                                  flagOptions: ScenarioRun.flagOptions, command: "run")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        guard options.positional.count == 1 else {
            throw UsageError(message: options.positional.isEmpty ? "run needs a scenario file (see pva run --help)"
                                                                : "run takes one scenario file, got \(options.positional.count)")
        }
        let path = options.positional[0]
        let overrides = try overridesOption(options)
        let settings = try ScenarioRun.Settings(options)
        let prepared: ScenarioFile.Prepared
        do {
            prepared = try ScenarioFile.prepare(path, overrides: overrides)
        } catch {
            for issue in error.issues { console.err("\(issue)\n") }
            return ExitCode.usage
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let out = options.string("--out") ?? "results/\(stem)"
        let report = try ScenarioRun.run(prepared, out: out, settings: settings, console: console)
        console.out(report.textSummary)
        console.out("  results: \(ScenarioRun.shown(out))\n")
        return ExitCode.success
    }

    /// `--replicates`, `--years`, `--seed` and every `--set`.
    static func overridesOption(_ options: Options) throws -> RunOverrides {
        var settings: [RunOverrides.Setting] = []
        for text in options.strings("--set") {
            guard let setting = RunOverrides.Setting(argument: text) else {
                throw UsageError(message: "--set needs PATH=VALUE, e.g. --set threats.poaching.probability=0.05 (got '\(text)')")
            }
            settings.append(setting)
        }
        return RunOverrides(
            replicates: try options.integer("--replicates", min: 1, max: 100_000_000),
            years: try options.integer("--years", min: 1, max: 100_000),
            seed: try options.integer("--seed", min: 0, max: Int(ScenarioDecoder.maximumSeed)).map(UInt64.init),
            settings: settings)
    }
}

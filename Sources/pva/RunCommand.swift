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
      --out DIR          results folder (default: results/<scenario file name without .json>/);
                         with --shard, the folder the shard file is written into
                         (default: results/<scenario file name without .json>-shards/)
      --shard K/N        run only part K of N of the replicates (0 ≤ K < N) and write
                         a shard file shard-K-of-N.pva-shard; pva merge makes the
                         results folder of all N parts, byte-identical to one run
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
        let options = try Options(arguments, valueOptions: ScenarioRun.valueOptions.union(["--shard"]),
                                  repeatableOptions: ScenarioRun.repeatableOptions, flagOptions: ScenarioRun.flagOptions, command: "run")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        let request = try Request(options)
        let settings = try ScenarioRun.Settings(options)
        let shard = try options.string("--shard").map { text throws(UsageError) in try ShardSpec(parsing: text) }
        let prepared: ScenarioFile.Prepared
        do {
            prepared = try ScenarioFile.prepare(request.path, overrides: request.overrides)
        } catch {
            for issue in error.issues { console.err("\(issue)\n") }
            return ExitCode.usage
        }
        let stem = URL(fileURLWithPath: request.path).deletingPathExtension().lastPathComponent
        if let shard {
            let out = options.string("--out") ?? "results/\(stem)-shards"
            let file = try RunShard.run(prepared, arguments: request.arguments, spec: shard, out: out, settings: settings, console: console)
            let range = shard.range(of: prepared.model.replicates)
            let held = range.isEmpty ? "no replicates" : "replicates \(range.lowerBound)…\(range.upperBound - 1)"
            console.out("shard \(shard.index) of \(shard.count): \(held) of \(prepared.model.replicates)\n")
            console.out("  shard file: \(file)\n")
            return ExitCode.success
        }
        let out = options.string("--out") ?? "results/\(stem)"
        let report = try ScenarioRun.run(prepared, out: out, settings: settings, console: console)
        console.out(report.textSummary)
        console.out("  results: \(ScenarioRun.shown(out))\n")
        return ExitCode.success
    }

    /// What to run: the scenario file and the options that change the scenario, and the
    /// same as arguments in a fixed order (stored in shard files for `pva merge`).
    struct Request {
        var path: String
        var overrides: RunOverrides
        var arguments: [String]

        init(_ options: Options) throws {
            guard options.positional.count == 1 else {
                throw UsageError(message: options.positional.isEmpty ? "run needs a scenario file (see pva run --help)"
                                                                    : "run takes one scenario file, got \(options.positional.count)")
            }
            path = options.positional[0]
            overrides = try overridesOption(options)
            arguments = [path]
            for name in ["--replicates", "--years", "--seed"] {
                if let value = options.string(name) { arguments += [name, value] }
            }
            for setting in options.strings("--set") { arguments += ["--set", setting] }
        }

        /// The request a shard file's arguments name.
        init(arguments: [String]) throws {
            let options = try Options(arguments, valueOptions: ["--replicates", "--years", "--seed"],
                                      repeatableOptions: ScenarioRun.repeatableOptions, flagOptions: [], command: "merge")
            try self.init(options)
        }
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

import Foundation
import PVAKit

enum RunCommand {
    static let help = """
    Usage: pva run SCENARIO [options]

    Runs every replicate of SCENARIO and writes the results folder.

    Options:
      --replicates N   replicates (overrides run.replicates)
      --years T        years to simulate (overrides run.years)
      --seed S         master seed, 0 to 2^53−1 (overrides run.seed)
      --threads J      worker threads (default: min(cores, replicates)); results do not depend on it
      --out DIR        results folder (default: results/<scenario file name without .json>/)
      --quiet          no progress bar

    The folder is replaced atomically and holds summary.json, yearly.csv,
    classes.csv, replicates.csv and trajectories.csv (see README).

    """

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: ["--replicates", "--years", "--seed", "--threads", "--out"],
                                  flagOptions: ["--help", "--quiet"], command: "run")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        guard options.positional.count == 1 else {
            throw UsageError(message: options.positional.isEmpty ? "run needs a scenario file (see pva run --help)"
                                                                : "run takes one scenario file, got \(options.positional.count)")
        }
        let path = options.positional[0]
        let overrides = RunOverrides(
            replicates: try options.integer("--replicates", min: 1, max: 100_000_000),
            years: try options.integer("--years", min: 1, max: 100_000),
            seed: try options.integer("--seed", min: 0, max: Int(ScenarioDecoder.maximumSeed)).map(UInt64.init))
        let threadsOption = try options.integer("--threads", min: 1, max: 4096)
        let loaded: LoadedScenario
        do {
            loaded = try ScenarioFile.load(path, overrides: overrides)
        } catch {
            for issue in error.issues { console.err("\(issue)\n") }
            return ExitCode.usage
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let outDirectory = URL(fileURLWithPath: options.string("--out") ?? "results/\(stem)")

        let model = EngineModel(scenario: loaded.scenario)
        let replicates = loaded.scenario.run.replicates
        let threads = threadsOption ?? min(MonteCarlo.defaultThreads, replicates)
        let progress = ProgressBar(total: replicates, console: console, enabled: !options.flag("--quiet"))
        let result = MonteCarlo.run(model, threads: threads, progress: { progress.tick() })
        progress.finish()
        let report = RunReport(result: result, provenance: Provenance(loaded: loaded, files: loaded.files), threads: threads)
        try ResultsWriter.write(report.files.map { (name: $0.name, data: Data($0.text.utf8)) }, to: outDirectory)
        console.out(report.textSummary)
        console.out("  results: \(outDirectory.relativePath)/\n")
        return ExitCode.success
    }
}

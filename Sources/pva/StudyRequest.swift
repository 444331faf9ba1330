import Foundation
import PVAKit

/// What a study command (`pva calibrate`, `pva sensitivity`) runs: its file and the options
/// that change the result, and the same as arguments in a fixed order (stored in shard
/// files, from which `pva merge` prepares the study again).
struct StudyRequest {
    var path: String
    var draws: Int?
    var replicates: Int?
    var arguments: [String]

    /// Options that change a study's result.
    static let resultOptions = ["--draws", "--replicates"]

    init(_ options: Options, command: String) throws {
        let file = command == "calibrate" ? "calibration file" : "study file"
        guard options.positional.count == 1 else {
            throw UsageError(message: options.positional.isEmpty ? "\(command) needs a \(file) (see pva \(command) --help)"
                                                                : "\(command) takes one \(file), got \(options.positional.count)")
        }
        path = options.positional[0]
        draws = try options.integer("--draws", min: 2, max: 1_000_000)
        replicates = try options.integer("--replicates", min: 1, max: 100_000)
        arguments = [path]
        for name in Self.resultOptions {
            if let value = options.string(name) { arguments += [name, value] }
        }
    }

    /// The request a shard file's arguments name.
    init(arguments: [String]) throws {
        try self.init(try Options(arguments, valueOptions: Set(Self.resultOptions), flagOptions: [], command: "merge"), command: "merge")
    }

    /// The file as it is (`pva validate`).
    init(path: String) {
        self.path = path
        arguments = [path]
    }
}

/// A study command's options (`pva calibrate`, `pva sensitivity`): what to run, and how.
struct StudyOptions {
    static let valueOptions: Set<String> = ["--draws", "--replicates", "--threads", "--out", "--shard"]
    var request: StudyRequest
    var threads: Int
    var shard: ShardSpec?
    var quiet: Bool
    /// The results folder, or with `--shard` the folder of the shard file.
    var out: String

    /// The options of `arguments`, or nil once `--help` has printed `help`.
    static func parse(_ arguments: [String], command: String, help: String, console: Console) throws -> StudyOptions? {
        let options = try Options(arguments, valueOptions: valueOptions, flagOptions: ["--help", "--quiet"], command: command)
        if options.flag("--help") {
            console.out(help)
            return nil
        }
        let request = try StudyRequest(options, command: command)
        let shard = try options.string("--shard").map { text throws(UsageError) in try ShardSpec(parsing: text) }
        let stem = URL(fileURLWithPath: request.path).deletingPathExtension().lastPathComponent
        return StudyOptions(request: request, threads: try options.integer("--threads", min: 1, max: 4096) ?? MonteCarlo.defaultThreads,
                            shard: shard, quiet: options.flag("--quiet"),
                            out: options.string("--out") ?? (shard == nil ? "results/\(stem)" : "results/\(stem)-shards"))
    }

    /// `--shard K/N`: runs the shard's draws (`draws` of a range, ticking the progress bar) and
    /// writes its shard file; a problem with a draw's scenario is printed (exit 2).
    func runShard<Draw: Encodable>(_ shard: ShardSpec, kind: String, inputSHA256: String, seed: UInt64, total: Int, console: Console,
                                   draws run: (Range<Int>, @escaping @Sendable () -> Void) throws(ScenarioErrors) -> [Draw]) throws -> Int32 {
        let range = shard.range(of: total)
        let progress = ProgressBar(total: range.count, console: console, enabled: !quiet, unit: "draws")
        let draws: [Draw]
        do {
            draws = try run(range, { progress.tick() })
        } catch {
            progress.finish()
            for issue in error.issues { console.err("\(issue)\n") }
            return ExitCode.usage
        }
        progress.finish()
        let file = try StudyShard.write(kind: kind, inputSHA256: inputSHA256, seed: seed, spec: shard, total: total,
                                        arguments: request.arguments, out: out, draws: draws)
        let held = range.isEmpty ? "no draws" : "draws \(range.lowerBound)…\(range.upperBound - 1)"
        console.out("shard \(shard.index) of \(shard.count): \(held) of \(total)\n")
        console.out("  shard file: \(file)\n")
        return ExitCode.success
    }

    /// Without `--shard`: claims the results folder (`inputs`: files it must not overwrite),
    /// runs the whole study with a progress bar of `steps` ticks (the folder removed on an
    /// error or Ctrl-C), `write`s the folder and prints `write`'s summary and where it is; a
    /// problem with a draw's scenario is printed (exit 2).
    func runWhole<Result>(inputs: [String], steps: Int, console: Console,
                          study run: (_ threads: Int, _ tick: @escaping @Sendable () -> Void) throws(ScenarioErrors) -> Result,
                          write: (Result, ResultsFolder) throws -> String) throws -> Int32 {
        let folder = try ResultsFolder.claimForCommand(out, inputs: inputs)
        let progress = ProgressBar(total: steps, console: console, enabled: !quiet, unit: "draws")
        let interrupt = Interrupt.cleanUp(folder)
        let result: Result
        do {
            result = try run(threads, { progress.tick() })
        } catch {
            progress.finish()
            folder.abandon()
            for issue in error.issues { console.err("\(issue)\n") }
            return ExitCode.usage
        }
        progress.finish()
        let summary = try write(result, folder)
        interrupt.cancel()
        console.out(summary)
        console.out("  results: \(ScenarioRun.shown(out))\n")
        return ExitCode.success
    }
}

import Foundation
import PVAKit

/// One prepared scenario run into one results folder: the body `pva run` and
/// `pva run-set` share. It claims the folder (refusing, before any simulation,
/// what `ResultsFolder` refuses), runs every replicate with the per-replicate
/// files streamed into the staging folder, writes the other files and puts
/// the folder in place in one step. On a failure or Ctrl-C the staging folder
/// is removed and the previous results stay as they were.
enum ScenarioRun {
    /// The options `run` and `run-set` share, by kind (for `Options`).
    static let valueOptions: Set<String> = ["--replicates", "--years", "--seed", "--threads", "--out"]
    static let repeatableOptions: Set<String> = ["--set"]
    static let flagOptions: Set<String> = ["--help", "--quiet", "--check-invariants"]

    /// How to run, whatever the scenario: `--threads`, `--quiet` and `--check-invariants`
    /// (the options that change the scenario are `RunOverrides`).
    struct Settings {
        /// Worker threads; nil: `min(cores, replicates)` for each scenario.
        var threads: Int?
        var quiet: Bool
        var checkInvariants: Bool

        init(_ options: Options) throws {
            threads = try options.integer("--threads", min: 1, max: 4096)
            quiet = options.flag("--quiet")
            checkInvariants = options.flag("--check-invariants")
        }

        /// The worker threads for `replicates` replicates.
        func threads(_ replicates: Int) -> Int { threads ?? min(MonteCarlo.defaultThreads, max(1, replicates)) }
    }

    /// Runs `prepared` into the results folder `out` and returns its report (for the caller
    /// to print). A refusal of the folder is a `UsageError` (a `RuntimeFailure` when the file
    /// system fails); any other error is thrown as it comes, after the staging folder is removed.
    /// `onInterrupt` runs on Ctrl-C after the staging folder is removed (a caller's own
    /// temporary files).
    static func run(_ prepared: ScenarioFile.Prepared, out: String, settings: Settings, console: Console,
                    onInterrupt: (@Sendable () -> Void)? = nil) throws -> RunReport {
        let folder = try ResultsFolder.claimForCommand(out, inputs: prepared.inputs)
        return try write(prepared, into: folder, onInterrupt: onInterrupt) { writer in
            let model = prepared.model
            let options = MonteCarlo.Options(threads: settings.threads(model.replicates), checkInvariants: settings.checkInvariants)
            let progress = ProgressBar(total: model.replicates, console: console, enabled: !settings.quiet)
            let result = MonteCarlo.run(model, options: options, sink: writer, progress: { progress.tick() })
            progress.finish()
            // A translocation's cost to its source: the same run without the removals.
            let without = model.withoutTranslocations.map { MonteCarlo.run($0, options: options) }
            return (result, without)
        }
    }

    /// Fills the claimed `folder` with a run's results and puts it in place: `produce` streams
    /// every replicate, in any order, to the per-replicate files' writer and returns the run's
    /// statistics (and those of the run without translocations); the report's other files
    /// follow. `pva run` simulates in `produce`, `pva merge` reads shard files.
    static func write(_ prepared: ScenarioFile.Prepared, into folder: ResultsFolder, onInterrupt: (@Sendable () -> Void)? = nil,
                      produce: (ReplicateFilesWriter) throws -> (RunResult, RunResult?)) throws -> RunReport {
        do {
            let model = prepared.model
            let interrupt = Interrupt.cleanUp(folder, also: onInterrupt)
            let writer = try ReplicateFilesWriter(tables: ReplicateTables(model: model), folder: folder)
            let (result, without) = try produce(writer)
            try writer.close()
            let report = RunReport(result: result, provenance: Provenance(loaded: prepared.loaded, files: prepared.loaded.files),
                                   withoutTranslocations: without)
            for file in RunReport.files(model) where !file.perReplicate { try folder.write(file.name, report.text(of: file)) }
            try folder.commit(files: RunReport.files(model).map(\.name))
            interrupt.cancel()
            return report
        } catch {
            folder.abandon()
            throw error
        }
    }

    /// A results folder as the console shows it: as given, ending in "/".
    static func shown(_ out: String) -> String { out.hasSuffix("/") ? out : out + "/" }
}

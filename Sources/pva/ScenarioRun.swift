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
    }

    /// Runs `prepared` into the results folder `out` and returns its report (for the caller
    /// to print). A refusal of the folder is a `UsageError` (a `RuntimeFailure` when the file
    /// system fails); any other error is thrown as it comes, after the staging folder is removed.
    /// `onInterrupt` runs on Ctrl-C after the staging folder is removed (a caller's own
    /// temporary files).
    static func run(_ prepared: ScenarioFile.Prepared, out: String, settings: Settings, console: Console,
                    onInterrupt: (@Sendable () -> Void)? = nil) throws -> RunReport {
        let folder: ResultsFolder
        do {
            folder = try ResultsFolder.claim(out, inputs: prepared.inputs)
        } catch {
            if error.isFailure { throw RuntimeFailure(message: error.description) }
            throw UsageError(message: error.description)
        }
        do {
            let model = prepared.model
            let replicates = model.replicates
            let threads = settings.threads ?? min(MonteCarlo.defaultThreads, replicates)
            let progress = ProgressBar(total: replicates, console: console, enabled: !settings.quiet)
            let interrupt = Interrupt.cleanUp(folder, also: onInterrupt)
            let writer = try ReplicateFilesWriter(tables: ReplicateTables(model: model), folder: folder)
            let result = MonteCarlo.run(model, options: MonteCarlo.Options(threads: threads, checkInvariants: settings.checkInvariants),
                                        sink: writer, progress: { progress.tick() })
            progress.finish()
            try writer.close()
            // A translocation's cost to its source: the same run without the removals.
            let without = model.withoutTranslocations.map {
                MonteCarlo.run($0, options: MonteCarlo.Options(threads: threads, checkInvariants: settings.checkInvariants))
            }
            let report = RunReport(result: result, provenance: Provenance(loaded: prepared.loaded, files: prepared.loaded.files),
                                   withoutTranslocations: without)
            for file in RunReport.files(model) where !file.perReplicate {
                let out = try OutputFile(folder.stagingFile(file.name))
                out.write(report.text(of: file))
                try out.close()
            }
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

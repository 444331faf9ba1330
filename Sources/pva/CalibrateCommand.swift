import Foundation
import PVAKit

/// `pva calibrate FILE`: approximate Bayesian computation against observed counts
/// (`Calibration`), writing the posterior and its charts into a results folder.
enum CalibrateCommand {
    static var help: String { """
    Usage: pva calibrate CALIBRATION [options]

    Draws parameter sets from the calibration file's prior ranges (Latin
    hypercube), runs its hindcast scenario with each (replicatesPerDraw
    replicates), scores every draw against the observations, and keeps the
    best acceptFraction as the posterior (see README, "Calibration").

    Options:
      --draws N          draws (overrides the file's "draws")
      --replicates N     replicates per draw (overrides "replicatesPerDraw")
      --threads J        worker threads (default: all cores); results do not depend on it
      --out DIR          results folder (default: results/<file name without .json>/);
                         with --shard, the folder the shard file is written into
                         (default: results/<file name without .json>-shards/)
      --shard K/N        run only part K of N of the draws (0 ≤ K < N) and write a
                         shard file; pva merge scores them all, runs the accepted
                         draws again for the hindcast band and writes the folder,
                         byte-identical to one run
      --quiet            no progress bar

    The folder holds \(CalibrationReport.files.joined(separator: ", ")); pva writes
    only into a folder it creates or one it wrote before, as for pva run.

    """ }

    static let kind = "calibration"

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        guard let options = try StudyOptions.parse(arguments, command: "calibrate", help: help, console: console) else {
            return ExitCode.success
        }
        let prepared: Prepared
        do {
            prepared = try prepare(options.request)
        } catch {
            for issue in error.issues { console.err("\(issue)\n") }
            return ExitCode.usage
        }
        let spec = prepared.spec
        if let shard = options.shard {
            return try options.runShard(shard, kind: kind, inputSHA256: prepared.inputSHA256, seed: spec.seed, total: spec.draws,
                                        console: console) { range, tick throws(ScenarioErrors) in
                try Calibration.runDraws(spec, range, threads: options.threads, model: prepared.model, progress: tick)
            }
        }
        return try options.runWhole(inputs: prepared.inputs, steps: spec.draws + spec.accepted, console: console) { threads, tick throws(ScenarioErrors) in
            try Calibration.run(spec, threads: threads, model: prepared.model, progress: tick)
        } write: { result, folder in
            try write(result, prepared: prepared, into: folder)
            return summary(result)
        }
    }

    /// Writes the calibration's files into the claimed `folder` and puts it in place (`pva
    /// calibrate` and `pva merge` both come through here).
    static func write(_ result: Calibration.Result, prepared: Prepared, into folder: ResultsFolder) throws {
        let report = CalibrationReport(result: result, provenance: [
            "engineVersion": Provenance.engineVersion,
            "calibrationSHA256": SHA256.hex(SHA256.hash(prepared.calibrationBytes)),
            "scenarioSHA256": prepared.scenarioSHA256,
        ])
        try folder.complete(with: CalibrationReport.files.map { ($0, report.text(of: $0)) })
    }

    /// `pva merge` of calibration shards: the calibration prepared again from the shards'
    /// arguments (its hash unchanged), every draw read back, the posterior taken and its
    /// accepted draws run again for the hindcast band, as the unsharded command does.
    static func merge(_ shards: [ShardFile.Reader], out: String, console: Console) throws -> String {
        let prepared = try MergeCommand.prepareAgain(shards, what: "calibration") { arguments in
            let p = try prepare(try StudyRequest(arguments: arguments))
            return (p, p.inputSHA256)
        }
        let spec = prepared.spec
        let draws = try StudyShard.read(shards, Calibration.Draw.self, index: \.index)
        guard draws.allSatisfy({ $0.values.count == spec.parameters.count && $0.hits.count == spec.observations.count }) else {
            throw UsageError(message: "the shards do not hold the calibration's parameters and observations per draw")
        }
        let folder = try ResultsFolder.claimForCommand(out, inputs: prepared.inputs)
        let interrupt = Interrupt.cleanUp(folder)
        let result: Calibration.Result
        do {
            result = try Calibration.finish(spec, draws: draws, model: prepared.model)
        } catch {
            folder.abandon()
            throw UsageError(message: error.issues.map(\.description).joined(separator: "\n"))
        }
        try write(result, prepared: prepared, into: folder)
        interrupt.cancel()
        return summary(result)
    }

    /// A calibration file read and checked against its hindcast scenario (`validate` and
    /// `calibrate` both come through here).
    struct Prepared {
        var spec: CalibrationSpec
        var scenarioPath: String
        var base: ScenarioFile.Prepared
        var calibrationBytes: [UInt8] = []
        var scenarioSHA256 = ""
        var inputSHA256 = ""
        /// The calibration file, the hindcast and every file it reads.
        var inputs: [String] = []

        /// Compiles the hindcast with a draw's overrides.
        var model: @Sendable (RunOverrides) throws(ScenarioErrors) -> EngineModel { ScenarioFile.compiler(scenarioPath) }
    }

    static func prepare(_ path: String) throws(ScenarioErrors) -> Prepared {
        let bytes = try ScenarioFile.input(path, what: "calibration file")
        let spec = try CalibrationDecoder.decode(bytes: bytes, file: path)
        let scenarioPath = ScenarioFile.resolve(spec.scenario, in: (path as NSString).deletingLastPathComponent)
        let base = try ScenarioFile.prepare(scenarioPath)
        try CalibrationDecoder.check(spec, file: path, scenario: base.loaded.scenario) { overrides throws(ScenarioErrors) in
            try ScenarioFile.load(scenarioPath, overrides: overrides).scenario
        }
        return Prepared(spec: spec, scenarioPath: scenarioPath, base: base, calibrationBytes: bytes,
                        scenarioSHA256: Provenance(loaded: base.loaded, files: base.loaded.files).scenarioSHA256,
                        inputs: [path] + base.inputs)
    }

    /// `prepare` with the command's --draws and --replicates, and the input hash of the whole.
    static func prepare(_ request: StudyRequest) throws(ScenarioErrors) -> Prepared {
        var prepared = try prepare(request.path)
        if let draws = request.draws { prepared.spec.draws = draws }
        if let replicates = request.replicates { prepared.spec.replicatesPerDraw = replicates }
        prepared.inputSHA256 = StudyShard.inputHash(studyBytes: prepared.calibrationBytes, scenarioSHA256: prepared.scenarioSHA256,
                                                    arguments: request.arguments)
        return prepared
    }

    /// Whether the file at `path` is a calibration file rather than a scenario (a JSON object
    /// with "observations"); false when it cannot be read, which the scenario reader then reports.
    static func isCalibration(_ path: String) -> Bool {
        if case .bytes(_, let bytes) = ScenarioFile.read(path) { return CalibrationDecoder.isCalibration(bytes) }
        return false
    }

    static func summary(_ r: Calibration.Result) -> String {
        var out = "\(r.spec.name.isEmpty ? "calibration" : r.spec.name)\n"
        out += "  \(r.spec.draws) draws × \(r.spec.replicatesPerDraw) replicates, seed \(r.spec.seed); \(r.accepted.count) accepted\n"
        for (p, parameter) in r.spec.parameters.enumerated() {
            let s = r.summary(p)
            out += "  \(parameter.path): prior \(NumberFormatting.shortest(parameter.minimum))–\(NumberFormatting.shortest(parameter.maximum)), "
                + "posterior median \(NumberFormatting.fixed(s.median, decimals: 4)) (90 % \(NumberFormatting.fixed(s.q05, decimals: 4))–\(NumberFormatting.fixed(s.q95, decimals: 4)))\n"
        }
        return out
    }
}

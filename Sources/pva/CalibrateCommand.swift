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
      --out DIR          results folder (default: results/<file name without .json>/)
      --quiet            no progress bar

    The folder holds \(CalibrationReport.files.joined(separator: ", ")); pva writes
    only into a folder it creates or one it wrote before, as for pva run.

    """ }

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: ["--draws", "--replicates", "--threads", "--out"],
                                  repeatableOptions: [], flagOptions: ["--help", "--quiet"], command: "calibrate")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        guard options.positional.count == 1 else {
            throw UsageError(message: options.positional.isEmpty ? "calibrate needs a calibration file (see pva calibrate --help)"
                                                                : "calibrate takes one calibration file, got \(options.positional.count)")
        }
        let path = options.positional[0]
        let draws = try options.integer("--draws", min: 2, max: 1_000_000)
        let replicates = try options.integer("--replicates", min: 1, max: 100_000)
        let threads = try options.integer("--threads", min: 1, max: 4096) ?? MonteCarlo.defaultThreads
        var prepared: Prepared
        do {
            prepared = try prepare(path)
        } catch {
            for issue in error.issues { console.err("\(issue)\n") }
            return ExitCode.usage
        }
        if let draws { prepared.spec.draws = draws }
        if let replicates { prepared.spec.replicatesPerDraw = replicates }
        let (spec, scenarioPath, base) = (prepared.spec, prepared.scenarioPath, prepared.base)
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let out = options.string("--out") ?? "results/\(stem)"
        let folder = try ResultsFolder.claimForCommand(out, inputs: [path] + base.inputs)
        do {
            let progress = ProgressBar(total: spec.draws + spec.accepted, console: console, enabled: !options.flag("--quiet"), unit: "draws")
            let interrupt = Interrupt.cleanUp(folder)
            let result: Calibration.Result
            do {
                result = try Calibration.run(spec, threads: threads, model: { overrides throws(ScenarioErrors) in
                    try EngineModel.compile(try ScenarioFile.load(scenarioPath, overrides: overrides).scenario, file: scenarioPath)
                }, progress: { progress.tick() })
            } catch {
                progress.finish()
                folder.abandon()
                for issue in error.issues { console.err("\(issue)\n") }
                return ExitCode.usage
            }
            progress.finish()
            let calibrationBytes = try FileSystem.read(path)
            let report = CalibrationReport(result: result, provenance: [
                "engineVersion": Provenance.engineVersion,
                "calibrationSHA256": SHA256.hex(SHA256.hash(calibrationBytes)),
                "scenarioSHA256": Provenance(loaded: base.loaded, files: base.loaded.files).scenarioSHA256,
            ])
            for file in CalibrationReport.files {
                let output = try OutputFile(folder.stagingFile(file))
                output.write(report.text(of: file))
                try output.close()
            }
            try folder.commit(files: CalibrationReport.files)
            interrupt.cancel()
            console.out(summary(result))
            console.out("  results: \(out.hasSuffix("/") ? out : out + "/")\n")
            return ExitCode.success
        } catch {
            folder.abandon()
            throw error
        }
    }

    /// A calibration file read and checked against its hindcast scenario (`validate` and
    /// `calibrate` both come through here).
    struct Prepared {
        var spec: CalibrationSpec
        var scenarioPath: String
        var base: ScenarioFile.Prepared
    }

    static func prepare(_ path: String) throws(ScenarioErrors) -> Prepared {
        let spec = try load(path)
        let scenarioPath = ScenarioFile.resolve(spec.scenario, in: (path as NSString).deletingLastPathComponent)
        let base = try ScenarioFile.prepare(scenarioPath)
        try CalibrationDecoder.check(spec, file: path, scenario: base.loaded.scenario) { overrides throws(ScenarioErrors) in
            try ScenarioFile.load(scenarioPath, overrides: overrides).scenario
        }
        return Prepared(spec: spec, scenarioPath: scenarioPath, base: base)
    }

    /// Whether the file at `path` is a calibration file rather than a scenario (a JSON object
    /// with "observations"); false when it cannot be read, which the scenario reader then reports.
    static func isCalibration(_ path: String) -> Bool {
        if case .bytes(_, let bytes) = ScenarioFile.read(path) { return CalibrationDecoder.isCalibration(bytes) }
        return false
    }

    static func load(_ path: String) throws(ScenarioErrors) -> CalibrationSpec {
        switch ScenarioFile.read(path) {
        case .failure(_, let reason):
            throw ScenarioErrors([ScenarioIssue(file: path, path: "", message: "cannot read the calibration file: \(reason)")])
        case .bytes(_, let bytes):
            return try CalibrationDecoder.decode(bytes: bytes, file: path)
        }
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

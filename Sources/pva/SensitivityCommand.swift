import Foundation
import PVAKit

/// `pva sensitivity STUDY`: a one-factor-at-a-time or Latin-hypercube sensitivity study of
/// a scenario (`Sensitivity`), written into a results folder; with `--shard K/N`, part of
/// its draws into a shard file for `pva merge`.
enum SensitivityCommand {
    static let kind = "sensitivity"

    static var help: String { """
    Usage: pva sensitivity STUDY [options]

    Runs a sensitivity study: its scenario with named values set to each draw of
    the design, replicatesPerDraw replicates a draw, every draw from the same seed
    (common random numbers), and ranks the parameters by their effect on each
    outcome at the horizon (see README, "Sensitivity analysis"):
      "design": "oat"  the base run and each parameter at its low and high end,
                       the others at base (1 + 2 × parameters runs); the effect
                       high − low with its Monte Carlo SE
      "design": "lhs"  "draws" points of a Latin hypercube over all ranges;
                       standardised regression coefficients and partial rank
                       correlations with 95 % intervals
    Outcomes: PE (P(extinct by the horizon)), meanN (mean N at the horizon),
    geneDiversity (with genetics), secondPopulation (with targets: P(at least
    the threshold in the first target region in the targets' first year)).

    Options:
      --draws N          LHS draws (overrides the file's "draws")
      --replicates N     replicates per draw (overrides "replicatesPerDraw")
      --threads J        worker threads (default: all cores); results do not depend on it
      --out DIR          results folder (default: results/<file name without .json>/);
                         with --shard, the folder the shard file is written into
                         (default: results/<file name without .json>-shards/)
      --shard K/N        run only part K of N of the draws (0 ≤ K < N) and write a
                         shard file; pva merge writes the folder of all N parts,
                         byte-identical to one run
      --quiet            no progress bar

    The folder holds \(SensitivityReport.files.joined(separator: ", ")); pva writes
    only into a folder it creates or one it wrote before, as for pva run.

    """ }

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        guard let options = try StudyOptions.parse(arguments, command: "sensitivity", help: help, console: console) else {
            return ExitCode.success
        }
        let prepared: Prepared
        do {
            prepared = try prepare(options.request)
        } catch {
            for issue in error.issues { console.err("\(issue)\n") }
            return ExitCode.usage
        }
        let study = prepared.study
        if let shard = options.shard {
            return try options.runShard(shard, kind: kind, inputSHA256: prepared.inputSHA256, seed: study.seed, total: study.drawCount,
                                        console: console) { range, tick throws(ScenarioErrors) in
                try Sensitivity.runDraws(study, range, threads: options.threads, model: prepared.model, progress: tick)
            }
        }
        return try options.runWhole(inputs: prepared.inputs, steps: study.drawCount, console: console) { threads, tick throws(ScenarioErrors) in
            try Sensitivity.run(study, threads: threads, model: prepared.model, progress: tick)
        } write: { result, folder in
            try write(result, prepared: prepared, into: folder).textSummary
        }
    }

    /// Writes the study's files into the claimed `folder` and puts it in place (`pva
    /// sensitivity` and `pva merge` both come through here).
    static func write(_ result: Sensitivity.Result, prepared: Prepared, into folder: ResultsFolder) throws -> SensitivityReport {
        let report = SensitivityReport(result: result, provenance: [
            "engineVersion": Provenance.engineVersion,
            "studySHA256": SHA256.hex(SHA256.hash(prepared.studyBytes)),
            "scenarioSHA256": prepared.scenarioSHA256,
        ])
        try folder.complete(with: SensitivityReport.files.map { ($0, report.text(of: $0)) })
        return report
    }

    /// A study read and checked against its scenario (`validate`, `sensitivity` and `merge`
    /// come through here).
    struct Prepared {
        var study: Sensitivity.Study
        var scenarioPath: String
        var studyBytes: [UInt8]
        var scenarioSHA256: String
        var inputSHA256: String
        /// The study file, the scenario and every file it reads.
        var inputs: [String]

        /// Compiles the scenario with a draw's overrides.
        var model: @Sendable (RunOverrides) throws(ScenarioErrors) -> EngineModel { ScenarioFile.compiler(scenarioPath) }
    }

    static func prepare(_ request: StudyRequest) throws(ScenarioErrors) -> Prepared {
        let path = request.path
        let bytes = try ScenarioFile.input(path, what: "study file")
        var spec = try SensitivityDecoder.decode(bytes: bytes, file: path)
        if let draws = request.draws {
            guard spec.design == .lhs else {
                throw ScenarioErrors([ScenarioIssue(file: path, path: "design", message: "--draws is for a Latin-hypercube study; this one is one at a time", got: "\"oat\"")])
            }
            guard draws >= SensitivitySpec.minimumDraws(parameters: spec.parameters.count) else {
                throw ScenarioErrors([ScenarioIssue(file: path, path: "--draws", message: "must be at least the parameters + 3 (\(SensitivitySpec.minimumDraws(parameters: spec.parameters.count)))", got: String(draws))])
            }
            spec.draws = draws
        }
        if let replicates = request.replicates { spec.replicatesPerDraw = replicates }
        let scenarioPath = ScenarioFile.resolve(spec.scenario, in: (path as NSString).deletingLastPathComponent)
        // The base as the study runs it: the study's replicates, years and seed.
        let runOverrides = RunOverrides(replicates: spec.replicatesPerDraw, years: spec.years, seed: spec.seed)
        let base = try ScenarioFile.prepare(scenarioPath, overrides: runOverrides)
        let outcomes = try SensitivityDecoder.check(spec, file: path, scenario: base.loaded.scenario, model: base.model) { overrides throws(ScenarioErrors) in
            var o = overrides
            o.years = spec.years
            return try ScenarioFile.load(scenarioPath, overrides: o).scenario
        }
        let values = spec.parameters.map { base.loaded.resolved.number(at: $0.path) }
        let study = Sensitivity.Study(spec: spec, outcomes: outcomes, base: values, model: base.model)
        let scenarioSHA256 = Provenance(loaded: base.loaded, files: base.loaded.files).scenarioSHA256
        return Prepared(study: study, scenarioPath: scenarioPath, studyBytes: bytes, scenarioSHA256: scenarioSHA256,
                        inputSHA256: StudyShard.inputHash(studyBytes: bytes, scenarioSHA256: scenarioSHA256, arguments: request.arguments),
                        inputs: [path] + base.inputs)
    }

    /// Whether the file at `path` is a sensitivity study rather than a scenario (a JSON object
    /// with "design"); false when it cannot be read, which the scenario reader then reports.
    static func isStudy(_ path: String) -> Bool {
        if case .bytes(_, let bytes) = ScenarioFile.read(path) { return SensitivityDecoder.isStudy(bytes) }
        return false
    }

    /// `pva merge` of sensitivity shards: the study prepared again from the shards'
    /// arguments (its hash unchanged), every draw read back, and the folder written.
    static func merge(_ shards: [ShardFile.Reader], out: String, console: Console) throws -> String {
        let prepared = try MergeCommand.prepareAgain(shards, what: "study") { arguments in
            let p = try prepare(try StudyRequest(arguments: arguments))
            return (p, p.inputSHA256)
        }
        let draws = try StudyShard.read(shards, Sensitivity.Draw.self, index: \.index)
        guard draws.allSatisfy({ $0.outcomes.count == prepared.study.outcomes.count }) else {
            throw UsageError(message: "the shards do not hold the study's \(prepared.study.outcomes.count) outcomes per draw")
        }
        let folder = try ResultsFolder.claimForCommand(out, inputs: prepared.inputs)
        let report = try write(Sensitivity.Result(study: prepared.study, draws: draws), prepared: prepared, into: folder)
        return report.textSummary
    }
}

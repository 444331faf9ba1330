import Foundation

/// A sensitivity study (`pva sensitivity`): a scenario, named scenario values with a low
/// and a high end, a design, and the outcomes to watch. Read from a JSON file as strictly
/// as a scenario (`SensitivityDecoder`).
///
/// - `oat` (one factor at a time): the base (the scenario as it is) and each parameter at
///   its low and at its high end with every other parameter at the base: 1 + 2p runs.
/// - `lhs`: `draws` points of a Latin hypercube over every parameter's [low, high] at once,
///   for standardised regression coefficients and partial rank correlations.
///
/// Every draw runs the scenario with the same seed (common random numbers): replicate i of
/// every draw starts from the same random stream, so the differences between draws are
/// the parameters' doing more than the noise's.
public struct SensitivitySpec: Sendable {
    public enum Design: String, Sendable, CaseIterable {
        case oat, lhs
    }

    public var name: String
    /// The scenario, as written in the file (relative to the study file).
    public var scenario: String
    public var design: Design
    /// LHS draws (for OAT the design fixes the number of runs: `drawCount`).
    public var draws: Int
    public var replicatesPerDraw: Int
    /// Years to simulate (nil: the scenario's).
    public var years: Int?
    /// The seed of every draw (nil: the scenario's run.seed).
    public var seed: UInt64?
    public var parameters: [ParameterRange]
    /// The outcomes asked for (nil: every outcome the scenario has).
    public var outcomes: [SensitivityOutcome]?

    public init(name: String = "", scenario: String, design: Design, draws: Int = 0, replicatesPerDraw: Int, years: Int? = nil,
                seed: UInt64? = nil, parameters: [ParameterRange], outcomes: [SensitivityOutcome]? = nil) {
        self.name = name
        self.scenario = scenario
        self.design = design
        self.draws = draws
        self.replicatesPerDraw = replicatesPerDraw
        self.years = years
        self.seed = seed
        self.parameters = parameters
        self.outcomes = outcomes
    }

    /// The runs of the study: 1 + 2p for OAT, `draws` for LHS.
    public var drawCount: Int { design == .oat ? 1 + 2 * parameters.count : draws }

    /// The fewest LHS draws for p parameters: the partial rank correlations' Fisher z needs
    /// n − 3 − (p − 1) ≥ 1.
    public static func minimumDraws(parameters p: Int) -> Int { p + 3 }
}

/// What a sensitivity study measures in each run, at the scenario's horizon.
public enum SensitivityOutcome: String, Sendable, CaseIterable, Codable {
    /// P(extinct by the last year), with its binomial SE.
    case extinction = "PE"
    /// Mean N in the last year over all replicates (0 for the extinct), with its SE.
    case meanN
    /// Mean gene diversity in the last year over the replicates with animals alive, with its
    /// SE (SD / √those replicates); needs genetics.
    case geneDiversity
    /// P(at least the targets' threshold in the first target region) in the targets' first
    /// year, with its binomial SE; needs targets (a landscape's target or release regions).
    case secondPopulation
}

/// Reads a sensitivity study file (format 1): every problem names the file, the JSON path
/// and the value, as for a scenario.
public enum SensitivityDecoder {
    /// Whether `bytes` hold a sensitivity study rather than a scenario: a JSON object with a
    /// "design" key (a scenario has none).
    public static func isStudy(_ bytes: [UInt8]) -> Bool {
        Diagnostics.hasTopLevelKey(bytes, "design")
    }

    public static func decode(bytes: [UInt8], file: String) throws(ScenarioErrors) -> SensitivitySpec {
        let (root, diagnostics) = try Diagnostics.parse(bytes, file: file)
        guard var r = ObjectReader(root, path: "", diagnostics: diagnostics) else { throw ScenarioErrors(diagnostics.issues) }
        if let format = r.integer("format"), format != 1 {
            diagnostics.add("format", "unsupported format version; this engine reads sensitivity format 1", gotText: String(format))
        }
        let name = r.string("name", default: "") ?? ""
        _ = r.string("description", default: "")
        let scenario = r.string("scenario")
        let design = r.string("design", oneOf: SensitivitySpec.Design.allCases.map(\.rawValue)).flatMap(SensitivitySpec.Design.init(rawValue:))
        var draws: Int? = 0
        if design == .lhs {
            draws = r.integer("draws", min: 2, max: 1_000_000)
        } else if design == .oat && r.has("draws") {
            _ = r.node("draws", required: false)
            diagnostics.add("draws", "a one-at-a-time study has 1 + 2 × parameters runs; \"draws\" is for \"design\": \"lhs\"")
            draws = nil
        } else if design == nil {
            _ = r.node("draws", required: false)
        }
        let replicates = r.integer("replicatesPerDraw", min: 1, max: 100_000)
        let years = r.has("years") ? r.integer("years", min: 1, max: 100_000) : nil
        let seed = r.has("seed") ? r.integer("seed", min: 0, max: Int(ScenarioDecoder.maximumSeed)) : nil
        let parameters = ParameterRange.readAll(&r, lowKey: "low", highKey: "high", verb: "varied")
        var outcomes: [SensitivityOutcome]?
        if r.has("outcomes") {
            outcomes = r.array("outcomes", required: true, allowEmpty: false) { node, path, _ -> SensitivityOutcome? in
                guard case .string(let text) = node.value else {
                    diagnostics.add(path, "must be one of \(SensitivityOutcome.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))", got: node.value)
                    return nil
                }
                guard let outcome = SensitivityOutcome(rawValue: text) else {
                    diagnostics.add(path, "must be one of \(SensitivityOutcome.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))", got: node.value)
                    return nil
                }
                return outcome
            }
            if let list = outcomes {
                var seen: Set<SensitivityOutcome> = []
                for (i, o) in list.enumerated() where !seen.insert(o).inserted {
                    diagnostics.add("outcomes[\(i)]", "names an outcome already asked for", gotText: "\"\(o.rawValue)\"")
                }
            }
        }
        if design == .lhs, let draws, let parameters, draws < SensitivitySpec.minimumDraws(parameters: parameters.count) {
            diagnostics.add("draws", "must be at least the parameters + 3 (\(SensitivitySpec.minimumDraws(parameters: parameters.count))) for the regression and the partial rank correlations",
                            gotText: String(draws))
        }
        _ = r.finish()
        guard diagnostics.isEmpty, let scenario, let design, let draws, let replicates, let parameters,
              !(r.has("years") && years == nil), !(r.has("seed") && seed == nil), !(r.has("outcomes") && outcomes == nil) else {
            throw ScenarioErrors(diagnostics.issues)
        }
        return SensitivitySpec(name: name, scenario: scenario, design: design, draws: draws, replicatesPerDraw: replicates,
                               years: years, seed: seed.map(UInt64.init), parameters: parameters, outcomes: outcomes)
    }

    /// The checks that need the scenario (`scenario` decoded with the study's years): each
    /// parameter a value the scenario accepts at both ends of its range, and each outcome
    /// asked for one the scenario has (gene diversity needs genetics; the second population
    /// needs target regions and its first year within the run). Returns the outcomes to
    /// measure: those asked for, or every one the scenario has.
    public static func check(_ spec: SensitivitySpec, file: String, scenario: Scenario, model: EngineModel,
                             decode: (RunOverrides) throws(ScenarioErrors) -> Scenario) throws(ScenarioErrors) -> [SensitivityOutcome] {
        let diagnostics = Diagnostics(file: file)
        ParameterRange.check(spec.parameters, diagnostics: diagnostics, decode: decode)
        let available = SensitivityOutcome.allCases.filter { missing($0, model: model) == nil }
        for (i, o) in (spec.outcomes ?? []).enumerated() {
            if let reason = missing(o, model: model) { diagnostics.add("outcomes[\(i)]", reason, gotText: "\"\(o.rawValue)\"") }
        }
        guard diagnostics.isEmpty else { throw ScenarioErrors(diagnostics.issues) }
        return spec.outcomes ?? available
    }

    /// Why the scenario of `model` has no outcome `o` (nil: it has).
    static func missing(_ o: SensitivityOutcome, model: EngineModel) -> String? {
        switch o {
        case .extinction, .meanN: return nil
        case .geneDiversity: return model.genetics == nil ? "the scenario has no genetics, so no gene diversity" : nil
        case .secondPopulation:
            guard !model.targetRegions.isEmpty, let first = model.targets.years.first else {
                return "the scenario has no target region (\"targets\" or a release region), so no second population"
            }
            return first > model.years ? "the targets' first year (\(first) years from the start) is beyond the run's \(model.years) years" : nil
        }
    }
}

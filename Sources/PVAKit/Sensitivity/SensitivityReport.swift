import Foundation

/// The files `pva sensitivity` writes, as text: `draws.csv` (one row per draw: its
/// parameter values and outcomes), `sensitivity.json` (the summary: per outcome the
/// ranking and each parameter's effect, or SRC and PRCC, with intervals) and
/// `report.html` (tornado charts, and for LHS scatter plots).
public struct SensitivityReport: Sendable {
    public let result: Sensitivity.Result
    /// SHA-256 of the study file and of the scenario as read, the engine version.
    public let provenance: [String: String]

    public init(result: Sensitivity.Result, provenance: [String: String] = [:]) {
        self.result = result
        self.provenance = provenance
    }

    public static let files = ["draws.csv", "sensitivity.json", "report.html"]

    public func text(of file: String) -> String {
        switch file {
        case "draws.csv": return drawsCSV
        case "sensitivity.json": return JSONWriter.write(summaryJSON)
        default: return reportHTML
        }
    }

    var study: Sensitivity.Study { result.study }
    var parameters: [ParameterRange] { study.spec.parameters }

    var drawsCSV: String {
        var header = ["draw", "point"] + parameters.map(\.path)
        for o in study.outcomes { header += [o.rawValue, o.rawValue + "SE"] }
        var out = header.map(CSVTable.quoted).joined(separator: ",") + "\n"
        for (point, draw) in zip(result.points, result.draws) {
            var row = [String(point.index), CSVTable.quoted(point.label)]
            row += zip(parameters, point.values).map { p, v in v.map(p.text) ?? "" }
            for e in draw.outcomes {
                row += [e.value.map { NumberFormatting.fixed($0, decimals: 6) } ?? "", e.se.map { NumberFormatting.fixed($0, decimals: 6) } ?? ""]
            }
            out += row.joined(separator: ",") + "\n"
        }
        return out
    }

    static let oatMethod = "one factor at a time: the base run, then each parameter at its low and at its high end with the others at base; effect = outcome(high) − outcome(low), SE = √(SE_low² + SE_high²) (each run's own Monte Carlo SE; conservative under common random numbers), 95 % = effect ± 1.96 SE; ranked by |effect|"
    static let lhsMethod = "Latin hypercube over every parameter's [low, high]; SRC = OLS coefficients of the standardised outcome on the standardised parameters (with intercept), 95 % = SRC ± t(0.975, n − p − 1) × its OLS standard error; PRCC = correlation of the residuals of rank(parameter) and rank(outcome) on the other parameters' ranks, 95 % from Fisher's z with SE 1/√(n − 3 − (p − 1)); ranked by |SRC|"
    static let randomNumbers = "common random numbers: every draw runs with the same seed, so replicate i of every draw starts from the same random streams"

    func real(_ v: Double?) -> JSONOutput { .real(v) }

    var summaryJSON: JSONOutput {
        let spec = study.spec
        let parameterObjects: [JSONOutput] = parameters.enumerated().map { j, p in
            .object(["path": .string(p.path), "low": .number(p.minimum), "high": .number(p.maximum), "integer": .bool(p.integer),
                     "base": study.base[j].map { JSONOutput.number($0) } ?? .null])
        }
        let outcomes: [JSONOutput] = result.analysis.outcomes.map { a in
            var object: [String: JSONOutput] = [
                "id": .string(a.outcome.rawValue), "label": .string(a.label),
                "ranking": .array(a.ranking.map { .string(parameters[$0].path) }),
                "varied": .bool(a.varied),
            ]
            let rank = Dictionary(uniqueKeysWithValues: a.ranking.enumerated().map { ($1, $0 + 1) })
            switch spec.design {
            case .oat:
                object["base"] = real(a.base?.value)
                object["baseSE"] = real(a.base?.se)
                object["parameters"] = .array(a.oneAtATime.enumerated().map { j, e in
                    .object(["path": .string(parameters[j].path), "rank": .integer(rank[j]!),
                             "atLow": real(e.atLow.value), "atLowSE": real(e.atLow.se),
                             "atHigh": real(e.atHigh.value), "atHighSE": real(e.atHigh.se),
                             "effect": real(e.effect.estimate), "effectSE": real(e.effect.se),
                             "effectLow95": real(e.effect.low), "effectHigh95": real(e.effect.high)])
                })
            case .lhs:
                object["rSquared"] = real(a.rSquared)
                object["parameters"] = .array(parameters.indices.map { j in
                    let s = a.src[j], r = a.prcc[j]
                    return .object(["path": .string(parameters[j].path), "rank": .integer(rank[j]!),
                                    "SRC": real(s.estimate), "SRCSE": real(s.se), "SRCLow95": real(s.low), "SRCHigh95": real(s.high),
                                    "PRCC": real(r.estimate), "PRCCLow95": real(r.low), "PRCCHigh95": real(r.high)])
                })
            }
            return .object(object)
        }
        var root: [String: JSONOutput] = [
            "name": .string(spec.name), "scenario": .string(spec.scenario), "design": .string(spec.design.rawValue),
            "draws": .integer(study.drawCount), "replicatesPerDraw": .integer(spec.replicatesPerDraw),
            "seed": .integer(Int(study.seed)), "randomNumbers": .string(Self.randomNumbers),
            "method": .string(spec.design == .oat ? Self.oatMethod : Self.lhsMethod),
            "parameters": .array(parameterObjects), "outcomes": .array(outcomes),
            "provenance": .object(provenance.mapValues { .string($0) }),
        ]
        root["years"] = spec.years.map { .integer($0) } ?? .null
        return .object(root)
    }
}

import Foundation

/// A scenario value a study varies (`pva calibrate`'s priors, `pva sensitivity`'s ranges):
/// its JSON path, as `pva run --set` takes it, and the range [minimum, maximum]; whole
/// numbers when `integer`. Both commands read, check and apply it the same way.
public struct ParameterRange: Sendable, Equatable {
    public var path: String
    public var minimum: Double
    public var maximum: Double
    public var integer: Bool

    public init(path: String, minimum: Double, maximum: Double, integer: Bool = false) {
        self.path = path
        self.minimum = minimum
        self.maximum = maximum
        self.integer = integer
    }

    /// The value at `u` ∈ [0, 1) of the range (whole numbers spread evenly over their range).
    public func value(at u: Double) -> Double {
        integer ? (minimum + (u * (maximum - minimum + 1)).rounded(.down)).clamped(minimum, maximum)
                : minimum + u * (maximum - minimum)
    }

    /// The value as `--set` text: the shortest decimal that reads back as the same Double.
    public func text(_ value: Double) -> String { integer ? String(Int(value)) : NumberFormatting.shortest(value) }

    /// The override that sets this parameter to `value`.
    public func setting(_ value: Double) -> RunOverrides.Setting { RunOverrides.Setting(path: path, value: text(value)) }

    /// Reads one entry of a study file's "parameters" array: "path", the two bounds under
    /// `lowKey` and `highKey` (calibration: "min"/"max", sensitivity: "low"/"high"), and
    /// "integer"; the upper bound must lie above the lower, an integer's bounds be whole.
    static func read(_ p: inout ObjectReader, lowKey: String, highKey: String) -> ParameterRange? {
        let path = p.string("path")
        let minimum = p.number(lowKey), maximum = p.number(highKey)
        let integer = p.bool("integer", default: false)
        guard let path, let minimum, let maximum, let integer else { return nil }
        guard maximum > minimum else {
            p.diagnostics.add(p.childPath(highKey), "must be above \(lowKey) \(NumberFormatting.shortest(minimum))", gotText: NumberFormatting.shortest(maximum))
            return nil
        }
        if integer && (minimum.rounded() != minimum || maximum.rounded() != maximum) {
            p.diagnostics.add(p.childPath(lowKey), "an integer parameter needs whole-number bounds",
                              gotText: "\(NumberFormatting.shortest(minimum))…\(NumberFormatting.shortest(maximum))")
            return nil
        }
        return ParameterRange(path: path, minimum: minimum, maximum: maximum, integer: integer)
    }

    /// A study's "parameters" array, each path at most once (`verb` says what the study does
    /// with them: "calibrated", "varied").
    static func readAll(_ r: inout ObjectReader, lowKey: String, highKey: String, verb: String) -> [ParameterRange]? {
        let parameters = r.objects("parameters", required: true, allowEmpty: false) { p -> ParameterRange? in
            read(&p, lowKey: lowKey, highKey: highKey)
        }
        if let parameters {
            var seen: Set<String> = []
            for (i, p) in parameters.enumerated() where !seen.insert(p.path).inserted {
                r.diagnostics.add("parameters[\(i)].path", "names a value already \(verb)", gotText: "\"\(p.path)\"")
            }
        }
        return parameters
    }

    /// Each parameter tried against the study's scenario at both ends of its range: a path
    /// that names nothing settable, or a value the scenario refuses, is reported under
    /// "parameters[i]" with the scenario decoder's own message (`decode` is the decoder with
    /// `--set` overrides).
    static func check(_ parameters: [ParameterRange], diagnostics: Diagnostics,
                      decode: (RunOverrides) throws(ScenarioErrors) -> Scenario) {
        for (i, p) in parameters.enumerated() {
            for end in [p.minimum, p.maximum] {
                do {
                    _ = try decode(RunOverrides(settings: [p.setting(end)]))
                } catch {
                    for issue in error.issues {
                        diagnostics.add("parameters[\(i)]", "the scenario refuses \(p.path)=\(p.text(end)): \(issue.path): \(issue.message)" + (issue.got.map { " (got \($0))" } ?? ""))
                    }
                }
            }
        }
    }
}

extension Double {
    func clamped(_ low: Double, _ high: Double) -> Double { Swift.min(high, Swift.max(low, self)) }
}

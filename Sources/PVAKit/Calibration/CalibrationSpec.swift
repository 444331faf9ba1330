import Foundation

/// A calibration (MODEL.md §8): a hindcast scenario, prior ranges for named
/// scenario values, and observed counts to score each draw against. Read from
/// a JSON file as strictly as a scenario (`CalibrationDecoder`).
public struct CalibrationSpec: Sendable {
    /// A scenario value to calibrate and its uniform prior on [minimum, maximum] (`ParameterRange`,
    /// shared with `pva sensitivity`).
    public typealias Parameter = ParameterRange

    /// What an observation counts, in the whole population or a region.
    public enum Count: String, Sendable, CaseIterable {
        /// Every animal.
        case all
        /// Animals not in a mother's care ("adults" in a camera-trap count of adults and cubs).
        case independent
        /// Young in a mother's care, newborns included ("cubs").
        case young
        /// Territory holders able to breed.
        case territorialAdults
    }

    /// An observed count: in calendar `year`, in `region` (nil: the whole population,
    /// counts `all` only), what `count` counts lay in [low, high].
    public struct Observation: Sendable, Equatable {
        public var year: Int
        public var region: String?
        public var count: Count
        public var low: Double
        public var high: Double
        public var source: String

        public init(year: Int, region: String?, count: Count, low: Double, high: Double, source: String = "") {
            self.year = year
            self.region = region
            self.count = count
            self.low = low
            self.high = high
            self.source = source
        }

        /// The series it belongs to (one chart per series).
        public var series: String { (region ?? "whole population") + ": " + count.rawValue }
    }

    public var name: String
    /// The hindcast scenario, as written in the file (relative to the calibration file).
    public var scenario: String
    public var draws: Int
    public var replicatesPerDraw: Int
    public var seed: UInt64
    /// The share of draws accepted into the posterior (those with the best scores).
    public var acceptFraction: Double
    public var parameters: [Parameter]
    public var observations: [Observation]

    public init(name: String = "", scenario: String, draws: Int, replicatesPerDraw: Int, seed: UInt64, acceptFraction: Double,
                parameters: [Parameter], observations: [Observation]) {
        self.name = name
        self.scenario = scenario
        self.draws = draws
        self.replicatesPerDraw = replicatesPerDraw
        self.seed = seed
        self.acceptFraction = acceptFraction
        self.parameters = parameters
        self.observations = observations
    }

    /// How many draws are accepted: ⌈fraction × draws⌉, at least 2.
    public var accepted: Int { min(draws, max(2, Int((acceptFraction * Double(draws)).rounded(.up)))) }
}

/// Reads a calibration file (format 1): every problem names the file, the JSON
/// path and the value, as for a scenario.
public enum CalibrationDecoder {
    /// Whether `bytes` hold a calibration file rather than a scenario: a JSON object with
    /// an "observations" key (a scenario has none).
    public static func isCalibration(_ bytes: [UInt8]) -> Bool {
        Diagnostics.hasTopLevelKey(bytes, "observations")
    }

    public static func decode(bytes: [UInt8], file: String) throws(ScenarioErrors) -> CalibrationSpec {
        let (root, diagnostics) = try Diagnostics.parse(bytes, file: file)
        guard var r = ObjectReader(root, path: "", diagnostics: diagnostics) else { throw ScenarioErrors(diagnostics.issues) }
        if let format = r.integer("format"), format != 1 {
            diagnostics.add("format", "unsupported format version; this engine reads calibration format 1", gotText: String(format))
        }
        let name = r.string("name", default: "") ?? ""
        _ = r.string("description", default: "")
        let scenario = r.string("scenario")
        let draws = r.integer("draws", min: 2, max: 1_000_000)
        let replicates = r.integer("replicatesPerDraw", min: 1, max: 100_000)
        let seed = r.integer("seed", default: 1, min: 0, max: Int(ScenarioDecoder.maximumSeed))
        let accept = r.number("acceptFraction", default: 0.1, min: 0, max: 1, exclusiveMin: true)
        let parameters = ParameterRange.readAll(&r, lowKey: "min", highKey: "max", verb: "calibrated")
        let observations = r.objects("observations", required: true, allowEmpty: false) { o -> CalibrationSpec.Observation? in
            let year = o.integer("year", min: -100_000, max: 100_000)
            let region = o.has("region") ? o.string("region") : nil
            let count = o.string("count", oneOf: CalibrationSpec.Count.allCases.map(\.rawValue)).flatMap(CalibrationSpec.Count.init(rawValue:))
            let source = o.string("source", default: "") ?? ""
            var low: Double?, high: Double?
            switch (o.has("interval"), o.has("value")) {
            case (true, false):
                if let bounds = o.numbers("interval", required: true, min: 0, max: 1e9) {
                    if bounds.count != 2 || bounds[1] < bounds[0] {
                        o.diagnostics.add(o.childPath("interval"), "must be [low, high] with low ≤ high",
                                          gotText: "[" + bounds.map(NumberFormatting.shortest).joined(separator: ", ") + "]")
                    } else {
                        low = bounds[0]
                        high = bounds[1]
                    }
                }
            case (false, true):
                let value = o.number("value", min: 0, max: 1e9)
                let tolerance = o.number("tolerance", min: 0, max: 1e9)
                if let value, let tolerance { low = max(0, value - tolerance); high = value + tolerance }
            case (true, true):
                _ = o.node("interval", required: false)
                _ = o.node("value", required: false)
                o.diagnostics.add(o.path, "give either \"interval\" or \"value\" with \"tolerance\", not both")
            case (false, false):
                o.diagnostics.add(o.childPath("interval"), "required key is missing (give \"interval\": [low, high], or \"value\" and \"tolerance\")")
            }
            guard let year, let count, let low, let high, !(o.has("region") && region == nil) else { return nil }
            if region == nil && count != .all {
                o.diagnostics.add(o.childPath("count"), "counts other than \"all\" need a region (name one of the scenario's regions)",
                                  gotText: "\"\(count.rawValue)\"")
                return nil
            }
            return CalibrationSpec.Observation(year: year, region: region, count: count, low: low, high: high, source: source)
        }
        _ = r.finish()
        guard diagnostics.isEmpty, let scenario, let draws, let replicates, let seed, let accept, let parameters, let observations else {
            throw ScenarioErrors(diagnostics.issues)
        }
        return CalibrationSpec(name: name, scenario: scenario, draws: draws, replicatesPerDraw: replicates, seed: UInt64(seed),
                               acceptFraction: accept, parameters: parameters, observations: observations)
    }

    /// The checks that need the hindcast scenario: each observation's year within the run,
    /// its region one of the scenario's, and each parameter a value the scenario accepts at
    /// both ends of its range (`decode` is the scenario decoder with `--set` overrides; its
    /// messages are reported under the parameter's path).
    public static func check(_ spec: CalibrationSpec, file: String, scenario: Scenario,
                             decode: (RunOverrides) throws(ScenarioErrors) -> Scenario) throws(ScenarioErrors) {
        let diagnostics = Diagnostics(file: file)
        let first = scenario.run.startYear, last = scenario.run.startYear + scenario.run.years
        let regions = scenario.spatial.map { Set($0.landscape.regions.map(\.name)) } ?? []
        for (i, o) in spec.observations.enumerated() {
            if o.year < first || o.year > last {
                diagnostics.add("observations[\(i)].year", "outside the hindcast's years \(first)–\(last)", gotText: String(o.year))
            }
            if let region = o.region, !regions.contains(region) {
                diagnostics.add("observations[\(i)].region", regions.isEmpty ? "the hindcast scenario has no landscape, so no regions"
                                : "not a region of the hindcast scenario (it has \(regions.sorted().map { "\"\($0)\"" }.joined(separator: ", ")))",
                                gotText: "\"\(region)\"")
            }
        }
        ParameterRange.check(spec.parameters, diagnostics: diagnostics, decode: decode)
        guard diagnostics.isEmpty else { throw ScenarioErrors(diagnostics.issues) }
    }
}

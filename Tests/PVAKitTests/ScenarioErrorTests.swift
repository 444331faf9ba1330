import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// Each kind of bad input gets its own message naming the file, the JSON path
/// and the value, and exit code 2 — never a crash or a silent default.
@Suite struct ScenarioErrorTests {
    /// Validates `text` as FILE `bad.json` and returns the CLI outcome.
    func validate(_ text: String) throws -> CLI.Outcome {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.json")
        try CLI.write(text, to: file)
        var outcome = CLI.run(["validate", file.path])
        outcome.stderr = outcome.stderr.replacingOccurrences(of: file.path, with: "bad.json")
        return outcome
    }

    @Test func theSampleIsValid() throws {
        let outcome = try validate(SampleScenario.text)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.isEmpty)
    }

    @Test(arguments: [
        // (what, replace, with, expected stderr line)
        ("unknown key", "\"seed\": 9", "\"sede\": 9",
         "bad.json: run.sede: unknown key (did you mean \"seed\"?) (got 9)"),
        ("duplicate key", "\"seed\": 9", "\"seed\": 9, \"seed\": 10",
         "bad.json: run.seed: duplicate key (line 4; first given on line 4)"),
        ("wrong type", "\"years\": 10", "\"years\": true",
         "bad.json: run.years: must be a whole number (got true)"),
        ("wrong type for a real", "\"probability\": 0.5", "\"probability\": \"0.5\"",
         "bad.json: species.breeding.probability: must be a number (a function must be more than a number: write it without quotes) (got \"0.5\")"),
        ("probability above 1", "\"female\": 0.2", "\"female\": 1.2",
         "bad.json: species.mortality[1].female: must be a probability between 0 and 1 (got 1.2)"),
        ("probability below 0", "\"probability\": 0.5", "\"probability\": -0.1",
         "bad.json: species.breeding.probability: must be a probability between 0 and 1 (got -0.1)"),
        ("non-finite literal", "\"K\": 150", "\"K\": NaN",
         "bad.json: carryingCapacity.K: must be a finite number (got NaN)"),
        ("overflowing number", "\"K\": 150", "\"K\": 1e999",
         "bad.json: carryingCapacity.K: must be a finite number (got 1e999)"),
        ("distribution not summing to 1", "[0.3, 0.5, 0.2]", "[0.3, 0.5, 0.15]",
         "bad.json: species.litterSize.probabilities: must sum to 1 (got 0.95)"),
        ("negative years", "\"years\": 10", "\"years\": -5",
         "bad.json: run.years: must be at least 1 (got -5)"),
        ("negative replicates", "\"replicates\": 20", "\"replicates\": -1",
         "bad.json: run.replicates: must be at least 1 (got -1)"),
        ("fractional count", "\"replicates\": 20", "\"replicates\": 2.5",
         "bad.json: run.replicates: must be a whole number (got 2.5)"),
        ("interventions without a landscape", "\"format\": 1,", "\"format\": 1, \"interventions\": [],",
         "bad.json: interventions: act on places: the scenario needs a \"landscape\" (got [])"),
        ("genetics value out of range", "\"format\": 1,", "\"format\": 1, \"genetics\": {\"founderKinship\": 0.7},",
         "bad.json: genetics.founderKinship: must be at most 0.5 (got 0.7)"),
        ("genetics key misspelt", "\"format\": 1,", "\"format\": 1, \"genetics\": {\"lethalEquivalent\": 3},",
         "bad.json: genetics.lethalEquivalent: unknown key (did you mean \"lethalEquivalents\"?) (got 3)"),
        ("EV SD too large", "\"evSD\": 0.05", "\"evSD\": 0.495",
         "bad.json: species.mortality[0].evSD: EV SD is larger than √(p(1−p)) = 0.4899 for female mortality 0.4 (got 0.495)"),
        ("missing required key", "\"maximumAge\": 10,", "",
         "bad.json: species.maximumAge: required key is missing"),
        ("unknown choice", "\"convention\": \"vortex\"", "\"convention\": \"vortx\"",
         "bad.json: species.convention: must be one of \"vortex\", \"dependency\" (got \"vortx\")"),
        ("mortality classes out of order", "{\"fromAge\": 2,", "{\"fromAge\": 1,",
         "bad.json: species.mortality[2].fromAge: classes must be in increasing order of age (previous starts at 1) (got 1)"),
        ("unsupported format", "\"format\": 1", "\"format\": 2",
         "bad.json: format: unsupported format version; this engine reads format 1 (got 2)"),
    ] as [(String, String, String, String)])
    func badInputGetsItsOwnMessage(_ what: String, _ old: String, _ new: String, _ expected: String) throws {
        let outcome = try validate(SampleScenario.with(old, new))
        #expect(outcome.status == 2, "\(what)")
        #expect(outcome.stderr.split(separator: "\n").map(String.init).contains(expected), "\(what): \(outcome.stderr)")
    }

    @Test func malformedJSONNamesLineAndColumn() throws {
        let outcome = try validate(SampleScenario.with("\"seed\": 9}", "\"seed\": 9,}"))
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "bad.json: line 4, column 52: malformed JSON: unexpected character '}', expected a key in double quotes\n")
    }

    @Test func missingFile() {
        let outcome = CLI.run(["validate", "/nonexistent/scenario.json"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "/nonexistent/scenario.json: (document): cannot read the scenario: no such file\n")
    }

    @Test func validateReportsEveryError() throws {
        let text = SampleScenario.with("\"years\": 10, \"replicates\": 20", "\"years\": 0, \"replicates\": \"many\", \"extra\": 1")
        let outcome = try validate(text)
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(outcome.status == 2)
        #expect(lines.contains("bad.json: run.years: must be at least 1 (got 0)"))
        #expect(lines.contains("bad.json: run.replicates: must be a whole number (got \"many\")"))
        #expect(lines.contains("bad.json: run.extra: unknown key (got 1)"))
    }

    @Test func runRefusesBadScenarioWithoutWritingResults() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.json")
        try CLI.write(SampleScenario.with("\"K\": 150", "\"K\": -3"), to: file)
        let out = dir.appendingPathComponent("out")
        let outcome = CLI.run(["run", file.path, "--out", out.path, "--quiet"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("carryingCapacity.K: must be greater than 0 (got -3)"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test(arguments: [
        (["run"], "pva: run needs a scenario file (see pva run --help)"),
        (["run", "x.json", "--bogus"], "pva: unknown option '--bogus' for pva run (see pva run --help)"),
        (["run", "x.json", "--replicates", "0"], "pva: --replicates must be a whole number from 1 to 100000000 (got '0')"),
        (["run", "x.json", "--seed", "-1"], "pva: --seed must be a whole number from 0 to 9007199254740991 (got '-1')"),
        (["run", "x.json", "--threads"], "pva: --threads needs a value (see pva run --help)"),
        (["frobnicate"], "pva: unknown command 'frobnicate' (commands: run, merge, run-set, validate, calibrate, sensitivity, compare, check, bench; see pva --help)"),
    ] as [([String], String)])
    func usageErrors(_ arguments: [String], _ message: String) {
        let outcome = CLI.run(arguments)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == message + "\n")
    }

    @Test func overridesAreValidatedLikeTheFile() throws {
        let loaded = try ScenarioDecoder.decode(text: SampleScenario.text, file: "s.json", overrides: RunOverrides(replicates: 3, years: 4, seed: 77))
        #expect(loaded.scenario.run.replicates == 3 && loaded.scenario.run.years == 4 && loaded.scenario.run.seed == 77)
        let plain = try ScenarioDecoder.decode(text: SampleScenario.text, file: "s.json")
        #expect(plain.resolvedText != loaded.resolvedText)
    }

    @Test func resolvedScenarioListsDefaults() throws {
        let loaded = try ScenarioDecoder.decode(text: SampleScenario.text, file: "s.json")
        let text = loaded.resolvedText
        #expect(text.contains("\"sexRatioAtBirth\":0.5"))
        #expect(text.contains("\"startYear\":0"))
        #expect(text.contains("\"extinction\":{\"definition\":\"oneSexRemains\"}"))
        // Formatting and key order do not matter; values do.
        let reordered = try ScenarioDecoder.decode(text: SampleScenario.text.replacingOccurrences(of: "\n", with: " "), file: "t.json")
        #expect(reordered.resolvedText == text)
    }
}

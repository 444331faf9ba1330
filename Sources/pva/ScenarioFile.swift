import Foundation
import PVAKit

/// Reads and decodes a scenario file; every problem becomes `ScenarioErrors`.
enum ScenarioFile {
    static func load(_ path: String, overrides: RunOverrides = RunOverrides()) throws(ScenarioErrors) -> LoadedScenario {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioErrors([ScenarioIssue(file: path, path: "", message: "cannot read the scenario: no such file")])
        }
        guard !isDirectory.boolValue else {
            throw ScenarioErrors([ScenarioIssue(file: path, path: "", message: "cannot read the scenario: it is a directory")])
        }
        guard let data = try? Data(contentsOf: url) else {
            throw ScenarioErrors([ScenarioIssue(file: path, path: "", message: "cannot read the scenario: permission denied or unreadable")])
        }
        return try ScenarioDecoder.decode(bytes: Array(data), file: path, overrides: overrides)
    }
}

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
        return try ScenarioDecoder.decode(bytes: Array(data), file: path, overrides: overrides, loader: loader(relativeTo: path))
    }

    /// Reads files named relative to the scenario's folder, naming them in
    /// messages as seen from the working directory.
    static func loader(relativeTo scenarioPath: String) -> FileLoader {
        let folder = (scenarioPath as NSString).deletingLastPathComponent
        return { relative in
            let shown = relative.hasPrefix("/") ? relative : (folder.isEmpty ? relative : (folder as NSString).appendingPathComponent(relative))
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: shown, isDirectory: &isDirectory) else {
                return .failure(path: shown, reason: "no such file")
            }
            guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: shown) else {
                return .failure(path: shown, reason: isDirectory.boolValue ? "it is a directory" : "unreadable")
            }
            return .bytes(path: shown, Array(data))
        }
    }
}

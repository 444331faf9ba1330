import Foundation
import PVAKit

/// Reads and decodes a scenario file; every problem becomes `ScenarioErrors`.
enum ScenarioFile {
    static func load(_ path: String, overrides: RunOverrides = RunOverrides()) throws(ScenarioErrors) -> LoadedScenario {
        switch read(path) {
        case .failure(_, let reason):
            throw ScenarioErrors([ScenarioIssue(file: path, path: "", message: "cannot read the scenario: \(reason)")])
        case .bytes(_, let bytes):
            return try ScenarioDecoder.decode(bytes: bytes, file: path, overrides: overrides, loader: loader(relativeTo: path))
        }
    }

    /// The bytes of a file, or why they cannot be read (for the scenario and its layers alike).
    static func read(_ path: String) -> LoadedFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { return .failure(path: path, reason: "it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(path: path, reason: "permission denied or unreadable")
        }
        return .bytes(path: path, Array(data))
    }

    /// Reads files named relative to the scenario's folder, naming them in
    /// messages as seen from the working directory.
    static func loader(relativeTo scenarioPath: String) -> FileLoader {
        let folder = (scenarioPath as NSString).deletingLastPathComponent
        return { relative in
            read(relative.hasPrefix("/") || folder.isEmpty ? relative : (folder as NSString).appendingPathComponent(relative))
        }
    }
}

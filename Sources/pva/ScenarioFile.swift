import Foundation
import PVAKit

/// Reads, decodes and compiles a scenario file; every problem becomes
/// `ScenarioErrors`. `validate` and `run` both come through `prepare`, so a
/// scenario `validate` accepts is one `run` can run.
enum ScenarioFile {
    /// A scenario ready to run: decoded, with its files, and compiled.
    struct Prepared {
        var loaded: LoadedScenario
        var model: EngineModel
        /// The scenario file and every file it read, as paths from the working directory.
        var inputs: [String]
    }

    static func prepare(_ path: String, overrides: RunOverrides = RunOverrides()) throws(ScenarioErrors) -> Prepared {
        let loaded = try load(path, overrides: overrides)
        let model = try EngineModel.compile(loaded.scenario, file: path)
        let folder = (path as NSString).deletingLastPathComponent
        let inputs = [path] + loaded.files.map { resolve($0.path, in: folder) }
        return Prepared(loaded: loaded, model: model, inputs: inputs)
    }

    static func load(_ path: String, overrides: RunOverrides = RunOverrides()) throws(ScenarioErrors) -> LoadedScenario {
        try ScenarioDecoder.decode(bytes: try input(path, what: "scenario"), file: path, overrides: overrides, loader: loader(relativeTo: path))
    }

    /// The bytes of an input file (`what`: the scenario, a calibration or study file), or an
    /// issue naming the file and why it cannot be read.
    static func input(_ path: String, what: String) throws(ScenarioErrors) -> [UInt8] {
        switch read(path) {
        case .failure(_, let reason):
            throw ScenarioErrors([ScenarioIssue(file: path, path: "", message: "cannot read the \(what): \(reason)")])
        case .bytes(_, let bytes):
            return bytes
        }
    }

    /// Compiles the scenario at `path` with a study draw's overrides (calibration, sensitivity).
    static func compiler(_ path: String) -> @Sendable (RunOverrides) throws(ScenarioErrors) -> EngineModel {
        { overrides throws(ScenarioErrors) in
            try EngineModel.compile(try load(path, overrides: overrides).scenario, file: path)
        }
    }

    /// The bytes of a file, or why they cannot be read (for the scenario and its layers
    /// alike), naming the real cause: no such file, a directory, a device or FIFO, a loop
    /// of symbolic links, no permission, an empty file.
    static func read(_ path: String) -> LoadedFile {
        do {
            let bytes = try FileSystem.read(path)
            if bytes.isEmpty { return .failure(path: path, reason: "the file is empty (0 bytes)") }
            return .bytes(path: path, bytes)
        } catch {
            return .failure(path: path, reason: error.description)
        }
    }

    static func resolve(_ relative: String, in folder: String) -> String {
        relative.hasPrefix("/") || folder.isEmpty ? relative : (folder as NSString).appendingPathComponent(relative)
    }

    /// Reads files named relative to the scenario's folder, naming them in
    /// messages as seen from the working directory.
    static func loader(relativeTo scenarioPath: String) -> FileLoader {
        let folder = (scenarioPath as NSString).deletingLastPathComponent
        return { relative in read(resolve(relative, in: folder)) }
    }
}

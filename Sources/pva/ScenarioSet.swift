import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files `pva run-set` was given, each with its name in the set and its
/// results folder. A file argument is one member, named by its file name
/// without `.json`; a folder argument is every `*.json` file below it, named by
/// its path from that folder without `.json` and listed in the order of those
/// paths. The walk follows symbolic links (each folder once) and passes over
/// hidden entries (names starting with ".", such as .git or a results folder's
/// staging folder) and results folders (those with the `.pva-results` marker,
/// whose summary.json is no scenario).
struct ScenarioSet {
    struct Member {
        /// The file as seen from the working directory (for reading and messages).
        var path: String
        /// Its path from the folder argument, or its file name, without `.json`.
        var name: String
        /// Its results folder: the name under the results root.
        var out: String
    }

    var members: [Member] = []

    /// The members of `arguments`, with results folders under `root`.
    init(_ arguments: [String], root: String) throws {
        for argument in arguments {
            guard let real = FileSystem.realPath(argument), FileSystem.kind(real) == .directory else {
                let stem = URL(fileURLWithPath: argument).deletingPathExtension().lastPathComponent
                members.append(Member(path: argument, name: stem, out: Self.join(root, stem)))
                continue
            }
            var visited: Set<String> = []
            let files = try Self.jsonFiles(in: argument, relative: "", visited: &visited).sorted()
            guard !files.isEmpty else { throw UsageError(message: "\(argument) holds no .json files (see pva run-set --help)") }
            for file in files {
                let name = String(file.dropLast(".json".count))
                members.append(Member(path: Self.join(argument, file), name: name, out: Self.join(root, name)))
            }
        }
    }

    /// The `*.json` files below `folder` (real path not in `visited`), as paths from the folder argument.
    private static func jsonFiles(in folder: String, relative: String, visited: inout Set<String>) throws -> [String] {
        guard let real = FileSystem.realPath(folder), visited.insert(real).inserted else { return [] }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            let reason = access(folder, R_OK | X_OK) == 0 ? error.localizedDescription : FileSystem.lastError()
            throw UsageError(message: "cannot read the folder \(folder): \(reason)")
        }
        var files: [String] = []
        for entry in entries where !entry.hasPrefix(".") {
            let path = join(folder, entry), inSet = join(relative, entry)
            if let target = FileSystem.realPath(path), FileSystem.kind(target) == .directory {
                if FileSystem.kind(target + "/" + ResultsFolder.markerName) == .file { continue }
                files += try jsonFiles(in: path, relative: inSet, visited: &visited)
            } else if entry.hasSuffix(".json") {
                files.append(inSet)
            }
        }
        return files
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name)
    }
}

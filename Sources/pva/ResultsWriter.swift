import Foundation

/// Writes a results folder atomically: everything goes into a sibling
/// `NAME.partial` folder first, which replaces the old folder only when
/// complete, so an interrupted run leaves the previous results intact.
enum ResultsWriter {
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    static func write(_ files: [(name: String, data: Data)], to directory: URL) throws {
        let fm = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let name = directory.lastPathComponent
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw WriteError(description: "cannot write results to \(directory.relativePath): a file of that name exists")
        }
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            let partial = parent.appendingPathComponent(name + ".partial")
            if fm.fileExists(atPath: partial.path) { try fm.removeItem(at: partial) }
            try fm.createDirectory(at: partial, withIntermediateDirectories: false)
            for file in files {
                try file.data.write(to: partial.appendingPathComponent(file.name))
            }
            if fm.fileExists(atPath: directory.path) {
                let old = parent.appendingPathComponent(name + ".old")
                if fm.fileExists(atPath: old.path) { try fm.removeItem(at: old) }
                try fm.moveItem(at: directory, to: old)
                try fm.moveItem(at: partial, to: directory)
                try fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: partial, to: directory)
            }
        } catch let error as WriteError {
            throw error
        } catch {
            throw WriteError(description: "cannot write results to \(directory.relativePath): \((error as NSError).localizedDescription)")
        }
    }
}

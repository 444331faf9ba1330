import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A results folder `pva` may write: one it creates, or one that carries its
/// marker file (`.pva-results`, written into every results folder). Nothing
/// else is ever replaced or deleted.
///
/// Claiming a folder refuses (usage error, exit 2), before any simulation:
/// an empty `--out`; the working directory or any folder above it; a folder
/// holding the scenario or a file it reads; a symbolic link; an existing file;
/// an existing folder without the marker; a folder another `pva` process is
/// writing (a lock file beside it, `.NAME.pva-lock`, held with `flock` for the
/// whole run and released by the kernel if the process dies).
///
/// Writing goes to a hidden sibling staging folder (`.NAME.pva-staging-PID`)
/// that replaces the old results in one atomic step: `renameat2` with
/// `RENAME_EXCHANGE` on Linux (old and new swap places; the old is then
/// deleted). Killed at any instant, the folder holds either the old results,
/// complete, or the new ones, complete; a staging folder left behind by a kill
/// is removed by the next run that claims the same folder. The user's own
/// `NAME.old` or `NAME.partial` are never touched.
struct ResultsFolder {
    static let markerName = ".pva-results"
    /// The text of the marker in a staging folder (the final marker lists the files).
    static let stagingMarker = "pva results folder (being written)\n"

    /// The folder as the user named it (for messages).
    let shown: String
    /// Absolute path with symbolic links resolved.
    let path: String
    let parent: String
    let name: String
    let staging: String
    /// Open descriptor of the lock file; the lock lives as long as it is open.
    private let lockDescriptor: Int32

    /// Why a folder cannot be claimed: a refusal to protect the user's files (a usage
    /// error, exit 2) or a failure of the file system (exit 1).
    struct Refusal: Error, CustomStringConvertible {
        var description: String
        var isFailure = false
    }

    /// `claim` for a command: a refusal is a `UsageError` (exit 2), a failure of the file
    /// system a `RuntimeFailure` (exit 1).
    static func claimForCommand(_ shown: String, inputs: [String]) throws -> ResultsFolder {
        do {
            return try claim(shown, inputs: inputs)
        } catch {
            if error.isFailure { throw RuntimeFailure(message: error.description) }
            throw UsageError(message: error.description)
        }
    }

    /// Claims `shown` for a run that reads `inputs` (the scenario and its layer files).
    static func claim(_ shown: String, inputs: [String]) throws(Refusal) -> ResultsFolder {
        let path = try check(shown, inputs: inputs)
        let parent = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        do {
            try FileSystem.makeDirectories(parent)
        } catch {
            throw Refusal(description: "cannot create the folder holding \(shown): \(error)", isFailure: true)
        }
        let lockPath = parent + "/." + name + ".pva-lock"
        let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Refusal(description: "cannot write results to \(shown): creating \(lockPath) failed: \(FileSystem.lastError())", isFailure: true)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw Refusal(description: "another pva process is writing \(shown) now; wait until it has finished (lock \(lockPath))")
        }
        // Holding the lock: look again (another run may have finished in between), and tidy what a
        // killed run of ours left behind.
        do {
            try checkOwned(path, shown: shown)
            try recoverAndTidy(parent: parent, name: name, path: path)
        } catch {
            close(fd)
            throw error
        }
        let staging = parent + "/." + name + ".pva-staging-\(getpid())"
        do {
            try FileSystem.makeDirectory(staging)
            try FileSystem.write(Array(stagingMarker.utf8), to: staging + "/" + markerName)
        } catch {
            close(fd)
            throw Refusal(description: "cannot write results to \(shown): \(error)", isFailure: true)
        }
        return ResultsFolder(shown: shown, path: path, parent: parent, name: name, staging: staging, lockDescriptor: fd)
    }

    /// Every refusal `claim` makes before it creates anything, without touching the file
    /// system (so that `run-set` can check all its folders before it runs any scenario).
    /// Returns the folder's absolute path.
    @discardableResult
    static func check(_ shown: String, inputs: [String]) throws(Refusal) -> String {
        guard !shown.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Refusal(description: "--out is empty (an unset shell variable?); name the results folder, e.g. --out results/my-run")
        }
        let cwd = FileSystem.realPath(".") ?? FileManager.default.currentDirectoryPath
        let path = FileSystem.resolve(shown, from: cwd)
        if path == "/" || path == cwd || cwd.hasPrefix(path + "/") {
            throw Refusal(description: "refusing to write results into \(shown): it is the working directory or a folder above it, and a run replaces the whole folder; name a new folder, e.g. --out results/my-run")
        }
        for input in inputs {
            let real = FileSystem.realPath(input) ?? FileSystem.resolve(input, from: cwd)
            if real.hasPrefix(path + "/") {
                throw Refusal(description: "refusing to write results into \(shown): it holds \(input), which this run reads, and a run replaces the whole folder; name a new folder, e.g. --out results/my-run")
            }
        }
        try checkOwned(path, shown: shown)
        return path
    }

    /// Refuses a path that exists and is not a results folder of ours.
    private static func checkOwned(_ path: String, shown: String) throws(Refusal) {
        switch FileSystem.kind(path) {
        case .missing: return
        case .symbolicLink:
            throw Refusal(description: "refusing to write results to \(shown): it is a symbolic link; name the real folder or a new one")
        case .directory:
            guard FileSystem.kind(path + "/" + markerName) == .file else {
                throw Refusal(description: "refusing to replace \(shown): the folder exists and was not written by pva (it has no \(markerName) marker); choose a new name, or move the folder away yourself")
            }
        case .file, .other:
            throw Refusal(description: "cannot write results to \(shown): a file of that name exists")
        }
    }

    /// Removes staging folders of killed runs (ours by name and marker, or empty) and
    /// restores results a killed fallback replacement had moved aside.
    private static func recoverAndTidy(parent: String, name: String, path: String) throws(Refusal) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        for entry in entries.sorted() {
            let full = parent + "/" + entry
            let ours = FileSystem.kind(full + "/" + markerName) == .file
            let empty = ((try? FileManager.default.contentsOfDirectory(atPath: full)) ?? ["?"]).isEmpty
            if entry.hasPrefix("." + name + ".pva-aside-") && ours && FileSystem.kind(path) == .missing {
                guard rename(full, path) == 0 else { throw Refusal(description: "cannot restore \(full): \(FileSystem.lastError())", isFailure: true) }
            } else if (entry.hasPrefix("." + name + ".pva-staging-") || entry.hasPrefix("." + name + ".pva-aside-")) && (ours || empty) {
                remove(full)
            }
        }
    }

    /// Path of a file in the staging folder.
    func stagingFile(_ file: String) -> String { staging + "/" + file }

    /// Writes `text` as the file `name` in the staging folder.
    func write(_ name: String, _ text: String) throws {
        let out = try OutputFile(stagingFile(name))
        out.write(text)
        try out.close()
    }

    /// Writes every file into the staging folder and puts it in place; on any failure the
    /// staging folder is removed and the error thrown on.
    func complete(with files: [(name: String, text: String)]) throws {
        do {
            for file in files { try write(file.name, file.text) }
            try commit(files: files.map(\.name))
        } catch {
            abandon()
            throw error
        }
    }

    /// Writes the final marker (the list of files) and puts the staging folder in place
    /// of the old results in one atomic step, then deletes the old results.
    func commit(files: [String]) throws {
        let manifest = "pva results folder\nfiles: " + files.joined(separator: " ") + "\n"
        try FileSystem.write(Array(manifest.utf8), to: staging + "/" + Self.markerName)
        defer { close(lockDescriptor) }
        if FileSystem.kind(path) == .missing {
            guard rename(staging, path) == 0 else { throw FileSystem.Failure("cannot write results to \(shown): \(FileSystem.lastError())") }
            return
        }
        if FileSystem.exchange(staging, path) {
            Self.remove(staging)  // now the old results
            return
        }
        // No atomic exchange here: move the old results aside, the new in place, then delete the
        // old. A kill in between leaves the old results aside, and the next claim restores them.
        let aside = parent + "/." + name + ".pva-aside-\(getpid())"
        guard rename(path, aside) == 0 else { throw FileSystem.Failure("cannot replace \(shown): \(FileSystem.lastError())") }
        guard rename(staging, path) == 0 else {
            let reason = FileSystem.lastError()
            _ = rename(aside, path)
            throw FileSystem.Failure("cannot replace \(shown): \(reason)")
        }
        Self.remove(aside)
    }

    /// Deletes a results folder of ours with its marker last, so that a kill halfway leaves a
    /// folder the next claim still recognises as ours (and finishes deleting).
    static func remove(_ folder: String) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for entry in entries where entry != markerName { try? FileManager.default.removeItem(atPath: folder + "/" + entry) }
        try? FileManager.default.removeItem(atPath: folder + "/" + markerName)
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Removes the staging folder (a run that failed) and releases the lock.
    func abandon() {
        Self.remove(staging)
        close(lockDescriptor)
    }
}

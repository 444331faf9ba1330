import Foundation
import PVAKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--shard K/N`: the K-th of N parts of a run's replicates (or of a study's draws),
/// items ⌊K·total/N⌋ … ⌊(K+1)·total/N⌋ − 1. Every item's random streams come from
/// (seed, item index), so a part runs exactly as it would inside the whole.
struct ShardSpec: Equatable, Sendable {
    static let maximumCount = 100_000
    let index: Int
    let count: Int

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    init(parsing text: String) throws(UsageError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= Self.maximumCount, k >= 0, k < n else {
            throw UsageError(message: "--shard needs K/N with 0 ≤ K < N ≤ \(Self.maximumCount), e.g. --shard 0/4 (got '\(text)')")
        }
        self.init(index: k, count: n)
    }

    func range(of total: Int) -> Range<Int> { index * total / count ..< (index + 1) * total / count }

    /// The shard file's name in its folder.
    var fileName: String { "shard-\(index)-of-\(count)\(ShardFile.suffix)" }
}

/// What a shard file says about itself (its first line): which run or study it
/// belongs to and which part of it it holds. `pva merge` accepts shards only
/// when all of them agree on everything but `shard`, `lower` and `upper`.
struct ShardHeader: Codable, Equatable, Sendable {
    /// What was sharded: "run", "sensitivity" or "calibration" (the merge to use).
    var kind: String
    var format: Int
    var engineVersion: String
    var platform: String
    /// SHA-256 of everything the result depends on (for a run the provenance's
    /// scenarioSHA256: the resolved scenario with its overrides, and every file it reads).
    var inputSHA256: String
    var seed: UInt64
    var shard: Int
    var shards: Int
    /// Items (replicates or draws) in the whole run, and this shard's range of them.
    var total: Int
    var lower: Int
    var upper: Int
    /// The command's own arguments (without --shard, --out and the options that change no
    /// result) and the folder it ran in: `pva merge` prepares the same run from them.
    var arguments: [String]
    var directory: String

    init(kind: String, inputSHA256: String, seed: UInt64, spec: ShardSpec, total: Int, arguments: [String]) {
        self.kind = kind
        format = ShardFile.format
        engineVersion = Provenance.engineVersion
        platform = Provenance.platform
        self.inputSHA256 = inputSHA256
        self.seed = seed
        shard = spec.index
        shards = spec.count
        self.total = total
        let range = spec.range(of: total)
        lower = range.lowerBound
        upper = range.upperBound
        self.arguments = arguments
        directory = FileManager.default.currentDirectoryPath
    }

    var spec: ShardSpec { ShardSpec(index: shard, count: shards) }

    /// The path of a file named in `arguments` as the shard run saw it: relative paths are
    /// taken from the shard's folder when it exists here, else from the working directory.
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let there = (directory as NSString).appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: there) ? there : path
    }
}

/// A shard file: one line `pva-shard HEADER-JSON`, then one line per item of data
/// (`TAG JSON`, written in item order), then `end SHA256` over every byte before
/// it. Numbers are exact: integers, counts and 128-bit exact sums as integers,
/// reals in the shortest text that reads back as the same Double. A file without
/// its end line, or whose checksum differs, is refused as truncated or damaged.
enum ShardFile {
    static let format = 1
    static let magic = "pva-shard "
    static let suffix = ".pva-shard"

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Writes a shard file into a folder: to a hidden temporary file first, renamed into
    /// place by `commit`, so a killed shard run leaves no file that looks complete. Only a
    /// file that is already a shard file is ever replaced.
    final class Writer {
        let path: String
        /// Where the file is written until `commit` renames it to `path`.
        private let temporary: String
        private let file: OutputFile
        private var hasher = SHA256()
        private let interrupt: Interrupt.Handler

        init(folder: String, spec: ShardSpec, header: ShardHeader) throws {
            if case .file = FileSystem.kind(folder) {
                throw UsageError(message: "--out \(folder) is a file; a shard run writes its shard file into a folder")
            }
            do {
                try FileSystem.makeDirectories(folder)
            } catch {
                throw RuntimeFailure(message: "cannot create the shard folder \(folder): \(error)")
            }
            path = (folder as NSString).appendingPathComponent(spec.fileName)
            switch FileSystem.kind(path) {
            case .missing: break
            case .file where ShardFile.isShard(path): break
            default:
                throw UsageError(message: "\(path) exists and is not a shard file; pva replaces only its own shard files")
            }
            temporary = (folder as NSString).appendingPathComponent(".\(spec.fileName).\(getpid()).tmp")
            // Ctrl-C or SIGTERM (a scheduler's time limit, scancel) from here on removes the
            // temporary file: the handler is in place before the file exists.
            let temporary = temporary
            interrupt = Interrupt.cleanUp(message: "interrupted; no shard file written") { unlink(temporary) }
            do {
                file = try OutputFile(temporary)
            } catch {
                interrupt.cancel()
                throw RuntimeFailure(message: error.description)
            }
            write(ShardFile.magic + String(decoding: try ShardFile.encoder.encode(header), as: UTF8.self) + "\n")
        }

        private func write(_ line: String) {
            hasher.update(line.utf8)
            file.write(line)
        }

        /// One data line: `tag` and `value` as JSON.
        func write<T: Encodable>(_ tag: String, _ value: T) throws { write(try ShardFile.line(tag: tag, value)) }

        /// A data line already encoded (`line(tag:value:)`), for lines made on worker threads.
        func write(line: String) { write(line) }

        /// Ends the file with its checksum and puts it in place.
        func commit() throws {
            file.write("end " + SHA256.hex(hasher.finalize()) + "\n")
            do {
                try file.close()
            } catch {
                abandon()
                throw RuntimeFailure(message: error.description)
            }
            guard rename(temporary, path) == 0 else {
                let reason = FileSystem.lastError()
                abandon()
                throw RuntimeFailure(message: "cannot put the shard file in place at \(path): \(reason)")
            }
            interrupt.cancel()
        }

        func abandon() {
            unlink(temporary)
            interrupt.cancel()
        }
    }

    /// A data line, encoded (on the worker thread that made the value).
    static func line<T: Encodable>(tag: String, _ value: T) throws -> String {
        tag + " " + String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// Whether the file at `path` starts as a shard file does.
    static func isShard(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: magic.utf8.count)) ?? Data()
        return Array(start) == Array(magic.utf8)
    }

    /// A shard file opened for merging: its header read and its checksum verified (the
    /// whole file is read once to check it; the data lines are read again by `forEachLine`).
    struct Reader {
        let path: String
        let header: ShardHeader

        init(_ path: String) throws {
            self.path = path
            var hasher = SHA256()
            var header: ShardHeader?
            var ended = false
            try ShardFile.lines(path) { line, complete in
                if ended { throw UsageError(message: "\(path) is damaged: it goes on after its end line") }
                guard complete else {
                    throw UsageError(message: "\(path) is truncated (its last line is cut off): the shard run did not finish or the copy is incomplete")
                }
                if header == nil {
                    header = try Self.header(line, path: path)
                } else if line.starts(with: Array("end ".utf8)) {
                    let stated = String(decoding: line.dropFirst(4).dropLast(), as: UTF8.self)
                    guard stated == SHA256.hex(hasher.finalize()) else {
                        throw UsageError(message: "\(path) is damaged: its checksum does not match its content")
                    }
                    ended = true
                    return
                }
                hasher.update(line)
            }
            guard let header else { throw UsageError(message: "\(path) is empty: not a shard file") }
            guard ended else {
                throw UsageError(message: "\(path) is truncated (no end line): the shard run did not finish or the copy is incomplete")
            }
            self.header = header
        }

        private static func header(_ line: ArraySlice<UInt8>, path: String) throws(UsageError) -> ShardHeader {
            let magic = Array(ShardFile.magic.utf8)
            guard line.starts(with: magic) else {
                throw UsageError(message: "\(path) is not a shard file (it does not start with '\(ShardFile.magic)'); shard files are written by pva run --shard")
            }
            let json = Data(line.dropFirst(magic.count))
            let header: ShardHeader
            do {
                header = try JSONDecoder().decode(ShardHeader.self, from: json)
            } catch {
                throw UsageError(message: "\(path) has a header pva cannot read (written by another version of pva?): \(error)")
            }
            guard header.format == ShardFile.format else {
                throw UsageError(message: "\(path) is a shard file of format \(header.format); this pva reads format \(ShardFile.format)")
            }
            return header
        }

        /// Calls `body` with each data line's tag and JSON, in the order written.
        func forEachLine(_ body: (String, Data) throws -> Void) throws {
            var first = true
            try ShardFile.lines(path) { line, _ in
                if first { first = false; return }
                if line.starts(with: Array("end ".utf8)) { return }
                guard let space = line.firstIndex(of: UInt8(ascii: " ")) else {
                    throw UsageError(message: "\(path) is damaged: a line without a tag")
                }
                try body(String(decoding: line[line.startIndex..<space], as: UTF8.self), Data(line[(space + 1)...].dropLast()))
            }
        }

        /// `json` decoded as `type`, or an error naming the file and the line's tag.
        func decode<T: Decodable>(_ type: T.Type, _ json: Data, tag: String) throws(UsageError) -> T {
            do {
                return try JSONDecoder().decode(type, from: json)
            } catch {
                throw UsageError(message: "\(path) is damaged: its \(tag) line cannot be read: \(error)")
            }
        }
    }

    /// Reads `path` line by line (each line with its "\n"; `complete` is false for a last
    /// line without one), without holding the file in memory.
    static func lines(_ path: String, _ body: (ArraySlice<UInt8>, _ complete: Bool) throws -> Void) throws {
        guard let stream = fopen(path, "rb") else {
            throw UsageError(message: "cannot read the shard file \(path): \(FileSystem.lastError())")
        }
        defer { fclose(stream) }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        while true {
            let n = getline(&buffer, &capacity, stream)
            if n < 0 { break }
            let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
            try body(ArraySlice(bytes), n > 0 && bytes[n - 1] == UInt8(ascii: "\n"))
        }
    }
}

/// Items that arrive from worker threads in any order, handed on in order of
/// their index (an item waits only for the ones before it).
final class InOrder<Item>: @unchecked Sendable {
    private let lock = NSLock()
    private var next: Int
    private var pending: [Int: Item] = [:]
    private let deliver: (Item) -> Void

    init(first: Int, deliver: @escaping (Item) -> Void) {
        next = first
        self.deliver = deliver
    }

    func put(_ index: Int, _ item: Item) {
        lock.withLock {
            pending[index] = item
            while let ready = pending.removeValue(forKey: next) {
                deliver(ready)
                next += 1
            }
        }
    }

    /// Whether every item up to the last one put has been handed on.
    var isDrained: Bool { lock.withLock { pending.isEmpty } }
    var delivered: Int { lock.withLock { next } }
}

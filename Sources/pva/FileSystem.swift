import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system calls `pva` makes, through POSIX so that every failure
/// can name its real cause (`strerror`), not a Foundation error code.
enum FileSystem {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    enum Kind: Equatable {
        case missing, file, directory, symbolicLink, other
    }

    /// The text of `errno`, e.g. "read-only file system".
    static func lastError() -> String { errorText(errno) }

    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        let s = String(cString: text)
        return s.prefix(1).lowercased() + s.dropFirst()
    }

    /// What is at `path`, without following a final symbolic link.
    static func kind(_ path: String) -> Kind {
        var s = stat()
        guard lstat(path, &s) == 0 else { return .missing }
        switch s.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// `realpath(3)`, or nil when the path cannot be resolved.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// `path` made absolute from `cwd`, with symbolic links resolved in the part that exists and
    /// `.` and `..` removed in the part that does not.
    static func resolve(_ path: String, from cwd: String) -> String {
        let absolute = path.hasPrefix("/") ? path : cwd + "/" + path
        var existing = absolute
        var rest: [String] = []
        while realPath(existing) == nil {
            let parent = (existing as NSString).deletingLastPathComponent
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            if parent == existing || parent.isEmpty { existing = "/"; break }
            existing = parent
        }
        var components = (realPath(existing) ?? "/").split(separator: "/").map(String.init)
        for part in rest {
            switch part {
            case "", ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(part)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    static func makeDirectory(_ path: String) throws(Failure) {
        guard mkdir(path, 0o755) == 0 else { throw Failure("cannot create \(path): \(lastError())") }
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(Failure) {
        if kind(path) == .directory || path.isEmpty || path == "/" { return }
        if realPath(path) != nil, case let k = kind(path), k == .symbolicLink { return }  // a link to a folder
        try makeDirectories((path as NSString).deletingLastPathComponent)
        if mkdir(path, 0o755) != 0 {
            guard errno == EEXIST else { throw Failure("cannot create \(path): \(lastError())") }
            if kind(path) != .directory && realPath(path + "/.") == nil { throw Failure("cannot create \(path): a file of that name exists") }
        }
    }

    /// The bytes of an input a command was given (a stored result): a file that cannot be read
    /// is the user's mistake to correct, a usage error naming it.
    static func readInput(_ path: String) throws -> [UInt8] {
        do {
            return try read(path)
        } catch {
            throw UsageError(message: "cannot read \(path): \(error)")
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let file = try OutputFile(path)
        file.write(bytes)
        try file.close()
    }

    /// Swaps two paths atomically (`renameat2(RENAME_EXCHANGE)`, Linux 3.15+); false when the
    /// platform or file system cannot.
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32
        guard let symbol = dlsym(nil, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: Renameat2.self)
        let exchangeFlag: UInt32 = 2  // RENAME_EXCHANGE
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, exchangeFlag) == 0
        #else
        return false
        #endif
    }

    /// Why a path cannot be read as a file, or nil when it can: names the real cause
    /// (a folder, a device, a FIFO, a loop of links, no permission, nothing there).
    static func unreadableReason(_ path: String) -> String? {
        var s = stat()
        guard stat(path, &s) == 0 else {
            let code = errno
            if code == ENOENT && kind(path) == .symbolicLink { return "it is a symbolic link to nothing (\(errorText(code)))" }
            return code == ENOENT ? "no such file" : errorText(code)
        }
        switch s.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return "it is a directory"
        case S_IFIFO: return "it is a FIFO (named pipe), not a file"
        case S_IFCHR: return "it is a character device, not a file"
        case S_IFBLK: return "it is a block device, not a file"
        case S_IFSOCK: return "it is a socket, not a file"
        default: return "it is not a regular file"
        }
        guard access(path, R_OK) == 0 else { return errorText(errno) }
        return nil
    }

    /// The bytes of a regular file.
    static func read(_ path: String) throws(Failure) -> [UInt8] {
        if let reason = unreadableReason(path) { throw Failure(reason) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(lastError()) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var s = stat()
        if fstat(fd, &s) == 0 { bytes.reserveCapacity(Int(s.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(lastError())
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}

/// A file written through a buffer (so large outputs stream to disk); `close` reports
/// the first write error with its real cause.
final class OutputFile {
    private let fd: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private var failure: String?
    static let bufferSize = 1 << 16

    init(_ path: String) throws(FileSystem.Failure) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystem.Failure("cannot create \(path): \(FileSystem.lastError())") }
        buffer.reserveCapacity(Self.bufferSize)
    }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    func write(_ bytes: [UInt8]) { bytes.withUnsafeBytes { write($0) } }

    func write(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { flush() }
    }

    private func flush() {
        guard failure == nil else { buffer.removeAll(keepingCapacity: true); return }
        var offset = 0
        buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = FileSystem.lastError()
                    return
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws(FileSystem.Failure) {
        flush()
        if Glibc.close(fd) != 0 && failure == nil { failure = FileSystem.lastError() }
        if let failure { throw FileSystem.Failure("cannot write \(path): \(failure)") }
    }
}

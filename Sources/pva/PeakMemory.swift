import Foundation

/// The process's peak resident memory as the kernel counts it for its own
/// address space (`VmHWM` in /proc/self/status), for tests and `pva bench`.
enum PeakMemory {
    static var kibibytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1])
    }
}

import Foundation

/// A progress bar with ETA on stderr, drawn at most ten times a second;
/// silent unless stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let console: Console
    private let enabled: Bool
    private var done = 0
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let unit: String

    init(total: Int, console: Console, enabled: Bool, unit: String = "replicates") {
        self.total = total
        self.unit = unit
        self.console = console
        self.enabled = enabled && console.errorIsTerminal
    }

    func tick() {
        guard enabled else { return }
        lock.withLock {
            done += 1
            let now = Date()
            guard done == total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            let fraction = Double(done) / Double(total)
            let width = 30
            let filled = Int(fraction * Double(width))
            let elapsed = now.timeIntervalSince(start)
            let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            console.err("\r[\(bar)] \(Int(fraction * 100))% \(done)/\(total) \(unit), ETA \(Self.duration(eta)) ")
        }
    }

    func finish() {
        guard enabled else { return }
        console.err("\r" + String(repeating: " ", count: 78) + "\r")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

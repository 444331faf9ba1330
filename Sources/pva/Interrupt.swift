import Dispatch
import Foundation

/// Ctrl-C (SIGINT) or a scheduler's stop (SIGTERM, as SLURM sends at a time
/// limit or `scancel`) during a run: what the command was writing is removed
/// and the process exits 128 + the signal; the previous results stay as they
/// were (they are only replaced once the new ones are complete).
enum Interrupt {
    static let signals = [SIGINT, SIGTERM]

    final class Handler {
        private let sources: [DispatchSourceSignal]
        init(_ sources: [DispatchSourceSignal]) { self.sources = sources }
        func cancel() {
            for source in sources { source.cancel() }
            for number in Interrupt.signals { signal(number, SIG_DFL) }
        }
    }

    /// Removes `folder`'s staging folder on Ctrl-C, then runs `also` (a caller's own temporary
    /// files, e.g. `pva check`'s temporary results) before exiting.
    static func cleanUp(_ folder: ResultsFolder, also: (@Sendable () -> Void)? = nil) -> Handler {
        cleanUp(message: also == nil ? "interrupted; \(folder.shown) is unchanged" : "interrupted") {
            folder.abandon()
            also?()
        }
    }

    /// Runs `action` on Ctrl-C or SIGTERM (removing what the command was writing), prints
    /// `message` and exits 128 + the signal.
    static func cleanUp(message: String, _ action: @escaping @Sendable () -> Void) -> Handler {
        Handler(signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                action()
                FileHandle.standardError.write(Data("\npva: \(message)\n".utf8))
                exit(128 + number)
            }
            source.resume()
            return source
        })
    }
}

import Dispatch
import Foundation

/// Ctrl-C during a run: the staging folder is removed and the process exits
/// 130; the previous results stay as they were (they are only replaced once
/// the new ones are complete).
enum Interrupt {
    final class Handler {
        private let source: DispatchSourceSignal
        init(_ source: DispatchSourceSignal) { self.source = source }
        func cancel() {
            source.cancel()
            signal(SIGINT, SIG_DFL)
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

    /// Runs `action` on Ctrl-C (removing what the command was writing), prints `message` and exits 130.
    static func cleanUp(message: String, _ action: @escaping @Sendable () -> Void) -> Handler {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            action()
            FileHandle.standardError.write(Data("\npva: \(message)\n".utf8))
            exit(130)
        }
        source.resume()
        return Handler(source)
    }
}

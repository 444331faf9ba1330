import Foundation
import PVAKit

/// Streams `replicates.csv` and `trajectories.csv` to disk as replicates
/// finish: each worker formats its replicate's lines, and the lines are
/// written in replicate order (a finished replicate waits only for the ones
/// before it), so the files are the same whatever the thread count and the
/// memory held is the out-of-order backlog, not the run.
final class ReplicateFilesWriter: ReplicateSink, @unchecked Sendable {
    private let tables: ReplicateTables
    private let replicates: OutputFile
    private let trajectories: OutputFile
    private let lock = NSLock()
    private var next: Int
    private var pending: [Int: (String, String)] = [:]

    init(tables: ReplicateTables, folder: ResultsFolder, firstReplicate: Int = 0) throws {
        self.tables = tables
        replicates = try OutputFile(folder.stagingFile("replicates.csv"))
        trajectories = try OutputFile(folder.stagingFile("trajectories.csv"))
        next = firstReplicate
        replicates.write(tables.replicates.header)
        trajectories.write(tables.trajectories.header)
    }

    func receive(_ record: ReplicateRecord) {
        let lines = tables.lines(record)
        lock.withLock {
            pending[record.index] = lines
            while let ready = pending.removeValue(forKey: next) {
                replicates.write(ready.0)
                trajectories.write(ready.1)
                next += 1
            }
        }
    }

    /// Flushes and closes both files (every replicate must have arrived).
    func close() throws {
        precondition(pending.isEmpty, "replicates missing before \(next)")
        try replicates.close()
        try trajectories.close()
    }
}

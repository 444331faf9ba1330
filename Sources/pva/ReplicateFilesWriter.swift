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
    private let inOrder: InOrder<(String, String)>

    init(tables: ReplicateTables, folder: ResultsFolder) throws {
        self.tables = tables
        let replicates = try OutputFile(folder.stagingFile("replicates.csv"))
        let trajectories = try OutputFile(folder.stagingFile("trajectories.csv"))
        replicates.write(tables.replicates.header)
        trajectories.write(tables.trajectories.header)
        self.replicates = replicates
        self.trajectories = trajectories
        inOrder = InOrder(first: 0) { lines in
            replicates.write(lines.0)
            trajectories.write(lines.1)
        }
    }

    func receive(_ record: ReplicateRecord) { inOrder.put(record.index, tables.lines(record)) }

    /// Flushes and closes both files (every replicate must have arrived).
    func close() throws {
        precondition(inOrder.isDrained, "replicates missing before \(inOrder.delivered)")
        try replicates.close()
        try trajectories.close()
    }
}

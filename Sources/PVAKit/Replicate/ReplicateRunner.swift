/// What the Monte Carlo runner needs of a worker's replicate state, whichever way a
/// run simulates (`Replicate` for individuals, `CountReplicate` for class counts):
/// run one replicate from its own streams, and keep the worker's statistics.
protocol ReplicateRunner: AnyObject, SendableMetatype {
    /// Runs replicate `index` (streams from the master seed and `index`) and returns its record.
    func run(_ index: Int) -> ReplicateRecord
    /// This worker's tallies and census statistics over all its replicates.
    var tallies: Tallies { get }
    var census: CensusAccumulator { get }
    /// Check the state after every stage (`pva run --check-invariants`).
    var checksInvariants: Bool { get set }
}

extension Replicate: ReplicateRunner {}

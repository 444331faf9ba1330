import Foundation
import PVAKit

/// `pva run SCENARIO --shard K/N` and its merge. A run shard holds, in this order:
/// one `replicate` line per replicate of its range (the record the per-replicate
/// files are written from, in replicate order), one `statistics` line (the
/// shard's integer tallies and census accumulator), and for a scenario with
/// translocations one `without` line (the same replicates run without them).
/// Merging adds the statistics exactly and streams the records in order, so the
/// results folder is byte-identical to the one run of all replicates.
enum RunShard {
    static let kind = "run"

    /// A shard's statistics: what `RunResult` is made of.
    struct Statistics: Codable {
        var tallies: Tallies
        var census: CensusAccumulator
    }

    /// Runs the replicates of shard `spec` and writes its shard file into the folder `out`;
    /// returns the file's path. `arguments` are the run's own (see `ShardHeader.arguments`).
    static func run(_ prepared: ScenarioFile.Prepared, arguments: [String], spec: ShardSpec, out: String,
                    settings: ScenarioRun.Settings, console: Console) throws -> String {
        let model = prepared.model
        let provenance = Provenance(loaded: prepared.loaded, files: prepared.loaded.files)
        let header = ShardHeader(kind: kind, inputSHA256: provenance.scenarioSHA256, seed: provenance.seed, spec: spec,
                                 total: model.replicates, arguments: arguments)
        let writer = try ShardFile.Writer(folder: out, spec: spec, header: header)
        do {
            let range = spec.range(of: model.replicates)
            let options = MonteCarlo.Options(threads: settings.threads(range.count), replicates: range,
                                             checkInvariants: settings.checkInvariants)
            let sink = RecordLines(first: range.lowerBound, writer: writer)
            let progress = ProgressBar(total: range.count, console: console, enabled: !settings.quiet)
            let result = MonteCarlo.run(model, options: options, sink: sink, progress: { progress.tick() })
            progress.finish()
            try sink.finish()
            try writer.write("statistics", Statistics(tallies: result.tallies, census: result.census))
            if let without = model.withoutTranslocations {
                let other = MonteCarlo.run(without, options: options)
                try writer.write("without", Statistics(tallies: other.tallies, census: other.census))
            }
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
        return writer.path
    }

    /// Each replicate's record as a `replicate` line, encoded on the worker that ran it and
    /// written in replicate order.
    final class RecordLines: ReplicateSink, @unchecked Sendable {
        private let inOrder: InOrder<String>
        private let lock = NSLock()
        private var failure: (any Error)?

        init(first: Int, writer: ShardFile.Writer) {
            inOrder = InOrder(first: first) { writer.write(line: $0) }
        }

        func receive(_ record: ReplicateRecord) {
            do {
                inOrder.put(record.index, try ShardFile.line(tag: "replicate", record))
            } catch {
                lock.withLock { failure = failure ?? error }
                inOrder.put(record.index, "")
            }
        }

        func finish() throws {
            if let failure = lock.withLock({ failure }) { throw RuntimeFailure(message: "cannot write a replicate's record: \(failure)") }
        }
    }

    /// `pva merge` of run shards (already checked to be the complete set of one run, in
    /// shard order): prepares the run again from the shards' arguments, checks that its
    /// inputs are still the ones the shards ran, and writes the results folder `out`.
    static func merge(_ shards: [ShardFile.Reader], out: String, console: Console) throws -> String {
        let prepared = try MergeCommand.prepareAgain(shards, what: "scenario") { arguments in
            let request = try RunCommand.Request(arguments: arguments)
            let p = try ScenarioFile.prepare(request.path, overrides: request.overrides)
            return (p, Provenance(loaded: p.loaded, files: p.loaded.files).scenarioSHA256)
        }
        let model = prepared.model
        let folder = try ResultsFolder.claimForCommand(out, inputs: prepared.inputs)
        let report = try ScenarioRun.write(prepared, into: folder) { writer in
            var result = RunResult(empty: model)
            var without = model.withoutTranslocations.map { RunResult(empty: $0) }
            for shard in shards {
                try read(shard, model: model, into: writer, result: &result, without: &without)
            }
            return (result, without)
        }
        return report.textSummary
    }

    /// Streams one shard's records to `writer` and adds its statistics.
    private static func read(_ shard: ShardFile.Reader, model: EngineModel, into writer: ReplicateFilesWriter,
                             result: inout RunResult, without: inout RunResult?) throws {
        func damaged(_ what: String) -> UsageError { UsageError(message: "\(shard.path) is damaged: \(what)") }
        let expected = RunResult(empty: model)
        var next = shard.header.lower
        var statistics = false, other = false
        try shard.forEachLine { tag, json in
            switch tag {
            case "replicate":
                let record = try shard.decode(ReplicateRecord.self, json, tag: tag)
                guard record.index == next, next < shard.header.upper else {
                    throw damaged("replicate \(record.index) where replicate \(next) should be")
                }
                guard record.females.count == model.years + 1, record.males.count == model.years + 1,
                      record.targetCounts.count == model.targetRegions.count * (model.years + 1),
                      record.targetBornThere.count == record.targetCounts.count else {
                    throw damaged("replicate \(record.index) does not have the run's years and target regions")
                }
                writer.receive(record)
                next += 1
            case "statistics", "without":
                let part = try shard.decode(Statistics.self, json, tag: tag)
                guard sameShape(part.tallies, expected.tallies), sameShape(part.census, expected.census) else {
                    throw damaged("its \(tag) do not have the shape of this run's")
                }
                if tag == "statistics" {
                    guard !statistics else { throw damaged("two statistics lines") }
                    statistics = true
                    result.add(part.tallies, part.census)
                } else {
                    guard without != nil, !other else { throw damaged("a 'without' line this run does not have") }
                    other = true
                    without?.add(part.tallies, part.census)
                }
            default:
                throw damaged("an unknown line '\(tag)'")
            }
        }
        guard next == shard.header.upper else {
            throw damaged("it holds replicates \(shard.header.lower)…\(next - 1) of \(shard.header.lower)…\(shard.header.upper - 1)")
        }
        guard statistics, other || without == nil else { throw damaged("its statistics are missing") }
    }

    /// Whether every array stored in `a` has the length of the same array in `b` (statistics
    /// of another shape would be added out of range).
    static func sameShape(_ a: Any, _ b: Any) -> Bool {
        let left = Mirror(reflecting: a).children.map(\.value)
        let right = Mirror(reflecting: b).children.map(\.value)
        guard left.count == right.count else { return false }
        for (x, y) in zip(left, right) {
            let mx = Mirror(reflecting: x), my = Mirror(reflecting: y)
            if mx.displayStyle == .collection, mx.children.count != my.children.count { return false }
        }
        return true
    }
}

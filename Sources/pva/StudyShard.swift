import Foundation
import PVAKit

/// `--shard K/N` for the studies that run draws (`pva sensitivity`, `pva calibrate`), and
/// their merge. A study shard holds one `draw` line per draw of its range, in draw order:
/// what the study keeps of a draw (a sensitivity draw's outcomes, a calibration draw's
/// values, hits and score), reals in the shortest text that reads back as the same
/// Double. The merge reads every draw back, exactly, and finishes the study as the
/// unsharded command does, so the results folder is byte-identical.
enum StudyShard {
    /// What a study's result depends on, as one SHA-256: the study file's bytes, the
    /// scenario's provenance hash (the resolved scenario and every file it reads) and the
    /// command's own arguments (its overrides, such as --draws and --replicates).
    static func inputHash(studyBytes: [UInt8], scenarioSHA256: String, arguments: [String]) -> String {
        var hasher = SHA256()
        hasher.update(Array("pva study\n".utf8))
        hasher.update(Array(SHA256.hex(SHA256.hash(studyBytes)).utf8))
        hasher.update(Array("\n\(scenarioSHA256)\n".utf8))
        for argument in arguments.dropFirst() { hasher.update(Array("\(argument)\n".utf8)) }
        return SHA256.hex(hasher.finalize())
    }

    /// Writes the shard file of `draws` (the shard's range, in order) into the folder `out`.
    static func write<Draw: Encodable>(kind: String, inputSHA256: String, seed: UInt64, spec: ShardSpec, total: Int,
                                       arguments: [String], out: String, draws: [Draw]) throws -> String {
        let header = ShardHeader(kind: kind, inputSHA256: inputSHA256, seed: seed, spec: spec, total: total, arguments: arguments)
        let writer = try ShardFile.Writer(folder: out, spec: spec, header: header)
        do {
            for draw in draws { try writer.write("draw", draw) }
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
        return writer.path
    }

    /// Every draw of the complete set of shards (checked by `MergeCommand.complete`, in
    /// shard order), in draw order; `index` reads a draw's index, which must run on.
    static func read<Draw: Decodable>(_ shards: [ShardFile.Reader], _ type: Draw.Type, index: (Draw) -> Int) throws -> [Draw] {
        var draws: [Draw] = []
        draws.reserveCapacity(shards.first?.header.total ?? 0)
        for shard in shards {
            func damaged(_ what: String) -> UsageError { UsageError(message: "\(shard.path) is damaged: \(what)") }
            var next = shard.header.lower
            try shard.forEachLine { tag, json in
                guard tag == "draw" else { throw damaged("an unknown line '\(tag)'") }
                let draw = try shard.decode(type, json, tag: tag)
                guard index(draw) == next, next < shard.header.upper else {
                    throw damaged("draw \(index(draw)) where draw \(next) should be")
                }
                draws.append(draw)
                next += 1
            }
            guard next == shard.header.upper else {
                throw damaged("it holds draws \(shard.header.lower)…\(next - 1) of \(shard.header.lower)…\(shard.header.upper - 1)")
            }
        }
        return draws
    }
}

import Foundation
import PVAKit

/// `pva merge SHARD... --out DIR`: checks that the shard files are the complete
/// set of one run (or study, or calibration) and writes what that run would have
/// written on one machine.
enum MergeCommand {
    static var help: String { """
    Usage: pva merge SHARD|FOLDER... --out DIR [--quiet]

    Merges the shard files written by pva run --shard K/N (or pva sensitivity
    or pva calibrate with --shard) into the results folder DIR, byte-identical
    to the folder the unsharded command writes. A FOLDER stands for every
    *.pva-shard file in it.

    The shards must be one run: the same kind, engine version and platform,
    scenario hash (the resolved scenario, its overrides and every file it
    reads; for a study, also the study file and its options), seed, number of
    items and of shards; every shard 0…N−1 exactly once, each complete (a
    truncated or damaged file is refused). The run's scenario (or study) is
    prepared again from the arguments stored in the shards (paths from the
    folder the shards ran in) and must still have the shards' hash. A
    calibration's merge runs its accepted draws again for the hindcast band,
    as pva calibrate does.

    Options:
      --out DIR   results folder (as for pva run: created, or one pva wrote before)
      --quiet     print nothing on success

    """ }

    /// How each kind of shard is merged: the shards (checked, in shard order) into `out`;
    /// returns the text to print.
    static func merge(_ shards: [ShardFile.Reader], out: String, console: Console) throws -> String {
        switch shards[0].header.kind {
        case RunShard.kind: return try RunShard.merge(shards, out: out, console: console)
        case SensitivityCommand.kind: return try SensitivityCommand.merge(shards, out: out, console: console)
        case CalibrateCommand.kind: return try CalibrateCommand.merge(shards, out: out, console: console)
        case let kind: throw UsageError(message: "\(shards[0].path) holds a '\(kind)' shard, which this pva cannot merge")
        }
    }

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: ["--out"], flagOptions: ["--help", "--quiet"], command: "merge")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        guard !options.positional.isEmpty else { throw UsageError(message: "merge needs shard files or folders (see pva merge --help)") }
        guard let out = options.string("--out") else { throw UsageError(message: "merge needs --out DIR, the results folder to write") }
        let shards = try complete(try options.positional.flatMap(files).map { try ShardFile.Reader($0) })
        let text = try merge(shards, out: out, console: console)
        if !options.flag("--quiet") {
            console.out("merged \(shards.count) shard\(shards.count == 1 ? "" : "s") (\(shards[0].header.total) items)\n")
            console.out(text)
            console.out("  results: \(ScenarioRun.shown(out))\n")
        }
        return ExitCode.success
    }

    /// The run or study a complete shard set names, prepared again from the arguments stored
    /// in its shards (the file path taken from the folder the shards ran in): `prepare`
    /// returns it with its input hash, which must still be the shards'. A scenario that no
    /// longer reads, or reads to another hash, is refused.
    static func prepareAgain<Prepared>(_ shards: [ShardFile.Reader], what: String,
                                       prepare: ([String]) throws -> (Prepared, String)) throws -> Prepared {
        let header = shards[0].header
        var arguments = header.arguments
        if let first = arguments.first { arguments[0] = header.resolve(first) }
        let path = arguments.first ?? ""
        let prepared: Prepared, hash: String
        do {
            (prepared, hash) = try prepare(arguments)
        } catch let error as ScenarioErrors {
            throw UsageError(message: "the shards' \(what) \(path) cannot be prepared again:\n"
                + error.issues.map { "  \($0)" }.joined(separator: "\n"))
        }
        guard hash == header.inputSHA256 else {
            throw UsageError(message: "the \(what) \(path) or a file it reads has changed since the shards ran "
                + "(its hash is now \(hash), the shards' \(header.inputSHA256)); run the shards again")
        }
        return prepared
    }

    /// The shard files an argument names: itself, or every shard file in a folder.
    static func files(_ argument: String) throws -> [String] {
        switch FileSystem.kind(argument) {
        case .directory:
            let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
            let shards = names.filter { $0.hasSuffix(ShardFile.suffix) && !$0.hasPrefix(".") }.sorted()
            guard !shards.isEmpty else { throw UsageError(message: "\(argument) holds no shard files (*\(ShardFile.suffix))") }
            return shards.map { (argument as NSString).appendingPathComponent($0) }
        case .missing:
            throw UsageError(message: "\(argument): no such shard file or folder")
        default:
            return [argument]
        }
    }

    /// The shards in shard order, once it is checked that they are all of one run and each
    /// shard 0…N−1 is there exactly once; otherwise an error that names the files.
    static func complete(_ shards: [ShardFile.Reader]) throws -> [ShardFile.Reader] {
        let first = shards[0]
        func differ(_ what: String, _ value: (ShardHeader) -> String) throws {
            if let other = shards.first(where: { value($0.header) != value(first.header) }) {
                throw UsageError(message: "the shards are not of one run: \(first.path) has \(what) \(value(first.header)), "
                    + "\(other.path) \(value(other.header))")
            }
        }
        try differ("kind", \.kind)
        try differ("engine version", \.engineVersion)
        try differ("platform", \.platform)
        try differ("seed", { String($0.seed) })
        try differ("scenario hash", \.inputSHA256)
        try differ("item count", { String($0.total) })
        try differ("shard count", { String($0.shards) })
        let count = first.header.shards
        var byIndex = [ShardFile.Reader?](repeating: nil, count: count)
        for shard in shards {
            let header = shard.header
            guard header.shard >= 0, header.shard < count,
                  header.spec.range(of: header.total) == header.lower..<header.upper else {
                throw UsageError(message: "\(shard.path) is damaged: shard \(header.shard) of \(count) with items \(header.lower)…\(header.upper - 1)")
            }
            if let earlier = byIndex[header.shard] {
                throw UsageError(message: "shard \(header.shard) of \(count) is given twice: \(earlier.path) and \(shard.path)")
            }
            byIndex[header.shard] = shard
        }
        let missing = byIndex.indices.filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            let listed = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            throw UsageError(message: "\(missing.count) of \(count) shards missing: shard \(listed) "
                + "(expected files like \(ShardSpec(index: missing[0], count: count).fileName))")
        }
        return byIndex.map { $0! }
    }
}

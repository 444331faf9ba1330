import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// `pva run --shard K/N` and `pva merge`: the merged folder is the unsharded
/// run's, byte for byte, and a set of shards that is not one complete run is
/// refused with a message naming the file.
@Suite struct ShardTests {
    /// The spatial default (genetics, poaching, prey, fire, disease and roads on) with one
    /// override, so the stored arguments must carry `--set` to the merge.
    static let run = ["--replicates", "14", "--years", "12", "--set", "threats.poaching.probability=0.03", "--quiet"]
    static var amur: String { TestSupport.scenarios.appendingPathComponent("amur-leopard.json").path }

    /// Runs every shard of `count` into `folder` and returns the shard files.
    @discardableResult
    static func shards(_ scenario: String, _ count: Int, into folder: URL, _ options: [String] = run) -> [String] {
        (0..<count).map { k in
            let outcome = CLI.run(["run", scenario, "--shard", "\(k)/\(count)", "--out", folder.path] + options)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return folder.appendingPathComponent("shard-\(k)-of-\(count).pva-shard").path
        }
    }

    static func merge(_ arguments: [String], out: URL) -> CLI.Outcome {
        CLI.run(["merge"] + arguments + ["--out", out.path, "--quiet"])
    }

    @Test(arguments: [1, 2, 3, 7])
    func mergedShardsAreTheUnshardedRunByteForByte(count: Int) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = CLI.run(["run", Self.amur, "--out", dir.appendingPathComponent("whole").path] + Self.run)
        #expect(whole.status == 0, "\(whole.stderr)")
        Self.shards(Self.amur, count, into: dir.appendingPathComponent("shards"))
        let merged = Self.merge([dir.appendingPathComponent("shards").path], out: dir.appendingPathComponent("merged"))
        #expect(merged.status == 0, "\(merged.stderr)")
        let a = try RunSetTests.contents(dir.appendingPathComponent("whole"))
        let b = try RunSetTests.contents(dir.appendingPathComponent("merged"))
        #expect(a.keys.sorted() == b.keys.sorted())
        for name in a.keys.sorted() { #expect(a[name] == b[name], "\(name) differs after merging \(count) shards") }
        #expect(a["summary.json"].map { String(decoding: $0, as: UTF8.self).contains("\"geneDiversity\"") } == true)
    }

    /// With translocations the shards also carry the run without them (the source's cost).
    @Test func mergedShardsOfATranslocationPlanKeepItsCostToTheSource() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = TestSupport.scenarios.appendingPathComponent("combined-plan.json").path
        let options = ["--replicates", "6", "--years", "8", "--quiet"]
        #expect(CLI.run(["run", plan, "--out", dir.appendingPathComponent("whole").path] + options).status == 0)
        Self.shards(plan, 3, into: dir.appendingPathComponent("shards"), options)
        #expect(Self.merge([dir.appendingPathComponent("shards").path], out: dir.appendingPathComponent("merged")).status == 0)
        let a = try RunSetTests.contents(dir.appendingPathComponent("whole"))
        #expect(String(decoding: a["summary.json"] ?? Data(), as: UTF8.self).contains("\"translocationSources\""))
        #expect(a == (try RunSetTests.contents(dir.appendingPathComponent("merged"))))
    }

    @Test func mergeRefusesSetsThatAreNotOneCompleteRun() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = TestSupport.scenarios.appendingPathComponent("genetics-example.json").path
        let options = ["--replicates", "9", "--years", "5", "--seed", "8", "--quiet"]
        let set = Self.shards(example, 3, into: dir.appendingPathComponent("a"), options)
        let out = dir.appendingPathComponent("merged")
        func refused(_ files: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let outcome = Self.merge(files, out: out)
            #expect(outcome.status == 2, sourceLocation: sourceLocation)
            #expect(outcome.stderr.contains(message), "\(outcome.stderr)", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is written", sourceLocation: sourceLocation)
        }
        refused([set[0], set[2]], "1 of 3 shards missing: shard 1 ")
        refused(set + [set[1]], "shard 1 of 3 is given twice: \(set[1]) and \(set[1])")

        let seed = Self.shards(example, 3, into: dir.appendingPathComponent("seed"), ["--replicates", "9", "--years", "5", "--seed", "9", "--quiet"])
        refused([set[0], set[1], seed[2]], "the shards are not of one run: \(set[0]) has seed 8, \(seed[2]) 9")
        let other = Self.shards(TestSupport.scenarios.appendingPathComponent("amur-leopard-nonspatial.json").path, 3,
                                into: dir.appendingPathComponent("other"), options)
        refused([set[0], set[1], other[2]], "the shards are not of one run: \(set[0]) has scenario hash ")

        // Another engine version: the header says so (with a valid checksum, so only the version differs).
        let old = dir.appendingPathComponent("old.pva-shard").path
        try Self.rewrite(set[2], to: old) { $0.replacingOccurrences(of: "\"engineVersion\":\"\(Provenance.engineVersion)\"",
                                                                    with: "\"engineVersion\":\"0.1.0\"") }
        refused([set[0], set[1], old], "the shards are not of one run: \(set[0]) has engine version \(Provenance.engineVersion), \(old) 0.1.0")

        // Truncated (the copy stopped), cut at a line end and in the middle of a line; and damaged.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: set[1]))
        let cut = dir.appendingPathComponent("cut.pva-shard")
        try bytes.prefix(bytes.count - 90).write(to: cut)
        refused([set[0], cut.path, set[2]], "\(cut.path) is truncated")
        let lineEnd = bytes.prefix(through: bytes.dropLast().lastIndex(of: UInt8(ascii: "\n"))!)
        try lineEnd.write(to: cut)
        refused([set[0], cut.path, set[2]], "\(cut.path) is truncated (no end line)")
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x01
        try flipped.write(to: cut)
        refused([set[0], cut.path, set[2]], "\(cut.path) is damaged: its checksum does not match its content")
        try Data("not a shard\n".utf8).write(to: cut)
        refused([cut.path], "\(cut.path) is not a shard file")
    }

    /// The scenario is prepared again at merge time: a changed scenario is refused, not merged
    /// into a folder whose provenance would describe other inputs.
    @Test func mergeRefusesAScenarioChangedSinceTheShardsRan() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = dir.appendingPathComponent("example.json")
        let text = try RunSetTests.shipped("genetics-example.json")
        try CLI.write(text, to: scenario)
        let set = Self.shards(scenario.path, 2, into: dir.appendingPathComponent("s"), ["--replicates", "4", "--years", "3", "--quiet"])
        try CLI.write(text.replacingOccurrences(of: "(genetics example)", with: "(edited)"), to: scenario)
        let outcome = Self.merge(set, out: dir.appendingPathComponent("merged"))
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("has changed since the shards ran"), "\(outcome.stderr)")
    }

    @Test func shardSpecsSplitTheItemsExactly() throws {
        for total in [0, 1, 5, 14, 1000] {
            for count in [1, 2, 3, 7, 16] {
                let ranges = (0..<count).map { ShardSpec(index: $0, count: count).range(of: total) }
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == total)
                for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
                #expect(ranges.map(\.count).max()! - ranges.map(\.count).min()! <= 1)
            }
        }
        for bad in ["3/3", "-1/2", "1", "a/b", "0/0", "1/2/3", ""] {
            #expect(throws: UsageError.self) { try ShardSpec(parsing: bad) }
        }
    }

    /// Reals cross a shard file bit for bit (the growth sums of a replicate feed its r in
    /// replicates.csv), and so do 128-bit exact sums and sparse histogram counts.
    @Test func shardLinesCarryNumbersExactly() throws {
        var random = SplitMix64(state: 11)
        var record = ReplicateRecord(index: 3, years: 2, targets: 1)
        let awkward: [Double] = [0.1 + 0.2, .pi, -1e-310, 5e-324, 1.7976931348623157e308, -0.0, 1 / 3]
        let randoms: [Double] = (0..<200).map { _ in Double(bitPattern: random.next() >> 2) }
        for x in awkward + randoms {
            record.rSum = x
            record.rSumOfSquares = -x / 7
            let line = try ShardFile.line(tag: "replicate", record)
            let json = Data(line.dropFirst("replicate ".count).dropLast().utf8)
            let back = try JSONDecoder().decode(ReplicateRecord.self, from: json)
            #expect(back.rSum.bitPattern == x.bitPattern && back.rSumOfSquares.bitPattern == (-x / 7).bitPattern, "\(x)")
        }
        var sum = ExactSum()
        for _ in 0..<1000 { sum.add(Double(bitPattern: random.next() >> 3) * 1e-300) }
        sum.add(1e17)
        let histogram = [5, 4096, 1_000_000, -3, 5].reduce(into: CountHistogram()) { $0.add($1) }
        struct Pair: Codable { var sum: ExactSum; var histogram: CountHistogram }
        let line = try ShardFile.line(tag: "x", Pair(sum: sum, histogram: histogram))
        let back = try JSONDecoder().decode(Pair.self, from: Data(line.dropFirst(2).dropLast().utf8))
        #expect(back.sum == sum && back.sum.scaled > Int128(Int64.max))
        #expect(back.histogram == histogram && back.histogram.pairs.map(\.count) == [1, 2, 1, 1])
    }

    /// Copies a shard file with its header edited and its checksum made valid again.
    static func rewrite(_ path: String, to copy: String, header edit: (String) -> String) throws {
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        lines[0] = edit(lines[0])
        let body = lines.dropLast(2).joined(separator: "\n") + "\n"
        try (body + "end " + SHA256.hex(SHA256.hash(Array(body.utf8))) + "\n").write(toFile: copy, atomically: true, encoding: .utf8)
    }
}

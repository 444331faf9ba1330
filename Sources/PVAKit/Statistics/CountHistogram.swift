/// How many replicates had each value of a whole-number quantity (N in a year,
/// a class count, a region's count). Integer counts merge exactly across
/// threads and shards, and exact means, SDs and quantiles follow from them,
/// so memory is flat in the number of replicates: it grows only with the
/// number of distinct values. Small values are counted in a dense array,
/// values from `denseLimit` on in a dictionary (read in sorted order).
public struct CountHistogram: Sendable, Equatable {
    private(set) var dense: [UInt32] = []
    private(set) var sparse: [Int: Int] = [:]
    public private(set) var count = 0
    static let denseLimit = 4096

    public init() {}

    @inline(__always)
    public mutating func add(_ value: Int) {
        count += 1
        if value >= 0 && value < Self.denseLimit {
            if value >= dense.count { dense.append(contentsOf: repeatElement(0, count: value + 1 - dense.count)) }
            dense[value] &+= 1
        } else {
            sparse[value, default: 0] += 1
        }
    }

    public mutating func add(_ other: CountHistogram) {
        count += other.count
        if other.dense.count > dense.count { dense.append(contentsOf: repeatElement(0, count: other.dense.count - dense.count)) }
        for (v, c) in other.dense.enumerated() { dense[v] &+= c }
        for (v, c) in other.sparse { sparse[v, default: 0] += c }
    }

    /// (value, count) pairs in increasing order of value, counts > 0.
    public var pairs: [(value: Int, count: Int)] {
        var out: [(value: Int, count: Int)] = []
        for v in sparse.keys.sorted() where v < 0 { out.append((v, sparse[v]!)) }
        for (v, c) in dense.enumerated() where c > 0 { out.append((v, Int(c))) }
        for v in sparse.keys.sorted() where v >= 0 { out.append((v, sparse[v]!)) }
        return out
    }
}

/// Shard files carry the counts exactly: the dense counts as they are and the
/// sparse ones as (value, count) pairs in increasing order of value, so the
/// same histogram always gives the same bytes.
extension CountHistogram: Codable {
    private enum CodingKeys: String, CodingKey { case dense, sparse, count }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dense = try container.decode([UInt32].self, forKey: .dense)
        let pairs = try container.decode([[Int]].self, forKey: .sparse)
        for pair in pairs {
            guard pair.count == 2, pair[0] < 0 || pair[0] >= Self.denseLimit, pair[1] > 0 else {
                throw DecodingError.dataCorruptedError(forKey: .sparse, in: container, debugDescription: "not a (value, count) pair: \(pair)")
            }
            sparse[pair[0]] = pair[1]
        }
        count = try container.decode(Int.self, forKey: .count)
        guard count == dense.reduce(0, { $0 + Int($1) }) + sparse.values.reduce(0, +) else {
            throw DecodingError.dataCorruptedError(forKey: .count, in: container, debugDescription: "the counts do not add up to \(count)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dense, forKey: .dense)
        try container.encode(sparse.keys.sorted().map { [$0, sparse[$0]!] }, forKey: .sparse)
        try container.encode(count, forKey: .count)
    }
}

/// A sum of reals that does not depend on the order of addition: each term is
/// rounded once to a multiple of 2⁻⁶⁴ and added as a 128-bit integer, so the
/// total is exact (for |terms| < 2⁶², up to 2⁶⁰ of them) and identical for any
/// thread count, shard split or merge order. Used for the stochastic growth
/// rate, whose replicates finish in any order.
public struct ExactSum: Sendable, Equatable {
    public private(set) var scaled: Int128 = 0
    static let scale = 0x1p64

    public init() {}

    public mutating func add(_ x: Double) {
        guard x.isFinite else { return }
        scaled &+= Int128((x * Self.scale).rounded(.toNearestOrEven))
    }

    public mutating func add(_ other: ExactSum) { scaled &+= other.scaled }

    public var value: Double { Double(scaled) / Self.scale }
}

/// Shard files (`pva run --shard`) carry the 128-bit integer itself, in decimal: the sum
/// read back is the very sum written.
extension ExactSum: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Int128(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a 128-bit integer: \(text)")
        }
        scaled = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(scaled))
    }
}

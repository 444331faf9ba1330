/// SplitMix64 (Steele, Lea & Flood 2014), used only to seed `RandomStream`.
public struct SplitMix64: Sendable {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The SplitMix64 output function applied to one value (a 64-bit mixer).
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var generator = SplitMix64(state: value)
        return generator.next()
    }
}

/// xoshiro256** 1.0 (Blackman & Vigna 2018): the engine's only source of
/// randomness. Every distribution is implemented on top of it in this module,
/// never with the standard library's sampling, so that stored results survive
/// toolchain upgrades.
///
/// Each replicate owns one stream derived from (master seed, replicate index),
/// which makes a replicate's result independent of thread count and order.
public struct RandomStream: Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A stream seeded by SplitMix64 from `seed`.
    public init(seed: UInt64) {
        var seeder = SplitMix64(state: seed)
        s0 = seeder.next()
        s1 = seeder.next()
        s2 = seeder.next()
        s3 = seeder.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the all-zero state is forbidden
    }

    /// The stream of replicate `stream` under `masterSeed`: the two numbers are
    /// mixed separately and combined, so neighbouring seeds and neighbouring
    /// replicates give unrelated streams.
    public init(masterSeed: UInt64, stream: UInt64) {
        self.init(seed: SplitMix64.mix(masterSeed) ^ SplitMix64.mix(stream &+ 0x6A09_E667_F3BC_C909))
    }

    /// What a replicate's second and later streams are for. Each part of the model
    /// that must not disturb the others draws from its own stream, so that, e.g.,
    /// choosing fathers or dropping genes changes no demographic draw, and an
    /// intervention scheduled after the horizon changes nothing at all.
    public enum Purpose: UInt64, Sendable {
        /// Breeding, survival, dispersal, harvest: the stream `init(masterSeed:stream:)` gives.
        case demography = 0
        /// Choice of fathers (pedigree).
        case mates = 1
        /// Gene drop: Mendelian inheritance of neutral and lethal alleles.
        case genes = 2
        /// Landscape events: fire, prey dynamics, habitat change.
        case landscape = 3
        /// Disease outbreaks and exposure.
        case disease = 4
        /// Releases and translocations: who is released or taken.
        case releases = 5
    }

    /// The stream for `purpose` of replicate `stream` under `masterSeed`.
    public init(masterSeed: UInt64, stream: UInt64, purpose: Purpose) {
        if purpose == .demography {
            self.init(masterSeed: masterSeed, stream: stream)
        } else {
            self.init(seed: SplitMix64.mix(masterSeed) ^ SplitMix64.mix(stream &+ 0x6A09_E667_F3BC_C909)
                          ^ SplitMix64.mix(0xBB67_AE85_84CA_A73B &* purpose.rawValue))
        }
    }

    @inlinable @inline(__always)
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Uniform on [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform on (0, 1): never exactly 0, for logarithms and quantiles.
    @inlinable @inline(__always)
    public mutating func uniformOpen() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }

    /// Uniform integer in 0..<bound (Lemire 2019, unbiased).
    @inlinable
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold {
                product = next().multipliedFullWidth(by: b)
            }
        }
        return Int(product.high)
    }
}

/// Which parts of the model need a column: a table stores and moves only the
/// columns its model uses, so a feature a scenario does not use costs nothing.
public struct ColumnFeatures: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Every model: sex, age, maturity, litters.
    public static let core = ColumnFeatures(rawValue: 1 << 0)
    /// The dependency rules: the mother caring for a young, her count of young.
    public static let dependency = ColumnFeatures(rawValue: 1 << 1)
    /// A landscape: cell and territory.
    public static let spatial = ColumnFeatures(rawValue: 1 << 2)
    /// Stable ids and both parents' ids for life (pedigree, genetics).
    public static let pedigree = ColumnFeatures(rawValue: 1 << 3)
    /// Releases: origin and year of release.
    public static let releases = ColumnFeatures(rawValue: 1 << 4)
    /// Genetics: the animal's slot in its replicate's genetic state (`GeneticState`).
    public static let genetics = ColumnFeatures(rawValue: 1 << 5)
    /// Vaccination: which vaccination protects the animal, and until when.
    public static let vaccination = ColumnFeatures(rawValue: 1 << 6)
}

/// A column seen without its element type, for what a table does to every column.
protocol AnyColumn: AnyObject {
    var feature: ColumnFeatures { get }
    /// Active columns hold values; the others hold none and are never touched.
    var isActive: Bool { get }
    func activate(capacity: Int)
    func grow(to capacity: Int, count: Int)
    /// Writes the column's fill value into `rows`.
    func fill(_ rows: Range<Int>)
    /// Moves row `keep[i]` to row `i` for i < count (keep is increasing).
    func gather(_ keep: UnsafePointer<Int32>, count: Int)
    func deallocate()
}

/// One per-animal attribute as a buffer of plain values (structure of arrays):
/// `base[row]` is the value of the animal in `row`. A new row gets `fillValue`.
final class Column<Value: BitwiseCopyable>: AnyColumn {
    private(set) var base: UnsafeMutablePointer<Value>
    let fillValue: Value
    let feature: ColumnFeatures
    private(set) var isActive = false

    init(_ fillValue: Value, _ feature: ColumnFeatures) {
        self.fillValue = fillValue
        self.feature = feature
        base = .allocate(capacity: 1)
    }

    @inline(__always) subscript(row: Int) -> Value {
        get { base[row] }
        set { base[row] = newValue }
    }

    func activate(capacity: Int) {
        base.deallocate()
        base = .allocate(capacity: capacity)
        isActive = true
    }

    func grow(to capacity: Int, count: Int) {
        guard isActive else { return }
        let q = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
        q.update(from: base, count: count)
        base.deallocate()
        base = q
    }

    func fill(_ rows: Range<Int>) {
        guard isActive, !rows.isEmpty else { return }
        // Through a fixed-width integer, as in `gather`.
        var value = fillValue
        let raw = UnsafeMutableRawPointer(base + rows.lowerBound)
        withUnsafeBytes(of: &value) { v in
            switch MemoryLayout<Value>.stride {
            case 1: Self.fill(raw.assumingMemoryBound(to: UInt8.self), v.load(as: UInt8.self), rows.count)
            case 2: Self.fill(raw.assumingMemoryBound(to: UInt16.self), v.load(as: UInt16.self), rows.count)
            case 4: Self.fill(raw.assumingMemoryBound(to: UInt32.self), v.load(as: UInt32.self), rows.count)
            case 8: Self.fill(raw.assumingMemoryBound(to: UInt64.self), v.load(as: UInt64.self), rows.count)
            default: (base + rows.lowerBound).update(repeating: fillValue, count: rows.count)
            }
        }
    }

    @inline(__always)
    private static func fill<W>(_ b: UnsafeMutablePointer<W>, _ value: W, _ count: Int) {
        for i in 0..<count { b[i] = value }
    }

    func gather(_ keep: UnsafePointer<Int32>, count: Int) {
        guard isActive else { return }
        // Through a fixed-width integer of the element's size: this is called through
        // `AnyColumn`, where a generic element copy would go through value witnesses.
        let raw = UnsafeMutableRawPointer(base)
        switch MemoryLayout<Value>.stride {
        case 1: Self.gather(raw.assumingMemoryBound(to: UInt8.self), keep, count)
        case 2: Self.gather(raw.assumingMemoryBound(to: UInt16.self), keep, count)
        case 4: Self.gather(raw.assumingMemoryBound(to: UInt32.self), keep, count)
        case 8: Self.gather(raw.assumingMemoryBound(to: UInt64.self), keep, count)
        default:
            let b = base
            for i in 0..<count { b[i] = b[Int(keep[i])] }
        }
    }

    @inline(__always)
    private static func gather<W>(_ b: UnsafeMutablePointer<W>, _ keep: UnsafePointer<Int32>, _ count: Int) {
        for i in 0..<count { b[i] = b[Int(keep[i])] }
    }

    func deallocate() { base.deallocate() }
}

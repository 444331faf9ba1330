/// A per-cell pressure (poaching, distemper spillover) as one replicate sees it, with
/// the mean over each female and male territory's cells that its residents face. A
/// cell's change moves the means of the territories holding it by its share, so a
/// change costs O(1) and a reset O(cells changed). Owned by `LandscapeState`, which
/// lists the changed cells.
final class PressureLayer {
    let original: [Float]
    @exclusivity(unchecked) private(set) var cell: [Float]
    /// Per female / male territory: mean over its cells (buffers, read in every animal's hot path).
    let female: UnsafeMutableBufferPointer<Double>
    let male: UnsafeMutableBufferPointer<Double>
    /// The territory means before any change in this replicate.
    let originalFemale: [Double], originalMale: [Double]
    private let layout: TerritoryLayout

    init(_ values: [Float], layout: TerritoryLayout) {
        original = values
        cell = values
        self.layout = layout
        func mean(_ t: Territory) -> Double { t.cells.reduce(0) { $0 + Double(values[Int($1)]) } / Double(max(1, t.cells.count)) }
        originalFemale = layout.female.map(mean)
        originalMale = layout.male.map(mean)
        female = .allocate(capacity: max(1, originalFemale.count))
        _ = female.initialize(from: originalFemale)
        male = .allocate(capacity: max(1, originalMale.count))
        _ = male.initialize(from: originalMale)
    }

    deinit {
        female.deallocate()
        male.deallocate()
    }

    @inline(__always) subscript(c: Int) -> Float { cell[c] }

    /// Sets cell `c`; the means of the territories holding it follow.
    func set(_ c: Int, _ value: Float) {
        let delta = Double(value) - Double(cell[c])
        cell[c] = value
        let f = Int(layout.femaleOfCell[c])
        guard f >= 0, delta != 0 else { return }
        female[f] += delta / Double(layout.female[f].cells.count)
        let m = Int(layout.maleOfFemale[f])
        if m >= 0 { male[m] += delta / Double(layout.male[m].cells.count) }
    }

    /// Cell `c` and its territories back to the original values.
    func restore(_ c: Int) {
        cell[c] = original[c]
        let f = Int(layout.femaleOfCell[c])
        guard f >= 0 else { return }
        female[f] = originalFemale[f]
        let m = Int(layout.maleOfFemale[f])
        if m >= 0 { male[m] = originalMale[m] }
    }
}

import Foundation

/// A named set of cells, for placement and reports.
public struct Region: Sendable {
    public var name: String
    public var cells: [Int32]

    public init(name: String, cells: [Int32]) {
        self.name = name
        self.cells = cells
    }
}

/// The habitat grid: square cells with one flat array per layer (grid values
/// live apart from animals; an animal holds a cell index). Cell index =
/// row · columns + column, row 0 the northern row (as in ESRI ASCII grids).
public final class Landscape: Sendable {
    public let columns: Int
    public let rows: Int
    /// Side of a cell in km.
    public let cellSize: Double
    /// False where the suitability layer is NODATA: outside the map, non-habitat and impassable.
    public let onMap: [Bool]
    /// Habitat suitability 0…1 (0 = not habitat).
    public let suitability: [Float]
    /// Prey index: ungulates relative to what a resident needs (1 = enough).
    public let prey: [Float]
    /// Movement permeability 0…1 (0 = barrier).
    public let permeability: [Float]
    /// Poaching pressure, normalised to mean 1 over habitat cells.
    public let poaching: [Float]
    /// Distemper spillover pressure (multiplier on exposure in an outbreak), normalised to
    /// mean 1 over habitat cells; 1 everywhere without a `disease` layer.
    public let disease: [Float]
    /// Road mortality: annual probability for a resident whose territory holds the
    /// cell, per crossing for a disperser.
    public let roads: [Float]
    public let protected: [Bool]
    /// Value of the region layer (0 = none).
    public let regionCode: [Int32]
    public let regions: [Region]
    /// Mean of the poaching layer over habitat cells before normalisation.
    public let poachingRawMean: Double
    /// Regions holding each cell: `regionsOfCell[regionOffsets[c]..<regionOffsets[c+1]]`.
    let regionOffsets: [Int32]
    let regionsOfCell: [Int32]

    public var cellCount: Int { columns * rows }
    public var cellArea: Double { cellSize * cellSize }

    public init(columns: Int, rows: Int, cellSize: Double, onMap: [Bool], suitability: [Float], prey: [Float],
                permeability: [Float], poachingRaw: [Float], roads: [Float], protected: [Bool], regionCode: [Int32],
                regions: [Region], diseaseRaw: [Float]? = nil) {
        self.columns = columns
        self.rows = rows
        self.cellSize = cellSize
        self.onMap = onMap
        self.suitability = suitability
        self.prey = prey
        self.permeability = zip(permeability, onMap).map { $1 ? $0 : 0 }
        self.roads = roads
        self.protected = protected
        self.regionCode = regionCode
        self.regions = regions
        func normalised(_ raw: [Float]) -> (values: [Float], mean: Double) {
            var sum = 0.0, count = 0
            for c in 0..<(columns * rows) where onMap[c] && suitability[c] > 0 {
                sum += Double(raw[c])
                count += 1
            }
            let mean = count > 0 ? sum / Double(count) : 0
            return (mean > 0 ? raw.map { Float(Double($0) / mean) } : raw.map { _ in 1 }, mean)
        }
        (poaching, poachingRawMean) = normalised(poachingRaw)
        disease = diseaseRaw.map { normalised($0).values } ?? [Float](repeating: 1, count: columns * rows)
        // Regions of each cell, as offsets into one flat list (counting sort; regions in order).
        var offsets = [Int32](repeating: 0, count: columns * rows + 1)
        for region in regions { for c in region.cells { offsets[Int(c) + 1] += 1 } }
        for c in 0..<(columns * rows) { offsets[c + 1] += offsets[c] }
        var flat = [Int32](repeating: 0, count: Int(offsets[columns * rows]))
        var next = offsets
        for (r, region) in regions.enumerated() {
            for c in region.cells {
                flat[Int(next[Int(c)])] = Int32(r)
                next[Int(c)] += 1
            }
        }
        regionOffsets = offsets
        regionsOfCell = flat
    }

    @inline(__always) public func isHabitat(_ c: Int) -> Bool { onMap[c] && suitability[c] > 0 }

    /// Habitat value of a cell, km² of full-quality habitat: suitability × min(prey, 1) × area.
    @inline(__always) public func habitatValue(_ c: Int) -> Double {
        guard isHabitat(c) else { return 0 }
        return Double(suitability[c]) * min(1, Double(prey[c])) * cellArea
    }

    @inline(__always) public func column(_ c: Int) -> Int { c % columns }
    @inline(__always) public func row(_ c: Int) -> Int { c / columns }

    /// Centre of a cell in km from the lower-left corner of the map (x east, y north).
    @inline(__always) public func centre(_ c: Int) -> (x: Double, y: Double) {
        ((Double(c % columns) + 0.5) * cellSize, (Double(rows - c / columns) - 0.5) * cellSize)
    }

    public var habitatCellCount: Int { (0..<cellCount).reduce(0) { $0 + (isHabitat($1) ? 1 : 0) } }

    /// Indices of the regions holding cell `c`.
    func regions(of c: Int) -> ArraySlice<Int32> {
        regionsOfCell[Int(regionOffsets[c])..<Int(regionOffsets[c + 1])]
    }

    public func regionIndex(named name: String) -> Int? { regions.firstIndex { $0.name == name } }

    /// A per-cell mark of `cells` (a place's membership test).
    func marks(_ cells: [Int32]) -> [Bool] {
        var marks = [Bool](repeating: false, count: cellCount)
        for c in cells { marks[Int(c)] = true }
        return marks
    }
}

import Foundation

/// Territory settings (MODEL.md §4.2).
public struct TerritorySettings: Sendable {
    /// km² of full-quality habitat (Σ suitability × min(prey, 1) × area) a female territory needs.
    public var femaleRequirement: Double
    /// Largest area a female territory may cover, km².
    public var femaleMaximumArea: Double
    /// Female territories a male territory aims to cover (1–4).
    public var femalesPerMale: Int
    /// A female finds a mate whose territory overlaps hers or lies within this distance (km).
    public var mateSearchDistance: Double
    /// Survival multiplier for independent animals without a territory.
    public var floaterSurvival: Double

    public init(femaleRequirement: Double = 45, femaleMaximumArea: Double = 300, femalesPerMale: Int = 2,
                mateSearchDistance: Double = 15, floaterSurvival: Double = 0.9) {
        self.femaleRequirement = femaleRequirement
        self.femaleMaximumArea = femaleMaximumArea
        self.femalesPerMale = femalesPerMale
        self.mateSearchDistance = mateSearchDistance
        self.floaterSurvival = floaterSurvival
    }
}

/// One territory: a contiguous set of cells.
public struct Territory: Sendable {
    /// Cells (the first is the home cell, where the resident and its young sit).
    public var cells: [Int32]
    public var centroid: (x: Double, y: Double)
    /// Σ habitat value (km² of full-quality habitat).
    public var quality: Double
    /// Quality relative to the female requirement, capped at 1.
    public var sufficiency: Double
    /// Mean normalised poaching pressure over its cells.
    public var poachingPressure: Double
    /// Annual road mortality of its resident: the highest road value among its cells.
    public var roadMortality: Double
    /// The home cell (its first), where the resident and its young sit; regions count
    /// the territory where its home cell lies.
    public var homeCell: Int { Int(cells[0]) }
}

/// Buckets of territory centroids for "nearest within r" queries without
/// an all-pairs search.
struct SpatialIndex: Sendable {
    let bucketSize: Double
    let columns: Int
    let rows: Int
    let offsets: [Int32]
    let items: [Int32]

    init(points: [(x: Double, y: Double)], width: Double, height: Double, bucketSize: Double) {
        self.bucketSize = max(bucketSize, 1e-9)
        columns = max(1, Int((width / self.bucketSize).rounded(.up)))
        rows = max(1, Int((height / self.bucketSize).rounded(.up)))
        var lists = [[Int32]](repeating: [], count: columns * rows)
        for (i, p) in points.enumerated() { lists[Self.bucket(p, bucketSize: self.bucketSize, columns: columns, rows: rows)].append(Int32(i)) }
        var o: [Int32] = [0], flat: [Int32] = []
        for list in lists { flat += list; o.append(Int32(flat.count)) }
        offsets = o
        items = flat
    }

    static func bucket(_ p: (x: Double, y: Double), bucketSize: Double, columns: Int, rows: Int) -> Int {
        let bx = min(columns - 1, max(0, Int(p.x / bucketSize)))
        let by = min(rows - 1, max(0, Int(p.y / bucketSize)))
        return by * columns + bx
    }

    /// Calls `body` with every item whose bucket overlaps the disc (centre, radius).
    @inline(__always)
    func forEach(near p: (x: Double, y: Double), radius: Double, _ body: (Int) -> Void) {
        let x0 = max(0, Int((p.x - radius) / bucketSize)), x1 = min(columns - 1, Int((p.x + radius) / bucketSize))
        let y0 = max(0, Int((p.y - radius) / bucketSize)), y1 = min(rows - 1, Int((p.y + radius) / bucketSize))
        guard x0 <= x1, y0 <= y1 else { return }
        for by in y0...y1 {
            for bx in x0...x1 {
                let b = by * columns + bx
                for i in Int(offsets[b])..<Int(offsets[b + 1]) { body(Int(items[i])) }
            }
        }
    }
}

/// Female and male territories laid out once, at year 0, from the static
/// habitat (MODEL.md §4.2); shared read-only by every replicate. Rebuilt only
/// by permanent habitat change, which no scenario can request yet.
///
/// Female territories: cells are taken as seeds in decreasing habitat value
/// (ties by index); from each unassigned seed a territory grows by adding the
/// most valuable unassigned habitat cell adjacent to it (4-neighbours; ties
/// by index) until its value reaches the requirement or the next cell would
/// exceed the maximum area. A seed that cannot reach the requirement gives
/// its cells back (they may join a later territory). The layout is therefore
/// deterministic and exclusive, and every territory is sufficient at year 0.
///
/// Male territories: female territories are grouped, in layout order, with
/// their unassigned neighbours (sharing an edge; nearest centroid first) up
/// to `femalesPerMale` (at most 4); a male territory is their union, exclusive
/// among males.
public final class TerritoryLayout: Sendable {
    public let female: [Territory]
    public let male: [Territory]
    /// Female territory of each cell (−1 none).
    public let femaleOfCell: [Int32]
    /// Male territory covering each female territory.
    public let maleOfFemale: [Int32]
    /// Male territories a female of each female territory may mate with
    /// (overlapping hers or within the mate-search distance).
    let mateOffsets: [Int32]
    let mates: [Int32]
    let femaleIndex: SpatialIndex
    let maleIndex: SpatialIndex
    /// Female and male territories per region (by index in `Landscape.regions`), by home cell.
    public let femaleTerritoriesInRegion: [[Int32]]
    public let maleTerritoriesInRegion: [[Int32]]

    public init(landscape: Landscape, settings: TerritorySettings, searchRadius: Double) {
        let n = landscape.cellCount
        let value = (0..<n).map { landscape.habitatValue($0) }
        var owner = [Int32](repeating: -1, count: n)
        var territories: [Territory] = []
        let seeds = (0..<n).filter { value[$0] > 0 }.sorted { value[$0] != value[$1] ? value[$0] > value[$1] : $0 < $1 }
        let maxCells = max(1, Int((settings.femaleMaximumArea / landscape.cellArea + 1e-9).rounded(.down)))
        // frontierMark[c] == attempt: c is already in this attempt's frontier.
        var frontierMark = [Int32](repeating: -1, count: n)
        var attempt: Int32 = 0
        for seed in seeds where owner[seed] < 0 {
            attempt += 1
            let id = Int32(territories.count)
            var cells = [Int32(seed)]
            var total = value[seed]
            owner[seed] = id
            var frontier: [Int] = []
            func push(_ c: Int) {
                for nb in Self.neighbours4(c, landscape) where owner[nb] < 0 && value[nb] > 0 && frontierMark[nb] != attempt {
                    frontierMark[nb] = attempt
                    frontier.append(nb)
                }
            }
            push(seed)
            while total < settings.femaleRequirement - 1e-9 && cells.count < maxCells {
                guard let best = frontier.indices.max(by: {
                    let a = frontier[$0], b = frontier[$1]
                    return value[a] != value[b] ? value[a] < value[b] : a > b
                }) else { break }
                let c = frontier.remove(at: best)
                owner[c] = id
                cells.append(Int32(c))
                total += value[c]
                push(c)
            }
            if total >= settings.femaleRequirement - 1e-9 {
                territories.append(Self.territory(cells, landscape: landscape, value: value, requirement: settings.femaleRequirement))
            } else {
                for c in cells { owner[Int(c)] = -1 }  // too poor: give the cells back
            }
        }
        // Owner ids are territory indices (failed attempts released their cells).
        let females = territories

        // Male territories: group neighbouring female territories.
        var adjacent = [Set<Int32>](repeating: [], count: females.count)
        for (i, t) in females.enumerated() {
            for c in t.cells {
                for nb in Self.neighbours4(Int(c), landscape) {
                    let o = owner[nb]
                    if o >= 0 && o != Int32(i) { adjacent[i].insert(o) }
                }
            }
        }
        let aim = max(1, min(4, settings.femalesPerMale))
        var maleOf = [Int32](repeating: -1, count: females.count)
        var males: [Territory] = []
        for i in females.indices where maleOf[i] < 0 {
            let id = Int32(males.count)
            var group = [i]
            maleOf[i] = id
            while group.count < aim {
                let candidates = group.flatMap { adjacent[$0] }.map(Int.init).filter { maleOf[$0] < 0 }
                guard let next = candidates.min(by: {
                    let da = Self.distance(females[$0].centroid, females[i].centroid), db = Self.distance(females[$1].centroid, females[i].centroid)
                    return da != db ? da < db : $0 < $1
                }) else { break }
                maleOf[next] = id
                group.append(next)
            }
            let cells = group.flatMap { females[$0].cells }
            males.append(Self.territory(cells, landscape: landscape, value: value, requirement: settings.femaleRequirement))
        }

        let width = Double(landscape.columns) * landscape.cellSize, height = Double(landscape.rows) * landscape.cellSize
        let bucket = max(searchRadius, settings.mateSearchDistance, landscape.cellSize)
        let femaleSpatialIndex = SpatialIndex(points: females.map(\.centroid), width: width, height: height, bucketSize: bucket)
        let maleSpatialIndex = SpatialIndex(points: males.map(\.centroid), width: width, height: height, bucketSize: bucket)

        // Mates: the male territory over hers, and any male territory with a cell within the
        // mate-search distance of one of hers (cell centres).
        let maxMaleExtent = males.map { t in t.cells.map { Self.distance(landscape.centre(Int($0)), t.centroid) }.max() ?? 0 }.max() ?? 0
        var offsets: [Int32] = [0], list: [Int32] = []
        for (i, t) in females.enumerated() {
            var found: [Int32] = [maleOf[i]]
            let extent = t.cells.map { Self.distance(landscape.centre(Int($0)), t.centroid) }.max() ?? 0
            maleSpatialIndex.forEach(near: t.centroid, radius: settings.mateSearchDistance + extent + maxMaleExtent) { m in
                guard Int32(m) != maleOf[i] else { return }
                let close = t.cells.contains { a in
                    males[m].cells.contains { b in Self.distance(landscape.centre(Int(a)), landscape.centre(Int(b))) <= settings.mateSearchDistance }
                }
                if close { found.append(Int32(m)) }
            }
            list += found.sorted()
            offsets.append(Int32(list.count))
        }
        let femalesInRegion = landscape.regions.indices.map { r in
            females.indices.filter { landscape.regions(of: females[$0].homeCell).contains(Int32(r)) }.map(Int32.init)
        }
        let malesInRegion = landscape.regions.indices.map { r in
            males.indices.filter { landscape.regions(of: males[$0].homeCell).contains(Int32(r)) }.map(Int32.init)
        }

        female = females
        male = males
        femaleOfCell = owner
        maleOfFemale = maleOf
        mateOffsets = offsets
        mates = list
        femaleIndex = femaleSpatialIndex
        maleIndex = maleSpatialIndex
        femaleTerritoriesInRegion = femalesInRegion
        maleTerritoriesInRegion = malesInRegion
    }

    static func neighbours4(_ c: Int, _ l: Landscape) -> [Int] {
        let col = c % l.columns, row = c / l.columns
        var out: [Int] = []
        if col > 0 { out.append(c - 1) }
        if col + 1 < l.columns { out.append(c + 1) }
        if row > 0 { out.append(c - l.columns) }
        if row + 1 < l.rows { out.append(c + l.columns) }
        return out
    }

    @inline(__always) static func distance(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }

    static func territory(_ cells: [Int32], landscape: Landscape, value: [Double], requirement: Double) -> Territory {
        var quality = 0.0, poaching = 0.0, road = 0.0, x = 0.0, y = 0.0
        for c in cells {
            let i = Int(c)
            quality += value[i]
            poaching += Double(landscape.poaching[i])
            road = max(road, Double(landscape.roads[i]))
            let p = landscape.centre(i)
            x += p.x
            y += p.y
        }
        let k = Double(cells.count)
        return Territory(cells: cells, centroid: (x / k, y / k), quality: quality,
                         sufficiency: min(1, quality / requirement), poachingPressure: poaching / k, roadMortality: road)
    }

    /// Male territories available to a female of female territory `t`.
    @inline(__always) func mates(of t: Int) -> ArraySlice<Int32> { mates[Int(mateOffsets[t])..<Int(mateOffsets[t + 1])] }
}

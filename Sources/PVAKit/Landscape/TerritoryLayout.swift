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
                let col = c % landscape.columns
                for (ok, nb) in [(col > 0, c - 1), (col + 1 < landscape.columns, c + 1),
                                 (c >= landscape.columns, c - landscape.columns), (c + landscape.columns < n, c + landscape.columns)]
                    where ok && owner[nb] < 0 && value[nb] > 0 && frontierMark[nb] != attempt {
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

        // Male territories: group neighbouring female territories (sharing an edge).
        let adjacency = Self.adjacency(owner: owner, territories: females.count, landscape: landscape)
        let aim = max(1, min(4, settings.femalesPerMale))
        var maleOf = [Int32](repeating: -1, count: females.count)
        var males: [Territory] = []
        for i in females.indices where maleOf[i] < 0 {
            let id = Int32(males.count)
            var group = [i]
            maleOf[i] = id
            while group.count < aim {
                var next = -1, nextDistance = Double.infinity
                for member in group {
                    for k in Int(adjacency.offsets[member])..<Int(adjacency.offsets[member + 1]) {
                        let j = Int(adjacency.items[k])
                        guard maleOf[j] < 0 else { continue }
                        let d = Self.distance(females[j].centroid, females[i].centroid)
                        if d < nextDistance || (d == nextDistance && j < next) { next = j; nextDistance = d }
                    }
                }
                guard next >= 0 else { break }
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
        let (offsets, list) = Self.mates(females: females, males: males, maleOf: maleOf, owner: owner,
                                         distance: settings.mateSearchDistance, landscape: landscape)
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

    /// Which territories share an edge, as offsets into a flat list (each list sorted).
    static func adjacency(owner: [Int32], territories: Int, landscape l: Landscape) -> (offsets: [Int32], items: [Int32]) {
        var pairs: [(Int32, Int32)] = []
        for c in 0..<l.cellCount where owner[c] >= 0 {
            let col = c % l.columns
            for nb in [col + 1 < l.columns ? c + 1 : -1, c + l.columns < l.cellCount ? c + l.columns : -1] where nb >= 0 {
                let o = owner[nb]
                if o >= 0 && o != owner[c] { pairs.append((owner[c], o)); pairs.append((o, owner[c])) }
            }
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var offsets = [Int32](repeating: 0, count: territories + 1), items: [Int32] = []
        var previous: (Int32, Int32) = (-1, -1)
        for p in pairs where p != previous {
            items.append(p.1)
            offsets[Int(p.0) + 1] += 1
            previous = p
        }
        for i in 0..<territories { offsets[i + 1] += offsets[i] }
        return (offsets, items)
    }

    /// For each female territory, the male territories a female there can mate with: her own
    /// male territory and every other with a cell centre within `distance` of one of hers. The
    /// closest pair of two disjoint sets of grid cells joins cells on both sets' edges (from an
    /// inner cell a step towards the other set is closer and still inside), so only edge cells
    /// are compared, and only for male territories whose bounding box comes within `distance`
    /// of hers (found through buckets of bounding boxes): linear in territories for a map of
    /// any size.
    static func mates(females: [Territory], males: [Territory], maleOf: [Int32], owner: [Int32], distance d: Double,
                      landscape l: Landscape) -> (offsets: [Int32], items: [Int32]) {
        struct Box { var x0 = Double.infinity, y0 = Double.infinity, x1 = -Double.infinity, y1 = -Double.infinity }
        func edgeCells(_ t: Territory, member: (Int) -> Bool) -> [(x: Double, y: Double)] {
            t.cells.compactMap { c32 -> (x: Double, y: Double)? in
                let c = Int(c32), col = c % l.columns
                let inner = col > 0 && member(c - 1) && col + 1 < l.columns && member(c + 1)
                    && c >= l.columns && member(c - l.columns) && c + l.columns < l.cellCount && member(c + l.columns)
                return inner ? nil : l.centre(c)
            }
        }
        func box(_ points: [(x: Double, y: Double)]) -> Box {
            var b = Box()
            for p in points { b.x0 = min(b.x0, p.x); b.y0 = min(b.y0, p.y); b.x1 = max(b.x1, p.x); b.y1 = max(b.y1, p.y) }
            return b
        }
        var edgeX: [Double] = [], edgeY: [Double] = [], edgeOffsets: [Int] = [0]
        var maleBoxes: [Box] = []
        for m in males.indices {
            let edges = edgeCells(males[m]) { owner[$0] >= 0 && maleOf[Int(owner[$0])] == Int32(m) }
            for p in edges { edgeX.append(p.x); edgeY.append(p.y) }
            edgeOffsets.append(edgeX.count)
            maleBoxes.append(box(edges))
        }
        // Buckets of side ≥ d: a male is listed in every bucket its box overlaps.
        let side = max(d, l.cellSize, 1e-9)
        let bucketColumns = max(1, Int((Double(l.columns) * l.cellSize / side).rounded(.up)) + 1)
        let bucketRows = max(1, Int((Double(l.rows) * l.cellSize / side).rounded(.up)) + 1)
        func bucketRange(_ b: Box, grow: Double) -> (ClosedRange<Int>, ClosedRange<Int>) {
            let c0 = max(0, Int((b.x0 - grow) / side)), c1 = min(bucketColumns - 1, max(0, Int((b.x1 + grow) / side)))
            let r0 = max(0, Int((b.y0 - grow) / side)), r1 = min(bucketRows - 1, max(0, Int((b.y1 + grow) / side)))
            return (c0...max(c0, c1), r0...max(r0, r1))
        }
        let d2 = d * d
        var buckets = [[Int32]](repeating: [], count: bucketColumns * bucketRows)
        for (m, b) in maleBoxes.enumerated() where b.x0 <= b.x1 {
            let (cs, rs) = bucketRange(b, grow: 0)
            for r in rs { for c in cs { buckets[r * bucketColumns + c].append(Int32(m)) } }
        }
        // Whether some edge cell of hers lies within d of an edge cell of male territory m (cell
        // by cell, skipping hers that are farther than d from his bounding box).
        func close(_ edges: [(x: Double, y: Double)], _ m: Int, _ mb: Box) -> Bool {
            edgeX.withUnsafeBufferPointer { xs in
                edgeY.withUnsafeBufferPointer { ys in
                    for a in edges {
                        let gx = max(0, max(mb.x0 - a.x, a.x - mb.x1)), gy = max(0, max(mb.y0 - a.y, a.y - mb.y1))
                        guard gx * gx + gy * gy <= d2 else { continue }
                        for k in edgeOffsets[m]..<edgeOffsets[m + 1] where Self.distance(a, (xs[k], ys[k])) <= d { return true }
                    }
                    return false
                }
            }
        }
        var seen = [Int32](repeating: -1, count: males.count)
        var offsets: [Int32] = [0], items: [Int32] = []
        for (i, t) in females.enumerated() {
            var found: [Int32] = [maleOf[i]]
            let edges = edgeCells(t) { owner[$0] == Int32(i) }
            let b = box(edges)
            let (cs, rs) = bucketRange(b, grow: d)
            for r in rs {
                for c in cs {
                    for m32 in buckets[r * bucketColumns + c] where seen[Int(m32)] != Int32(i) {
                        seen[Int(m32)] = Int32(i)
                        let m = Int(m32)
                        guard m32 != maleOf[i] else { continue }
                        let mb = maleBoxes[m]
                        let gx = max(0, max(mb.x0 - b.x1, b.x0 - mb.x1)), gy = max(0, max(mb.y0 - b.y1, b.y0 - mb.y1))
                        guard gx * gx + gy * gy <= d2 else { continue }
                        if close(edges, m, mb) { found.append(m32) }
                    }
                }
            }
            items += found.sorted()
            offsets.append(Int32(items.count))
        }
        return (offsets, items)
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

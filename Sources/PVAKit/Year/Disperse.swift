import Foundation

extension Year {
    /// Stage 5 (landscape only): every independent animal without a territory —
    /// young that have just left their mother, floaters, and resident males with no
    /// female within reach (they give the territory up: males follow females) —
    /// disperses, in a random order: it draws a distance from its sex's kernel and walks
    /// (`DispersalWalk`). An animal at or within a year of its first breeding age may
    /// settle: on the way, in the first vacant territory it steps into once clear of its
    /// natal range (`settleOnTheWay`), else in the nearest vacant territory within the
    /// search radius of where it stopped; a male only in a territory with a female within
    /// reach. Otherwise it stays where it stopped as a floater. Young in its care move with it.
    /// Released animals in their first year free first leave their place with their release's
    /// `dispersalProbability` (a walk of exponential length, its mean the release's); animals
    /// in a release enclosure do not move.
    enum Disperse {
        static func run<S: Space>(_ r: Replicate<S>) {
            guard S.isSpatial, let space = r.space as? Gridded else { return }
            let t = r.table
            let settings = space.model.settings.dispersal
            var dispersers: [Int32] = []
            swap(&dispersers, &r.scratch)
            defer { swap(&dispersers, &r.scratch) }
            dispersers.removeAll(keepingCapacity: true)
            for m in space.model.layout.male.indices where space.maleHolder[m] >= 0 && !space.hasFemaleInReach(m) {
                space.vacate(Int(space.maleHolder[m]), table: t)
            }
            // Released animals in their first year free may walk off (homing, wandering).
            var releaseWalks: [Int32: Double] = [:]
            if r.model.hasReleaseDispersal {
                for row in 0..<t.count where r.freedYear(row) == r.year - 1 {
                    let release = r.model.releases[Int(t.releaseGroup[row])]
                    guard release.dispersalProbability > 0, r.rng.uniform() < release.dispersalProbability else { continue }
                    space.vacate(row, table: t)
                    releaseWalks[Int32(row)] = -release.dispersalMeanKm * log(1 - r.rng.uniform())  // exponential, km
                }
            }
            let dependency = t.carer.isActive
            for row in 0..<t.count where !(dependency && t.carer[row] >= 0) && t.territory[row] < 0 && t.age[row] >= 1 && !r.isEnclosed(row) {
                dispersers.append(Int32(row))
            }
            guard !dispersers.isEmpty else { return }
            r.rng.shuffle(&dispersers)
            var anyRemoved = false, motherMoved = false
            let walk = space.model.walk
            for disperser in dispersers {
                let row = Int(disperser)
                let sex: Sex = t.sex[row] == Sex.female.rawValue ? .female : .male
                let distance = releaseWalks[disperser] ?? settings.kernel(sex).draw(&r.rng)
                let settles = Gridded.mayHoldTerritory(row, table: t)
                let outcome = settles && settings.settleOnTheWay
                    ? walk.walk(from: Int(t.cell[row]), distance: distance, in: space.landscape, rng: &r.rng, settlingIn: (space, sex))
                    : walk.walk(from: Int(t.cell[row]), distance: distance, in: space.landscape, rng: &r.rng)
                switch outcome {
                case .died(let cause):
                    t.fate[row] = cause.rawValue
                    anyRemoved = true
                case .emigrated:
                    t.fate[row] = DeathCause.emigration.rawValue
                    anyRemoved = true
                case .settled(_, let territory):
                    space.settle(row, sex: sex, territory: territory, table: t)
                case .arrived(let cell):
                    if settles, let home = nearestVacantTerritory(sex, from: cell, in: space) {
                        space.settle(row, sex: sex, territory: home, table: t)
                    } else {
                        t.cell[row] = Int32(cell)
                    }
                }
                if dependency && t.dependents[row] > 0 { motherMoved = true }
            }
            if motherMoved {
                for row in 0..<t.count where t.carer[row] >= 0 { t.cell[row] = t.cell[Int(t.carer[row])] }
            }
            if anyRemoved {
                t.markOrphans()
                r.removeDead()
            }
        }

        /// The nearest vacant territory of `sex` (by centroid) within the search radius of
        /// `cell`; for a male, only one with a female within reach.
        static func nearestVacantTerritory(_ sex: Sex, from cell: Int, in space: Gridded) -> Int? {
            let sp = space.model
            let point = sp.landscape.centre(cell)
            let radius = sp.settings.dispersal.searchRadius
            let female = sex == .female
            let holder = female ? space.femaleHolder : space.maleHolder
            var best = -1
            var bestDistance = Double.infinity
            let xs = female ? sp.femaleCentroidX : sp.maleCentroidX, ys = female ? sp.femaleCentroidY : sp.maleCentroidY
            (female ? sp.layout.femaleIndex : sp.layout.maleIndex).forEach(near: point, radius: radius) { i in
                guard holder[i] == Gridded.vacant, female || space.hasFemaleInReach(i) else { return }
                let d = ((xs[i] - point.x) * (xs[i] - point.x) + (ys[i] - point.y) * (ys[i] - point.y)).squareRoot()
                if d <= radius && (d < bestDistance || (d == bestDistance && i < best)) {
                    best = i
                    bestDistance = d
                }
            }
            return best >= 0 ? best : nil
        }
    }

    /// How a dispersal walk ended.
    enum WalkOutcome: Equatable {
        /// Alive at this cell, the walk done.
        case arrived(cell: Int)
        /// Stopped on the way at this cell, in this vacant territory.
        case settled(cell: Int, territory: Int)
        case died(DeathCause)
        /// Stepped off the map.
        case emigrated
    }

    /// The correlated random walk of one disperser (MODEL.md §4.3). The animal
    /// keeps a continuous heading, initially uniform at random. Each step goes to
    /// one of the 8 neighbouring cells with weight permeability × exp(κ·cos(angle
    /// between the neighbour and the heading)); the heading then turns halfway
    /// towards the step taken (so a barrier or a less permeable cell deflects
    /// it) and by a random amount (uniform, SD √(cell size / correlation length)). The walk
    /// ends when the animal is `distance` from its start or its step budget is
    /// spent. A barrier (permeability 0, or a NODATA cell) is never entered; a
    /// step off the map is emigration. Each step into a non-habitat cell kills
    /// with `nonHabitatStepMortality`, into a road cell with its road value; the
    /// cause is drawn in proportion to the two hazards. When `settling` (on the way), each
    /// step that ends at least `settleAfter` from the start looks for a vacant territory
    /// of the animal's sex at the new cell (`Gridded.vacancy`) and stops there if there is one.
    struct DispersalWalk: Sendable {
        static let directions: [(dx: Int, dy: Int, angle: Double)] = {
            var out: [(dx: Int, dy: Int, angle: Double)] = []
            for dy in -1...1 {
                for dx in -1...1 where dx != 0 || dy != 0 {
                    // Rows grow southwards, so north is dy = −1.
                    out.append((dx, dy, atan2(Double(-dy), Double(dx))))
                }
            }
            return out
        }()

        let settings: DispersalSettings
        /// The heading, in 1,024 steps over (−π, π]: the 8 neighbours' heading weights
        /// exp(κ·cos(neighbour's angle − heading)) are tabulated once per step of heading
        /// (the heading only weighs the neighbours against each other, so 0.35° steps, far
        /// finer than the random turn, change nothing that matters), and a step costs no
        /// `cos`, `sin` or `exp`. As `Float`, the table (32 KiB) stays in the L1 cache.
        static let headingSteps = 1024
        /// [heading step · 8 + neighbour].
        let headingWeights: [Float]
        /// The 8 directions' column and row steps [dx₀…dx₇, dy₀…dy₇] and angles (arrays, not
        /// vectors: a vector read at a computed index stalls on its own store).
        let steps: [Int], angles: [Double]
        /// Per-walk constants: cell size (km), the squared settle-after distance in cells,
        /// and the half-width of the uniform turn.
        let cellSize: Double, clear2: Double, turning: Double

        init(settings: DispersalSettings, cellSize: Double) {
            self.settings = settings
            var w: [Float] = []
            w.reserveCapacity(Self.headingSteps * 8)
            for i in 0..<Self.headingSteps {
                let h = -Double.pi + (Double(i) + 0.5) * 2 * Double.pi / Double(Self.headingSteps)
                for d in Self.directions { w.append(Float(exp(settings.persistence * cos(d.angle - h)))) }
            }
            headingWeights = w
            steps = Self.directions.map(\.dx) + Self.directions.map(\.dy)
            angles = Self.directions.map(\.angle)
            self.cellSize = cellSize
            clear2 = (settings.settleAfter / cellSize) * (settings.settleAfter / cellSize)
            // A uniform turn on (−a, a) has SD a/√3.
            turning = settings.correlationLength > 0 ? (3 * cellSize / settings.correlationLength).squareRoot() : 0
        }

        @inline(__always) static func headingStep(_ heading: Double) -> Int {
            min(headingSteps - 1, max(0, Int((heading + Double.pi) * Double(headingSteps) / (2 * Double.pi))))
        }

        @inline(__always) static func wrap(_ a: Double) -> Double {
            var x = a
            while x > Double.pi { x -= 2 * Double.pi }
            while x < -Double.pi { x += 2 * Double.pi }
            return x
        }

        /// The most steps a walk may take, whatever its distance (a bound, not a behaviour).
        static let maximumSteps = 1_000_000

        func walk(from start: Int, distance: Double, in state: LandscapeState, rng: inout RandomStream,
                  settlingIn settling: (space: Gridded, sex: Sex)? = nil) -> WalkOutcome {
            let landscape = state.model.landscape
            let columns = landscape.columns, rows = landscape.rows, stride = columns + 2
            let startColumn = start % columns, startRow = start / columns
            var column = startColumn, row = startRow
            var padded = state.paddedIndex(start)
            let budget = Int(min(Double(Self.maximumSteps), (settings.stepBudgetFactor * distance / cellSize).rounded(.up))) + 10
            let target2 = (distance / cellSize) * (distance / cellSize)
            let permeability = state.walkPermeability, stepDeath = state.stepDeath, roadShare = state.stepRoadShare
            let tracksCrossings = state.tracksCrossings, crossingTag = state.crossingTag, crossings = state.crossings
            var heading = rng.uniform() * 2 * Double.pi
            var taken = 0
            return headingWeights.withUnsafeBufferPointer { headingWeights in
            angles.withUnsafeBufferPointer { angle in
            steps.withUnsafeBufferPointer { steps in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 8) { offset in
                // Neighbour k of a padded cell is at padded + offset[k].
                for k in 0..<8 { offset[k] = steps[8 + k] * stride + steps[k] }
                while taken < budget {
                    let ddx = Double(column - startColumn), ddy = Double(row - startRow)
                    if ddx * ddx + ddy * ddy >= target2 { break }
                    // Cumulative weights permeability × heading weight; the step is the first
                    // neighbour whose cumulative weight exceeds u (barriers and NODATA weigh 0).
                    let headingBase = Self.headingStep(heading) * 8
                    var cumulative = SIMD8<Float>()
                    var total: Float = 0
                    for k in 0..<8 {
                        total += permeability[padded + offset[k]] * headingWeights[headingBase + k]
                        cumulative[k] = total
                    }
                    guard total > 0 else { break }  // walled in
                    let u = Float(rng.uniform()) * total
                    var chosen = Int(SIMD8<Int32>(repeating: 0).replacing(with: 1, where: cumulative .<= u).wrappedSum())
                    if chosen == 8 {  // u rounded up to the total: the last neighbour with weight
                        chosen = 7
                        while chosen > 0 && cumulative[chosen] == cumulative[chosen - 1] { chosen -= 1 }
                    }
                    column += steps[chosen]
                    row += steps[8 + chosen]
                    padded += offset[chosen]
                    heading = Self.wrap(heading + 0.5 * Self.wrap(angle[chosen] - heading) + (turning > 0 ? turning * (2 * rng.uniform() - 1) : 0))
                    taken += 1
                    if column < 0 || column >= columns || row < 0 || row >= rows { return .emigrated }
                    let cell = row * columns + column
                    if tracksCrossings && crossingTag[cell] >= 0 { crossings[Int(crossingTag[cell])] += 1 }
                    let death = stepDeath[cell]
                    if death > 0 && rng.uniform() < Double(death) {
                        return .died(rng.uniform() < Double(roadShare[cell]) ? .road : .dispersal)
                    }
                    if let settling {
                        let cx = Double(column - startColumn), cy = Double(row - startRow)
                        if cx * cx + cy * cy >= clear2 {
                            let territory = settling.space.vacancy(settling.sex, at: cell)
                            if territory >= 0 { return .settled(cell: cell, territory: territory) }
                        }
                    }
                }
                return .arrived(cell: row * columns + column)
            }
            }
            }
            }
        }
    }
}

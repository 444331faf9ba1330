import Foundation

/// A sex's dispersal distance kernel: lognormal with the given mean (km) and
/// log-scale SD σ (so μ = ln(mean) − σ²/2).
public struct DispersalKernel: Sendable, Equatable {
    public var meanDistance: Double
    public var sigma: Double

    public init(meanDistance: Double, sigma: Double) {
        self.meanDistance = meanDistance
        self.sigma = sigma
    }

    public var mu: Double { log(meanDistance) - sigma * sigma / 2 }

    public func draw(_ rng: inout RandomStream) -> Double { rng.lognormal(mu: mu, sigma: sigma) }

    /// P(distance ≤ d).
    public func cdf(_ d: Double) -> Double {
        d <= 0 ? 0 : SpecialFunctions.normalCDF((log(d) - mu) / sigma)
    }
}

/// Dispersal settings (MODEL.md §4.3).
public struct DispersalSettings: Sendable {
    public var female: DispersalKernel
    public var male: DispersalKernel
    /// Settlement looks for the nearest vacant territory within this distance of the end of the walk (km).
    public var searchRadius: Double
    /// How strongly a step follows the heading: neighbour weights ∝ permeability × exp(κ·cos(angle to heading)).
    public var persistence: Double
    /// Distance (km) over which the heading's random turning reaches a variance of 1 rad²:
    /// per step of one cell the heading turns by Normal(0, √(cell size / correlationLength)),
    /// so the shape of a path does not depend on the resolution of the grid.
    public var correlationLength: Double
    /// At most stepBudgetFactor × distance / cell size + 10 steps.
    public var stepBudgetFactor: Double
    /// Death probability per step into a non-habitat (but passable) cell.
    public var nonHabitatStepMortality: Double

    public init(female: DispersalKernel = DispersalKernel(meanDistance: 30, sigma: 0.8),
                male: DispersalKernel = DispersalKernel(meanDistance: 45, sigma: 0.8),
                searchRadius: Double = 15, persistence: Double = 4, correlationLength: Double = 25,
                stepBudgetFactor: Double = 4, nonHabitatStepMortality: Double = 0.01) {
        self.female = female
        self.male = male
        self.searchRadius = searchRadius
        self.persistence = persistence
        self.correlationLength = correlationLength
        self.stepBudgetFactor = stepBudgetFactor
        self.nonHabitatStepMortality = nonHabitatStepMortality
    }

    public func kernel(_ sex: Sex) -> DispersalKernel { sex == .female ? female : male }
}

/// How a dispersal walk ended.
enum WalkOutcome: Equatable {
    /// Alive at this cell.
    case arrived(cell: Int)
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
/// cause is drawn in proportion to the two hazards.
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
    static let directionCos: [Double] = directions.map { cos($0.angle) }
    static let directionSin: [Double] = directions.map { sin($0.angle) }
    /// exp(κ·c) for c = −1…1 in 4,096 steps, interpolated linearly (the weights are only
    /// compared with each other, so this changes nothing that matters and costs no `exp`).
    let expTable: [Double]
    static let tableSteps = 4096

    init(settings: DispersalSettings) {
        self.settings = settings
        expTable = (0...Self.tableSteps).map { exp(settings.persistence * (2 * Double($0) / Double(Self.tableSteps) - 1)) }
    }

    @inline(__always) func expKappa(_ c: Double) -> Double {
        let x = (min(1, max(-1, c)) + 1) * 0.5 * Double(Self.tableSteps)
        let i = min(Self.tableSteps - 1, Int(x))
        let f = x - Double(i)
        return expTable[i] + f * (expTable[i + 1] - expTable[i])
    }

    @inline(__always) static func wrap(_ a: Double) -> Double {
        var x = a
        while x > Double.pi { x -= 2 * Double.pi }
        while x < -Double.pi { x += 2 * Double.pi }
        return x
    }

    func walk(from start: Int, distance: Double, landscape: Landscape, rng: inout RandomStream) -> WalkOutcome {
        let columns = landscape.columns, rows = landscape.rows
        let startColumn = start % columns, startRow = start / columns
        var column = startColumn, row = startRow
        let budget = Int((settings.stepBudgetFactor * distance / landscape.cellSize).rounded(.up)) + 10
        let target2 = (distance / landscape.cellSize) * (distance / landscape.cellSize)
        let habitatHazard = -log1p(-min(settings.nonHabitatStepMortality, 0.999_999))
        // A uniform turn on (−a, a) has SD a/√3.
        let turning = settings.correlationLength > 0 ? (3 * landscape.cellSize / settings.correlationLength).squareRoot() : 0
        var heading = rng.uniform() * 2 * Double.pi
        var steps = 0
        let directions = Self.directions, directionCos = Self.directionCos, directionSin = Self.directionSin
        return landscape.permeability.withUnsafeBufferPointer { permeabilityOf in
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 8) { weights in
            while steps < budget {
                let ddx = Double(column - startColumn), ddy = Double(row - startRow)
                if ddx * ddx + ddy * ddy >= target2 { break }
                var total = 0.0
                let ch = cos(heading), sh = sin(heading)
                for k in 0..<8 {
                    let d = directions[k]
                    let c = column + d.dx, r = row + d.dy
                    // The edge is open (stepping off is emigration); barriers and NODATA weigh 0.
                    let permeability = (c < 0 || c >= columns || r < 0 || r >= rows) ? 1 : Double(permeabilityOf[r * columns + c])
                    let w = permeability > 0 ? permeability * expKappa(directionCos[k] * ch + directionSin[k] * sh) : 0
                    weights[k] = w
                    total += w
                }
                guard total > 0 else { break }  // walled in
                var u = rng.uniform() * total
                var chosen = -1
                for k in 0..<8 where weights[k] > 0 {
                    chosen = k
                    u -= weights[k]
                    if u < 0 { break }
                }
                let d = directions[chosen]
                column += d.dx
                row += d.dy
                heading = Self.wrap(heading + 0.5 * Self.wrap(d.angle - heading) + (turning > 0 ? turning * (2 * rng.uniform() - 1) : 0))
                steps += 1
                if column < 0 || column >= columns || row < 0 || row >= rows { return .emigrated }
                let cell = row * columns + column
                let hazardHabitat = landscape.isHabitat(cell) ? 0 : habitatHazard
                let road = Double(landscape.roads[cell])
                let hazardRoad = road > 0 ? -log1p(-min(road, 0.999_999)) : 0
                let hazard = hazardHabitat + hazardRoad
                if hazard > 0 && rng.uniform() < -expm1(-hazard) {
                    return .died(rng.uniform() * hazard < hazardRoad ? .road : .dispersal)
                }
            }
            return .arrived(cell: row * columns + column)
        }
        }
    }
}

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
    /// Directional persistence κ of the correlated random walk (0 = no memory of heading).
    public var persistence: Double
    /// At most stepBudgetFactor × distance / cell size + 10 steps.
    public var stepBudgetFactor: Double
    /// Death probability per step into a non-habitat (but passable) cell.
    public var nonHabitatStepMortality: Double

    public init(female: DispersalKernel = DispersalKernel(meanDistance: 30, sigma: 0.8),
                male: DispersalKernel = DispersalKernel(meanDistance: 45, sigma: 0.8),
                searchRadius: Double = 15, persistence: Double = 2, stepBudgetFactor: Double = 4,
                nonHabitatStepMortality: Double = 0.01) {
        self.female = female
        self.male = male
        self.searchRadius = searchRadius
        self.persistence = persistence
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

/// The correlated random walk of one disperser (MODEL.md §4.3): from its
/// cell, with a random initial heading, it steps to one of the 8 neighbours
/// with weight permeability × exp(κ·cos(turn)) until it is `distance` from
/// the start or its step budget is spent. A barrier (permeability 0, or a
/// NODATA cell) is never entered; a step off the map is emigration. Each
/// step into a non-habitat cell kills with `nonHabitatStepMortality`, into a
/// road cell with its road value; the cause is drawn in proportion to the
/// two hazards.
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
    /// exp(κ·cos(angle_j − angle_k)): the weight of turning from direction k to j.
    let turnWeights: [Double]

    init(settings: DispersalSettings) {
        self.settings = settings
        let d = Self.directions
        turnWeights = (0..<64).map { i in exp(settings.persistence * cos(d[i % 8].angle - d[i / 8].angle)) }
    }

    func walk(from start: Int, distance: Double, landscape: Landscape, rng: inout RandomStream) -> WalkOutcome {
        let columns = landscape.columns, rows = landscape.rows
        let startColumn = start % columns, startRow = start / columns
        var column = startColumn, row = startRow
        let budget = Int((settings.stepBudgetFactor * distance / landscape.cellSize).rounded(.up)) + 10
        let target2 = (distance / landscape.cellSize) * (distance / landscape.cellSize)
        let habitatHazard = -log1p(-min(settings.nonHabitatStepMortality, 0.999_999))
        // The first step turns from a random continuous heading; later ones from a direction.
        let heading = rng.uniform() * 2 * Double.pi
        var first = [Double](repeating: 0, count: 8)
        for k in 0..<8 { first[k] = exp(settings.persistence * cos(Self.directions[k].angle - heading)) }
        var previous = -1
        var steps = 0
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 8) { weights in
            while steps < budget {
                let ddx = Double(column - startColumn), ddy = Double(row - startRow)
                if ddx * ddx + ddy * ddy >= target2 { break }
                var total = 0.0
                for k in 0..<8 {
                    let d = Self.directions[k]
                    let c = column + d.dx, r = row + d.dy
                    // The edge is open (stepping off is emigration); barriers and NODATA weigh 0.
                    let permeability = (c < 0 || c >= columns || r < 0 || r >= rows) ? 1 : Double(landscape.permeability[r * columns + c])
                    let w = permeability * (previous < 0 ? first[k] : turnWeights[previous * 8 + k])
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
                let d = Self.directions[chosen]
                column += d.dx
                row += d.dy
                previous = chosen
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

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
    /// per step of one cell the heading turns by a uniform amount with SD √(cell size /
    /// correlationLength), so the shape of a path does not depend on the resolution of the grid.
    public var correlationLength: Double
    /// At most stepBudgetFactor × distance / cell size + 10 steps.
    public var stepBudgetFactor: Double
    /// Death probability per step into a non-habitat (but passable) cell.
    public var nonHabitatStepMortality: Double
    /// Settle on the way: once `settleAfter` km from its start, an animal that may hold a
    /// territory stops in the first vacant one it steps into (MODEL.md §4.3 as revised);
    /// off, every walk runs its full drawn distance before the search.
    public var settleOnTheWay: Bool
    /// How far (km) from its start a disperser must be before it settles on the way: clear
    /// of its natal range.
    public var settleAfter: Double

    public init(female: DispersalKernel = DispersalKernel(meanDistance: 30, sigma: 0.8),
                male: DispersalKernel = DispersalKernel(meanDistance: 45, sigma: 0.8),
                searchRadius: Double = 15, persistence: Double = 4, correlationLength: Double = 25,
                stepBudgetFactor: Double = 4, nonHabitatStepMortality: Double = 0.01,
                settleOnTheWay: Bool = true, settleAfter: Double = 10) {
        self.female = female
        self.male = male
        self.searchRadius = searchRadius
        self.persistence = persistence
        self.correlationLength = correlationLength
        self.stepBudgetFactor = stepBudgetFactor
        self.nonHabitatStepMortality = nonHabitatStepMortality
        self.settleOnTheWay = settleOnTheWay
        self.settleAfter = settleAfter
    }

    public func kernel(_ sex: Sex) -> DispersalKernel { sex == .female ? female : male }
}

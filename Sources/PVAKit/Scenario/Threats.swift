import Foundation

/// Poaching: an annual probability at pressure 1, for animals at or above a
/// minimum age; the probability may change in given years.
public struct PoachingThreat: Sendable {
    public var probability: Double
    public var minimumAge: Int
    /// From `year` on, the probability is `probability` (sorted by year).
    public var changes: [(year: Int, probability: Double)]

    public init(probability: Double, minimumAge: Int = 1, changes: [(year: Int, probability: Double)] = []) {
        self.probability = probability
        self.minimumAge = minimumAge
        self.changes = changes.sorted { $0.year < $1.year }
    }

    public func probability(inYear year: Int) -> Double {
        var p = probability
        for change in changes where change.year <= year { p = change.probability }
        return p
    }
}

/// Dynamic prey (MODEL.md §4.5): per cell, ungulates grow logistically toward a
/// capacity, minus a share taken by human hunting, with one environmental
/// deviate a year shared by every cell (weather is regional): over the year
/// dP/dt = rP(1 − P/K) − hP, solved exactly (so it never overshoots below 0, however far
/// above its capacity a cell starts), then × exp(σz − σ²/2). It settles (without EV)
/// at K(1 − h/r), where growth equals offtake. The prey layer is the prey index at the start; the capacity is
/// `capacity` × that layer. The default capacity 1.4 = 1/(1 − 0.1/0.35) makes
/// today's hunting (0.1) hold the prey at the mapped level, so the calibrated
/// habitat is where it was; more hunting or less capacity lowers it.
public struct PreyDynamics: Sendable, Equatable {
    /// Intrinsic growth rate r of the ungulates per year.
    public var growthRate: Double
    /// Share h of the ungulates taken by people each year.
    public var huntingOfftake: Double
    /// Capacity relative to the prey layer.
    public var capacity: Double
    /// SD σ of the yearly log deviate of growth (0 = none).
    public var evSD: Double

    public init(growthRate: Double = 0.35, huntingOfftake: Double = 0.1, capacity: Double = 1.4, evSD: Double = 0.1) {
        self.growthRate = growthRate
        self.huntingOfftake = huntingOfftake
        self.capacity = capacity
        self.evSD = evSD
    }

    /// One year of a cell's prey P toward capacity K with hunting share h and the year's
    /// multiplicative deviate `noise` (exp(σz − σ²/2), 1 without EV): the logistic with
    /// offtake integrated over the year, P·e^a / (1 + (r/K)·P·(e^a − 1)/a), a = r − h.
    @inline(__always)
    public func next(_ p: Double, capacity k: Double, hunting h: Double, noise: Double) -> Double {
        guard k > 0, p > 0 else { return 0 }
        let a = growthRate - h
        let growth = abs(a) < 1e-12 ? 1.0 : expm1(a) / a  // (e^a − 1)/a, → 1 as a → 0
        return p * exp(a) / (1 + growthRate / k * p * growth) * noise
    }
}

/// Fire (MODEL.md §4.6): a bad fire year strikes with a probability and burns a
/// random share of the forest cells (suitability at least `forestSuitability`
/// in the static layer), multiplying their suitability and prey by
/// (1 − damage); each burnt cell recovers linearly over its recovery years (drawn
/// per fire, whole years). A cell burnt again while still recovering counts a
/// repeated burn; after `conversionBurns` of them in a row it is grassland for
/// good (suitability `grasslandSuitability`, permanent).
public struct FireThreat: Sendable, Equatable {
    public var probability: Double
    public var burntShare: ClosedRange<Double>
    public var forestSuitability: Double
    public var damage: Double
    public var recoveryYears: ClosedRange<Int>
    /// Burns in a row (each before the last had healed) that turn forest to grassland; 0 = never.
    public var conversionBurns: Int
    public var grasslandSuitability: Double

    public init(probability: Double = 0.1, burntShare: ClosedRange<Double> = 0.1...0.3, forestSuitability: Double = 0.5,
                damage: Double = 0.5, recoveryYears: ClosedRange<Int> = 5...10, conversionBurns: Int = 3,
                grasslandSuitability: Double = 0) {
        self.probability = probability
        self.burntShare = burntShare
        self.forestSuitability = forestSuitability
        self.damage = damage
        self.recoveryYears = recoveryYears
        self.conversionBurns = conversionBurns
        self.grasslandSuitability = grasslandSuitability
    }
}

/// Steady habitat conversion (MODEL.md §4.6): each year every habitat cell
/// outside protected cells becomes non-habitat (suitability and prey 0, still
/// passable: farmland) with this probability. Permanent.
public struct HabitatConversion: Sendable, Equatable {
    public var rate: Double

    public init(rate: Double) { self.rate = rate }
}

/// Canine distemper (MODEL.md §4.7): an outbreak strikes the whole map with a
/// yearly probability; in an outbreak year each animal is exposed with
/// probability exposure × its place's spillover pressure (the landscape's
/// `disease` layer, normalised to mean 1 over habitat cells; 1 without it) and
/// an exposed animal dies with probability `fatality` (vaccinated: × (1 − efficacy)).
public struct DiseaseThreat: Sendable, Equatable {
    public var outbreakProbability: Double
    public var exposure: Double
    public var fatality: Double

    public init(outbreakProbability: Double = 0.1, exposure: Double = 0.15, fatality: Double = 0.5) {
        self.outbreakProbability = outbreakProbability
        self.exposure = exposure
        self.fatality = fatality
    }
}

/// Threats (MODEL.md §4.4–§4.7): those that are hazards combine with base
/// mortality as competing hazards; prey, fire and conversion change the landscape.
public struct Threats: Sendable {
    public var poaching: PoachingThreat?
    public var prey: PreyDynamics?
    public var fire: FireThreat?
    public var habitatConversion: HabitatConversion?
    public var disease: DiseaseThreat?

    public init(poaching: PoachingThreat? = nil, prey: PreyDynamics? = nil, fire: FireThreat? = nil,
                habitatConversion: HabitatConversion? = nil, disease: DiseaseThreat? = nil) {
        self.poaching = poaching
        self.prey = prey
        self.fire = fire
        self.habitatConversion = habitatConversion
        self.disease = disease
    }

    public var isEmpty: Bool { poaching == nil && prey == nil && fire == nil && habitatConversion == nil && disease == nil }

    /// Whether the landscape changes within a replicate (prey, fire or conversion).
    public var changesHabitat: Bool { prey != nil || fire != nil || habitatConversion != nil }
}

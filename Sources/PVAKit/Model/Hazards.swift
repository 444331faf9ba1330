import Foundation

/// The annual hazard h = −ln(1 − p) of an annual probability p (p is capped just
/// below 1 so that a certain death is a large finite hazard). The one place
/// this conversion is written.
@inline(__always)
func hazard(ofProbability p: Double) -> Double {
    p > 0 ? -log1p(-min(p, 0.999_999)) : 0
}

/// The parts of an animal's yearly hazard (MODEL.md §4.4): it survives the
/// year with probability exp(−ΣH) and, if it dies, the cause is drawn in
/// proportion to the parts. Parts whose cause is natural death (base
/// mortality with EV, the floater cost, the prey shortfall of a first-year
/// young) act as survival factors s: their hazard is −ln s. Each threat adds
/// h_k × pressure_k.
public enum HazardComponent: Int, CaseIterable, Sendable {
    /// Base mortality of the age, sex and year (with EV and catastrophes).
    case base
    /// A floater's cost of living without a territory.
    case floater
    /// A first-year young's prey shortfall: survival × the territory's sufficiency.
    case prey
    /// Poaching: annual probability at pressure 1 × the animal's pressure.
    case poaching
    /// Road mortality of the animal's territory or cell.
    case road
    /// Inbreeding depression in the first year: hazard B(1 − share)·F, and certain death for a
    /// young homozygous for a recessive lethal allele.
    case inbreeding
    /// Distemper in an outbreak year: exposure × the place's spillover pressure × fatality
    /// (vaccinated: × (1 − efficacy)), as the probability −ln(1 − p) stands for.
    case disease
    /// A released animal's first year free: survival × the group's post-release survival.
    case release

    public var cause: DeathCause {
        switch self {
        case .base, .floater, .prey: return .natural
        case .poaching: return .poaching
        case .road: return .road
        case .inbreeding: return .inbreeding
        case .disease: return .disease
        case .release: return .release
        }
    }

    /// Survival factors (cause natural) rather than added hazards.
    public var isSurvivalFactor: Bool { cause == .natural }

    public var name: String {
        switch self {
        case .base: return "base"
        case .floater: return "floater"
        case .prey: return "prey"
        case .poaching: return "poaching"
        case .road: return "road"
        case .inbreeding: return "inbreeding"
        case .disease: return "disease"
        case .release: return "release"
        }
    }
}

/// Expected deaths from one part of an animal's hazard, `part`, when all parts sum to `total`:
/// part / total × (1 − e^(−total)) (competing risks). Realised effects of interventions
/// compare it with and without the intervention.
@inline(__always)
func expectedDeaths(part: Double, total: Double) -> Double {
    total > 0 ? part / total * -expm1(-total) : 0
}

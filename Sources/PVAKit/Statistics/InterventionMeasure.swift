/// What a run records of each intervention's realised effect, per replicate
/// (`summary.json` "interventions"): its place's habitat and prey before it
/// starts and in its last year, the actions it took, and the deaths it averted.
public enum InterventionMeasure: Int, CaseIterable, Sendable {
    /// Σ habitat value (km²) over its cells at the census before its first year and in its last year.
    case habitatBefore, habitatAfter
    /// Mean prey index over its cells, at the same two censuses.
    case preyBefore, preyAfter
    /// Vaccinations given (vaccination), burning or converting cells spared (habitat protection),
    /// dispersers' steps into its cells (corridor); 0 for the others.
    case actions
    /// Expected deaths averted: poaching deaths (anti-poaching), distemper deaths (vaccination,
    /// dog management), from each animal's hazards with and without it (competing risks).
    case deathsAvoided

    public var name: String {
        switch self {
        case .habitatBefore: return "habitatKm2Before"
        case .habitatAfter: return "habitatKm2After"
        case .preyBefore: return "preyIndexBefore"
        case .preyAfter: return "preyIndexAfter"
        case .actions: return "actions"
        case .deathsAvoided: return "deathsAvoided"
        }
    }
}

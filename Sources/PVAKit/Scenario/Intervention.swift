/// A management action in force from `startYear` to `endYear` (calendar
/// years, inclusive) in a set of cells (MODEL.md §4.9). Effects of several
/// interventions on one cell combine multiplicatively (two anti-poaching
/// entries of 0.5 leave 0.25 of the poaching); they end with the intervention,
/// except restoration, whose gained habitat stays.
public struct Intervention: Sendable {
    public var name: String
    public var startYear: Int
    public var endYear: Int
    /// Where it acts: a region's name, a rectangle of cells, a list of cells or (nil) the whole map.
    public var place: Place
    public var action: Action

    public enum Place: Sendable, Equatable {
        case wholeMap
        case region(String)
        /// Cells (row · columns + column), ascending, on the map.
        case cells([Int32])
    }

    public enum Action: Sendable, Equatable {
        /// Poaching × (1 − effectiveness).
        case antiPoaching(effectiveness: Double)
        /// Prey capacity × (1 + capacityIncrease), hunting × (1 − huntingReduction) (needs dynamic prey).
        case preyRecovery(capacityIncrease: Double, huntingReduction: Double)
        /// No habitat conversion; fire spares a burning cell with probability `fireReduction`.
        case habitatProtection(fireReduction: Double)
        /// Suitability + increase / years in each active year, for at most `years` years (capped at 1); kept after the end.
        case restoration(suitabilityIncrease: Double, years: Int)
        /// Permeability raised to at least `permeability`, road mortality × (1 − roadMortalityReduction).
        case corridor(permeability: Double, roadMortalityReduction: Double)
        /// Each year each animal of the target not yet protected is vaccinated with probability
        /// `share`; fatality × (1 − efficacy) for `durationYears` years.
        case vaccination(share: Double, cubsOnly: Bool, efficacy: Double, durationYears: Int)
        /// Spillover from dogs × (1 − effectiveness): exposure in an outbreak.
        case dogManagement(effectiveness: Double)

        /// What `InterventionMeasure.actions` counts for this type.
        public var actionsMeaning: String {
            switch self {
            case .vaccination: return "animals vaccinated"
            case .habitatProtection: return "burning or converting cells spared"
            case .corridor: return "dispersers' steps into its cells"
            default: return "none (0)"
            }
        }

        public var type: String {
            switch self {
            case .antiPoaching: return "antiPoaching"
            case .preyRecovery: return "preyRecovery"
            case .habitatProtection: return "habitatProtection"
            case .restoration: return "restoration"
            case .corridor: return "corridor"
            case .vaccination: return "vaccination"
            case .dogManagement: return "dogManagement"
            }
        }
    }

    public init(name: String, startYear: Int, endYear: Int, place: Place = .wholeMap, action: Action) {
        self.name = name
        self.startYear = startYear
        self.endYear = endYear
        self.place = place
        self.action = action
    }
}

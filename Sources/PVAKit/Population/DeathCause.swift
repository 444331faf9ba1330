/// Why an animal left the population; recorded for every death (MODEL.md §6).
public enum DeathCause: UInt8, Sendable, CaseIterable {
    /// Base (background) mortality, including old age.
    case natural = 1
    /// A dependent young whose mother died.
    case maternalDeath = 2
    case poaching = 3
    case road = 4
    case disease = 5
    case dispersal = 6
    /// Left the map while dispersing (counted, not returned).
    case emigration = 7
    case inbreeding = 8
    case harvest = 9
    case truncation = 10
    /// The cost of being released, in the first year free (MODEL.md §4.9).
    case release = 11

    public var name: String {
        switch self {
        case .natural: return "natural"
        case .maternalDeath: return "maternalDeath"
        case .poaching: return "poaching"
        case .road: return "road"
        case .disease: return "disease"
        case .dispersal: return "dispersal"
        case .emigration: return "emigration"
        case .inbreeding: return "inbreeding"
        case .harvest: return "harvest"
        case .truncation: return "truncation"
        case .release: return "release"
        }
    }

    /// Its column in the yearly and regional tables ("DeathsPoaching").
    public var columnName: String { "Deaths" + name.prefix(1).uppercased() + name.dropFirst() }

    public static let count = allCases.count + 1  // slot 0 = alive
}

/// Why a female of breeding age did not breed in a year (MODEL.md §6), so a modeller
/// sees what limits the population. Each breeding-age female who did not breed is
/// counted once, under the first reason that applies, checked in this order: no male in
/// this year's breeding pool (non-spatial: nobody breeds), caring for young, no
/// territory, no male within reach of her territory, prey, chance.
public enum NonBreedingReason: Int, Sendable, CaseIterable {
    /// No male in the breeding pool this year (non-spatial), or none holding a territory
    /// within her reach (spatial).
    case noMale = 0
    /// Caring for dependent young, or her interval since the last litter not yet passed.
    case caringForYoung
    /// No territory (a floater: spatial models only).
    case noTerritory
    /// She would have bred in a territory of full prey sufficiency (her draw fell between
    /// p × sufficiency and p).
    case prey
    /// Free to breed with a mate and enough prey, and did not (the breeding probability),
    /// or bred a litter of size 0.
    case chance

    public var name: String {
        switch self {
        case .noMale: return "noMale"
        case .caringForYoung: return "caringForYoung"
        case .noTerritory: return "noTerritory"
        case .prey: return "prey"
        case .chance: return "chance"
        }
    }

    public static let count = allCases.count
}

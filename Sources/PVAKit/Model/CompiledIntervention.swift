/// An intervention with its place resolved to cells, shared by every replicate.
struct CompiledIntervention: Sendable {
    let name: String
    let startYear: Int
    let endYear: Int
    let action: Intervention.Action
    /// Where it acts, as a description for the summary ("whole map", a region's name, "N cells").
    let placeName: String
    /// Its cells, ascending, and a per-cell mark of them.
    let cells: [Int32]
    let covers: [Bool]

    init(_ i: Intervention, landscape l: Landscape) {
        name = i.name
        startYear = i.startYear
        endYear = i.endYear
        action = i.action
        switch i.place {
        case .wholeMap:
            cells = (0..<l.cellCount).filter { l.onMap[$0] }.map(Int32.init)
            placeName = "whole map"
        case .region(let region):
            cells = l.regions[l.regionIndex(named: region)!].cells.sorted()
            placeName = region
        case .cells(let list):
            cells = list
            placeName = "\(list.count) cells"
        }
        covers = l.marks(cells)
    }

    func isActive(inYear year: Int) -> Bool { year >= startYear && year <= endYear }

    /// Its share of a combined multiplicative effect: −ln(1 − effectiveness) of an
    /// anti-poaching or dog-management entry (0 for the others).
    var weight: Double {
        switch action {
        case .antiPoaching(let e), .dogManagement(let e): return hazard(ofProbability: e)
        default: return 0
        }
    }
}

import Foundation

/// The spatial part of the engine model, derived once per run and shared by
/// all replicates: the territory layout, each territory's hazards, and the
/// orders in which animals are placed. A class (immutable) so that the hot
/// paths share it without copying its arrays.
public final class SpatialModel: Sendable {
    public let settings: SpatialSettings
    public let layout: TerritoryLayout
    let landscape: Landscape
    /// Road hazard −ln(1 − p) of each female / male territory's resident and of each cell.
    let femaleRoadHazard: [Double]
    let maleRoadHazard: [Double]
    let cellRoadHazard: [Double]
    /// Female / male territories by decreasing quality (ties by index), per region; the last
    /// entry is the whole map. Initial animals take the best vacant ones.
    let femalePlacementOrder: [[Int32]]
    let malePlacementOrder: [[Int32]]
    /// Habitat cells per region (last entry: the whole map), for animals placed as floaters.
    let habitatCells: [[Int32]]
    let walk: Year.DispersalWalk
    /// Territory centroids and per-territory hazards as flat arrays for the hot paths.
    let femaleCentroidX: [Double], femaleCentroidY: [Double], maleCentroidX: [Double], maleCentroidY: [Double]
    let femaleSufficiency: [Double]
    let femaleHome: [Int32], maleHome: [Int32]
    /// Female territories whose holder could mate with the holder of each male territory
    /// (the reverse of `TerritoryLayout.mates(of:)`), as offsets per male territory into a flat
    /// list; each replicate reads its raw copy (`Gridded.hasFemaleInReach`).
    let femaleReachOffsets: [Int32]
    let femaleReach: [Int32]

    /// Threats that change the landscape (prey, fire, conversion) and the interventions,
    /// their places resolved to cells.
    let threats: Threats
    let interventions: [CompiledIntervention]
    /// Forest cells (static suitability at least the fire's forest threshold): fire burns among them.
    let forestCells: [Int32]

    init(settings: SpatialSettings, threats: Threats = Threats(), interventions: [Intervention] = []) {
        self.threats = threats
        self.interventions = interventions.map { CompiledIntervention($0, landscape: settings.landscape) }
        forestCells = threats.fire.map { fire in
            let l = settings.landscape
            return (0..<l.cellCount).filter { l.isHabitat($0) && Double(l.suitability[$0]) >= fire.forestSuitability }.map(Int32.init)
        } ?? []
        self.settings = settings
        let l = settings.landscape
        landscape = l
        let layout = TerritoryLayout(landscape: l, settings: settings.territories, searchRadius: settings.dispersal.searchRadius)
        self.layout = layout
        femaleRoadHazard = layout.female.map { hazard(ofProbability: $0.roadMortality) }
        maleRoadHazard = layout.male.map { hazard(ofProbability: $0.roadMortality) }
        cellRoadHazard = l.roads.map { hazard(ofProbability: Double($0)) }
        func byQuality(_ list: [Int32], _ territories: [Territory]) -> [Int32] {
            list.sorted { territories[Int($0)].quality != territories[Int($1)].quality ? territories[Int($0)].quality > territories[Int($1)].quality : $0 < $1 }
        }
        femalePlacementOrder = layout.femaleTerritoriesInRegion.map { byQuality($0, layout.female) } + [byQuality(layout.female.indices.map(Int32.init), layout.female)]
        malePlacementOrder = layout.maleTerritoriesInRegion.map { byQuality($0, layout.male) } + [byQuality(layout.male.indices.map(Int32.init), layout.male)]
        walk = Year.DispersalWalk(settings: settings.dispersal, cellSize: l.cellSize)
        femaleCentroidX = layout.female.map(\.centroid.x)
        femaleCentroidY = layout.female.map(\.centroid.y)
        maleCentroidX = layout.male.map(\.centroid.x)
        maleCentroidY = layout.male.map(\.centroid.y)
        femaleSufficiency = layout.female.map(\.sufficiency)
        femaleHome = layout.female.map { $0.cells[0] }
        maleHome = layout.male.map { $0.cells[0] }
        var reach = [[Int32]](repeating: [], count: layout.male.count)
        for f in layout.female.indices { for m in layout.mates(of: f) { reach[Int(m)].append(Int32(f)) } }
        femaleReachOffsets = reach.reduce(into: [Int32(0)]) { $0.append($0.last! + Int32($1.count)) }
        femaleReach = reach.flatMap { $0 }
        habitatCells = l.regions.map { $0.cells.filter { l.isHabitat(Int($0)) } } + [(0..<l.cellCount).filter { l.isHabitat($0) }.map(Int32.init)]
    }

    /// Index into the placement lists for a region index (nil = the whole map).
    @inline(__always) func placementIndex(_ region: Int?) -> Int { region ?? landscape.regions.count }
}

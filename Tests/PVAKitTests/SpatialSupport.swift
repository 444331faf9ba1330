import Foundation
@testable import PVAKit

/// Landscapes and spatial scenarios built in code for tests.
enum SpatialSupport {
    struct CellValues {
        var suitability: Double? = 0
        var prey: Double = 1
        var permeability: Double = 1
        var poaching: Double = 1
        var road: Double = 0
    }

    /// A landscape from a function of (column, row); regions are rectangles
    /// (name, column, row, columns, rows).
    static func landscape(columns: Int, rows: Int, cellSize: Double,
                          regions: [(String, Int, Int, Int, Int)] = [],
                          _ cell: (Int, Int) -> CellValues) -> Landscape {
        var onMap: [Bool] = [], suit: [Float] = [], prey: [Float] = [], perm: [Float] = [], poach: [Float] = [], roads: [Float] = []
        for r in 0..<rows {
            for c in 0..<columns {
                let v = cell(c, r)
                onMap.append(v.suitability != nil)
                suit.append(Float(v.suitability ?? 0))
                prey.append(Float(v.prey))
                perm.append(Float(v.permeability))
                poach.append(Float(v.poaching))
                roads.append(Float(v.road))
            }
        }
        let regionList = regions.map { name, c0, r0, w, h -> Region in
            var cells: [Int32] = []
            for r in r0..<(r0 + h) { for c in c0..<(c0 + w) where onMap[r * columns + c] { cells.append(Int32(r * columns + c)) } }
            return Region(name: name, cells: cells)
        }
        let n = columns * rows
        return Landscape(columns: columns, rows: rows, cellSize: cellSize, onMap: onMap, suitability: suit, prey: prey,
                         permeability: perm, poachingRaw: poach, roads: roads, protected: [Bool](repeating: false, count: n),
                         regionCode: [Int32](repeating: 0, count: n), regions: regionList)
    }

    /// The Amur species (MODEL.md §4.1 defaults, dependency rules) with EV.
    static func amurSpecies() throws -> Species {
        try TestSupport.loadScenario("amur-leopard-nonspatial.json").scenario.species
    }

    static func scenario(_ spatial: SpatialSettings, species: Species, replicates: Int, years: Int, seed: UInt64,
                         initial: [InitialGroup], poaching: Double? = nil) -> Scenario {
        Scenario(name: "test", run: RunSettings(startYear: 2025, years: years, replicates: replicates, seed: seed),
                 species: species, environment: EnvironmentalVariation(distribution: .binomial, correlation: 0.5),
                 carryingCapacity: nil, initialPopulation: initial,
                 threats: Threats(poaching: poaching.map { PoachingThreat(probability: $0) }), spatial: spatial)
    }

    /// Region `r`'s count `kind` in year t over all replicates.
    static func region(_ result: RunResult, _ r: Int, _ kind: CensusAccumulator.RegionCount, t: Int) -> Descriptive {
        Descriptive(result.census.region(r, kind, t: t))
    }

    /// Its mean over replicates.
    static func regionMean(_ result: RunResult, region r: Int, t: Int, k: Int) -> Double {
        region(result, r, CensusAccumulator.RegionCount(rawValue: k)!, t: t).mean!
    }
}

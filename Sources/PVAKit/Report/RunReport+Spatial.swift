import Foundation

/// Outputs of spatial runs: per region and year, per cell, and the landscape summary.
extension RunReport {
    /// Mean and SD over replicates from integer Σx and Σx².
    static func meanAndSD(sum: Int, squares: Int, n: Int) -> (mean: Double?, sd: Double?) {
        guard n > 0 else { return (nil, nil) }
        let mean = Double(sum) / Double(n)
        guard n > 1 else { return (mean, nil) }
        let variance = max(0, (Double(squares) - Double(n) * mean * mean) / Double(n - 1))
        return (mean, variance.squareRoot())
    }

    /// `regions.csv`: per year and region, N, territorial adults (residents at or past
    /// their first breeding age) and floaters (independent animals without a
    /// territory), mean and SD over all replicates.
    public var regionsCSV: String? {
        guard let sp = model.spatial else { return nil }
        let regions = sp.landscape.regions
        var table = CSVTable(header: ["year", "t", "region", "NMean", "NSD", "TerritorialAdultsMean", "TerritorialAdultsSD", "FloatersMean", "FloatersSD"])
        let n = summary.replicates
        let tallies = result.tallies
        for t in 0...model.years {
            for (r, region) in regions.enumerated() {
                var cells: [CSVTable.Cell] = [.integer(model.startYear + t), .integer(t), .text(region.name)]
                for k in 0..<3 {
                    let i = (t * regions.count + r) * 3 + k
                    let (mean, sd) = Self.meanAndSD(sum: tallies.regionSums[i], squares: tallies.regionSquares[i], n: n)
                    cells += [CSVTable.real(mean), CSVTable.real(sd)]
                }
                table.append(cells)
            }
        }
        return table.text
    }

    /// `occupancy.csv`: every cell of the map with the share of replicates in which a
    /// resident's territory covered it in the final year (empty for non-habitat).
    public var occupancyCSV: String? {
        guard let sp = model.spatial else { return nil }
        let l = sp.landscape
        var table = CSVTable(header: ["column", "row", "x", "y", "habitat", "region", "occupancy"])
        let n = Double(summary.replicates)
        for c in 0..<l.cellCount where l.onMap[c] {
            let p = l.centre(c)
            let names = l.regions(of: c).map { l.regions[Int($0)].name }.joined(separator: "|")
            table.append([.integer(l.column(c)), .integer(l.row(c)), .real(p.x, decimals: 1), .real(p.y, decimals: 1),
                          .integer(l.isHabitat(c) ? 1 : 0), .text(names),
                          l.isHabitat(c) ? CSVTable.real(Double(result.tallies.occupancy[c]) / n) : .missing])
        }
        return table.text
    }

    /// The `landscape` object of summary.json.
    var landscapeJSON: JSONOutput? {
        guard let sp = model.spatial else { return nil }
        let l = sp.landscape
        let n = summary.replicates
        let t = model.years
        let regions = l.regions.enumerated().map { r, region -> JSONOutput in
            let i = (t * l.regions.count + r) * 3
            let tallies = result.tallies
            let adults = Self.meanAndSD(sum: tallies.regionSums[i + 1], squares: tallies.regionSquares[i + 1], n: n)
            let all = Self.meanAndSD(sum: tallies.regionSums[i], squares: tallies.regionSquares[i], n: n)
            let floaters = Self.meanAndSD(sum: tallies.regionSums[i + 2], squares: tallies.regionSquares[i + 2], n: n)
            let females = sp.layout.femaleTerritoriesInRegion[r].count, males = sp.layout.maleTerritoriesInRegion[r].count
            return .object([
                "name": .string(region.name),
                "areaKm2": .real(Double(region.cells.count) * l.cellArea, decimals: 0),
                "habitatKm2": .real(Double(region.cells.filter { l.isHabitat(Int($0)) }.count) * l.cellArea, decimals: 0),
                "femaleTerritories": .integer(females),
                "maleTerritories": .integer(males),
                "finalNMean": .real(all.mean), "finalTerritorialAdultsMean": .real(adults.mean),
                "finalTerritorialAdultsSD": .real(adults.sd), "finalFloatersMean": .real(floaters.mean),
                "finalFemaleTerritoriesOccupied": .real(females > 0 ? Double(tallies.occupiedFemaleTerritories[r]) / Double(n * females) : nil),
                "finalMaleTerritoriesOccupied": .real(males > 0 ? Double(tallies.occupiedMaleTerritories[r]) / Double(n * males) : nil),
            ])
        }
        return .object([
            "columns": .integer(l.columns), "rows": .integer(l.rows), "cellSizeKm": .number(l.cellSize),
            "habitatCells": .integer(l.habitatCellCount),
            "femaleTerritories": .integer(sp.layout.female.count), "maleTerritories": .integer(sp.layout.male.count),
            "femaleRequirementKm2": .number(sp.settings.territories.femaleRequirement),
            "poachingPressure": .string("the poaching layer is normalised to mean 1 over habitat cells; its raw mean there was "
                                        + NumberFormatting.fixed(l.poachingRawMean, decimals: 4)),
            "littersWithoutTerritory": .integer(result.tallies.littersWithoutTerritory),
            "regions": .array(regions),
        ])
    }
}

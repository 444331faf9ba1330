import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// The shipped Amur landscape and the spatial default.
@Suite struct AmurLandscapeTests {
    static func region(_ l: Landscape, _ name: String) throws -> Region {
        try #require(l.regions.first { $0.name == name }, "no region \(name)")
    }

    @Test func regionAreasMatchModelSection5() throws {
        let loaded = try TestSupport.loadSpatial("amur-leopard.json")
        let l = try #require(loaded.scenario.spatial).landscape
        #expect(l.cellSize == 5)
        func area(_ name: String) throws -> Double { Double(try Self.region(l, name).cells.count) * l.cellArea }
        // MODEL.md §5, ±10 %: the park about 2,620 km²; the occupied Russian range 5,000–6,500 km²;
        // about 1,500 km² occupied in China; the Chinese park about 14,600 km².
        let park = try area("Land of the Leopard NP"), range = try area("Russian range")
        let occupiedChina = try area("China: occupied strip"), chinesePark = try area("China: NE China Tiger and Leopard NP")
        #expect(abs(park - 2620) <= 262)
        #expect((4500...7150).contains(range))
        #expect(abs(occupiedChina - 1500) <= 150)
        #expect(abs(chinesePark - 14600) <= 1460)
        // Lazovsky lies 150–200 km from the park (nearest cells).
        let parkCells = try Self.region(l, "Land of the Leopard NP").cells, lazovsky = try Self.region(l, "Lazovsky / southern Sikhote-Alin").cells
        var nearest = Double.infinity
        for a in parkCells { for b in lazovsky { nearest = min(nearest, TerritoryLayout.distance(l.centre(Int(a)), l.centre(Int(b)))) } }
        #expect((150...200).contains(nearest), "park to Lazovsky \(nearest) km")
        // Vladivostok and the sea are barriers; the Khasan–Razdolnoye road has road mortality.
        #expect(l.onMap.contains(false))
        #expect((0..<l.cellCount).contains { l.onMap[$0] && l.permeability[$0] == 0 })
        #expect(l.roads.contains { $0 > 0 })
    }

    @Test func calibratedRequirementGivesTheRussianRange150To200TerritorialAdults() throws {
        // The map holds, with every territory held (saturation), one territorial adult per female and
        // per male territory: 150–200 in the Russian range with the calibrated requirement (25 km²),
        // and fewer than 150 with the uncalibrated default (45 km²).
        var loaded = try TestSupport.loadSpatial("amur-leopard.json")
        let spatial = try #require(loaded.scenario.spatial)
        #expect(spatial.territories.femaleRequirement == 25)
        func capacity(_ s: SpatialSettings) throws -> Int {
            let sp = SpatialModel(settings: s)
            let r = try #require(sp.landscape.regionIndex(named: "Russian range"))
            return sp.layout.femaleTerritoriesInRegion[r].count + sp.layout.maleTerritoriesInRegion[r].count
        }
        let calibrated = try capacity(spatial)
        #expect((150...200).contains(calibrated), "\(calibrated)")
        loaded.scenario.spatial!.territories.femaleRequirement = 45
        let uncalibrated = try capacity(loaded.scenario.spatial!)
        #expect(uncalibrated < 150)
    }

    @Test func defaultRunWritesTheSpatialOutputs() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("amur")
        let outcome = CLI.run(["run", TestSupport.scenarios.appendingPathComponent("amur-leopard.json").path,
                               "--replicates", "20", "--years", "10", "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let svg = try String(contentsOf: out.appendingPathComponent("occupancy.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        for text in ["Occupancy (habitat cells)", "scale fitted to the highest share", "barrier (permeability 0)", "outside the map (sea, NODATA)",
                     "Land of the Leopard NP", "Lazovsky / southern Sikhote-Alin", "50 km (cells of 5 km)", ">N</text>"] {
            #expect(svg.contains(text), "occupancy.svg lacks \(text)")
        }
        let occupancy = try String(contentsOf: out.appendingPathComponent("occupancy.csv"), encoding: .utf8)
        #expect(occupancy.hasPrefix("column,row,x,y,region,occupancy,occupancyExtant\n"))
        let regions = try String(contentsOf: out.appendingPathComponent("regions.csv"), encoding: .utf8)
        let header = ["year,t,region,NMean,NSD,NQ05,NQ50,NQ95,TerritorialAdultsMean,TerritorialAdultsSD",
                      "TerritorialAdultsQ05,TerritorialAdultsQ50,TerritorialAdultsQ95,SubadultHoldersMean,SubadultHoldersSD",
                      "SubadultHoldersQ05,SubadultHoldersQ50,SubadultHoldersQ95,FloatersMean,FloatersSD,FloatersQ05",
                      "FloatersQ50,FloatersQ95,PExtinct,PPersist,DeathsNatural,DeathsMaternalDeath,DeathsPoaching,DeathsRoad",
                      "DeathsDisease,DeathsDispersal,DeathsEmigration,DeathsInbreeding,DeathsHarvest,DeathsTruncation,DeathsRelease",
                      "GeneDiversityMean,GeneDiversitySD,AllelesRetainedMean,AllelesRetainedSD,MeanFMean,MeanFSD\n"].joined(separator: ",")
        #expect(regions.hasPrefix(header))
        #expect(regions.split(separator: "\n").count == 1 + 11 * 8)
        var parser = JSONParser(text: try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8))
        let summary = try parser.parse().value
        // The raw poaching mean over habitat cells, computed here from the layer files themselves.
        let suitability = try ESRIASCIIGrid.parse(Array(try Data(contentsOf: TestSupport.scenarios.appendingPathComponent("amur/suitability.asc"))), file: "s")
        let poaching = try ESRIASCIIGrid.parse(Array(try Data(contentsOf: TestSupport.scenarios.appendingPathComponent("amur/poaching.asc"))), file: "p")
        let habitat = suitability.values.indices.filter { (suitability.values[$0] ?? 0) > 0 }
        let rawMean = habitat.reduce(0.0) { $0 + (poaching.values[$1] ?? 0) } / Double(habitat.count)
        #expect(summary["landscape"]?.value["poachingPressure"]?.value
                == .string("the poaching layer is normalised to mean 1 over habitat cells; its raw mean there was " + NumberFormatting.fixed(rawMean, decimals: 4)))
        #expect(summary["provenance"]?.value["files"].map { node -> Int in if case .array(let a) = node.value { return a.count } else { return 0 } } == 8)
        // Deaths by cause include the spatial causes.
        let yearly = try String(contentsOf: out.appendingPathComponent("yearly.csv"), encoding: .utf8)
        #expect(yearly.contains("DeathsPoaching") && yearly.contains("DeathsEmigration"))
    }

    @Test func provenanceCoversEveryLayerFile() throws {
        // Copy the scenario and its layers, change one value in one layer: the hash changes.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: TestSupport.scenarios.appendingPathComponent("amur"), to: dir.appendingPathComponent("amur"))
        try FileManager.default.copyItem(at: TestSupport.scenarios.appendingPathComponent("amur-leopard.json"), to: dir.appendingPathComponent("a.json"))
        let before = try ScenarioFile.load(dir.appendingPathComponent("a.json").path)
        let roads = dir.appendingPathComponent("amur/roads.asc")
        var text = try String(contentsOf: roads, encoding: .utf8)
        let last = text.range(of: " 0\n", options: .backwards)!
        text.replaceSubrange(last, with: " 0.5\n")
        try text.write(to: roads, atomically: true, encoding: .utf8)
        let after = try ScenarioFile.load(dir.appendingPathComponent("a.json").path)
        #expect(before.resolvedText == after.resolvedText)
        #expect(Provenance(loaded: before, files: before.files).scenarioSHA256 != Provenance(loaded: after, files: after.files).scenarioSHA256)
        #expect(before.files.map(\.path).contains("amur/roads.asc"))
    }
}

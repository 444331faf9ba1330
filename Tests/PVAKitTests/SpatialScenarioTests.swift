import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// The landscape and threats sections of the scenario format.
@Suite struct SpatialScenarioTests {
    /// The sample scenario with a small inline landscape instead of K.
    static func spatial(_ landscape: String, extra: String = "", initial: String = "{\"total\": 6}") -> String {
        SampleScenario.with("\"carryingCapacity\": {\"K\": 150},", "\"landscape\": \(landscape),\(extra)")
            .replacingOccurrences(of: "\"initialPopulation\": {\"total\": 60}", with: "\"initialPopulation\": \(initial)")
    }

    static let map = """
    {"cellSize": 5, "layers": {"suitability": [[1, 1, 0.5], [1, null, 0]], "prey": 0.8, "region": [[1, 1, 2], [1, 0, 2]]},
     "regions": [{"name": "west", "layerValues": [1]}, {"name": "corner", "rectangle": {"column": 2, "row": 0, "columns": 1, "rows": 2}}],
     "territories": {"femaleRequirement": 10}}
    """

    func issues(_ text: String) -> [String] {
        do {
            _ = try ScenarioDecoder.decode(text: text, file: "s.json")
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func inlineLandscapeDecodes() throws {
        let loaded = try ScenarioDecoder.decode(text: Self.spatial(Self.map, initial: "{\"total\": 6, \"region\": \"west\"}"), file: "s.json")
        let l = try #require(loaded.scenario.spatial).landscape
        #expect(l.columns == 3 && l.rows == 2 && l.onMap == [true, true, true, true, false, true])
        #expect(l.regions.map(\.name) == ["west", "corner"])
        #expect(l.regions[0].cells == [0, 1, 3] && l.regions[1].cells == [2, 5])
        #expect(l.prey.allSatisfy { $0 == 0.8 })
        #expect(loaded.scenario.initialPopulation[0].region == "west")
        #expect(loaded.scenario.carryingCapacity == nil)
        // Defaults are part of the resolved scenario.
        #expect(loaded.resolvedText.contains("\"floaterSurvival\":0.9") && loaded.resolvedText.contains("\"searchRadius\":15"))
    }

    @Test(arguments: [
        (map.replacingOccurrences(of: "[1, null, 0]]", with: "[1, 0]]"), "", "{\"total\": 6}",
         "s.json: landscape.layers.suitability[1]: row has 2 values, expected 3 (got […])"),
        (map.replacingOccurrences(of: "[[1, 1, 0.5]", with: "[[1, 1.5, 0.5]"), "", "{\"total\": 6}",
         "s.json: landscape.layers.suitability[0][1]: must be a probability between 0 and 1 (got 1.5)"),
        (map.replacingOccurrences(of: "\"prey\": 0.8", with: "\"prey\": [[1, 1], [1, 1]]"), "", "{\"total\": 6}",
         "s.json: landscape.layers.prey: grid is 2 × 2 cells, but suitability is 3 × 2"),
        (map, " \"carryingCapacity\": {\"K\": 9},", "{\"total\": 6}",
         "s.json: carryingCapacity: not used with a landscape: capacity comes from the territories the habitat holds"),
        (map, "", "{\"total\": 6, \"region\": \"east\"}",
         "s.json: initialPopulation.region: no region of this name in landscape.regions (\"corner\", \"west\") (got \"east\")"),
        (map, " \"threats\": {\"disease\": {\"probability\": 0.1}},", "{\"total\": 6}",
         "s.json: threats.disease.probability: unknown key (got 0.1)"),
        (map, " \"interventions\": [{\"type\": \"dogManagement\", \"startYear\": 2030, \"endYear\": 2040, \"effectiveness\": 0.5}],", "{\"total\": 6}",
         "s.json: interventions[0].type: dogManagement acts on distemper (threats.disease), which this scenario does not have (got \"dogManagement\")"),
        (map, " \"threats\": {\"disease\": {}}, \"interventions\": [{\"type\": \"vaccination\", \"startYear\": 2030, \"endYear\": 2020, \"share\": 0.5}],", "{\"total\": 6}",
         "s.json: interventions[0].endYear: must not be before startYear 2030 (got 2020)"),
        (map, " \"interventions\": [{\"type\": \"corridor\", \"startYear\": 2030, \"endYear\": 2040, \"cells\": [[1, 1]]}],", "{\"total\": 6}",
         "s.json: interventions[0].cells[0]: cell is off the map (NODATA in the suitability layer) (got [1, 1])"),
        (map, " \"interventions\": [{\"type\": \"restoration\", \"startYear\": 2030, \"endYear\": 2040, \"region\": \"east\", \"suitabilityIncrease\": 0.2}],", "{\"total\": 6}",
         "s.json: interventions[0].region: no region of this name in landscape.regions (got \"east\")"),
        (map, " \"threats\": {\"poaching\": {\"probability\": 0.1}}, \"interventions\": [{\"type\": \"antiPoaching\", \"startYear\": 2030, \"endYear\": 2040, \"rectangle\": {\"column\": 1, \"row\": 1, \"columns\": 1, \"rows\": 1}, \"effectiveness\": 0.5}],", "{\"total\": 6}",
         "s.json: interventions[0].rectangle: holds no cell on the map (all NODATA in the suitability layer)"),
        (map.replacingOccurrences(of: "\"prey\": 0.8", with: "\"prey\": 0.8, \"disease\": 0"), "", "{\"total\": 6}",
         "s.json: landscape.layers.disease: is 0 on every habitat cell: it says where spillover is raised, so some habitat must have it (leave the layer out for the same pressure everywhere)"),
        (map, " \"threats\": {\"prey\": {\"huntingOfftake\": 1.5}},", "{\"total\": 6}",
         "s.json: threats.prey.huntingOfftake: must be a probability between 0 and 1 (got 1.5)"),
        (map, " \"threats\": {\"poaching\": {\"probability\": 2}},", "{\"total\": 6}",
         "s.json: threats.poaching.probability: must be a probability between 0 and 1 (got 2)"),
        (map.replacingOccurrences(of: "\"femaleRequirement\": 10", with: "\"femalesPerMale\": 5"), "", "{\"total\": 6}",
         "s.json: landscape.territories.femalesPerMale: must be at most 4 (got 5)"),
        (map.replacingOccurrences(of: "\"suitability\": [[1, 1, 0.5], [1, null, 0]]", with: "\"suitability\": 1"), "", "{\"total\": 6}",
         "s.json: landscape.layers.suitability: the suitability layer must be a grid (a file or rows), not one number"),
        (map.replacingOccurrences(of: "\"columns\": 1, \"rows\": 2", with: "\"columns\": 2, \"rows\": 2"), "", "{\"total\": 6}",
         "s.json: landscape.regions[1].rectangle: rectangle reaches beyond the 3 × 2 grid"),
        (map, " \"releases\": {\"sources\": [{\"name\": \"zoo\", \"type\": \"captive\"}], \"groups\": [{\"source\": \"wild\", \"startYear\": 1, \"endYear\": 2, \"animals\": [{\"sex\": \"female\", \"age\": 1, \"count\": 1}]}]},", "{\"total\": 6}",
         "s.json: releases.groups[0].source: no source of this name in releases.sources (got \"wild\")"),
        (map, " \"releases\": {\"sources\": [{\"name\": \"park\", \"type\": \"translocation\", \"region\": \"east\"}], \"groups\": [{\"source\": \"park\", \"startYear\": 1, \"endYear\": 2, \"animals\": [{\"sex\": \"female\", \"age\": 1, \"count\": 1}]}]},", "{\"total\": 6}",
         "s.json: releases.sources[0].region: no region of this name in landscape.regions (got \"east\")"),
        (map, " \"genetics\": {}, \"releases\": {\"sources\": [{\"name\": \"zoo\", \"type\": \"captive\", \"founders\": 4, \"kinship\": 0.05}], \"groups\": [{\"source\": \"zoo\", \"startYear\": 1, \"endYear\": 2, \"animals\": [{\"sex\": \"female\", \"age\": 1, \"count\": 1}]}]},", "{\"total\": 6}",
         "s.json: releases.sources[0].kinship: must be at least 1/(2 × founders) = 0.125: descendants of 4 founders cannot be less related than that (got 0.05)"),
        (map, " \"releases\": {\"sources\": [{\"name\": \"zoo\", \"type\": \"captive\", \"founders\": 4}], \"groups\": [{\"source\": \"zoo\", \"startYear\": 1, \"endYear\": 2, \"animals\": [{\"sex\": \"female\", \"age\": 1, \"count\": 1}]}]},", "{\"total\": 6}",
         "s.json: releases.sources[0].founders: describes the source's genetics: only used with a \"genetics\" section"),
        (map, " \"releases\": {\"sources\": [{\"name\": \"zoo\", \"type\": \"captive\"}], \"groups\": [{\"source\": \"zoo\", \"startYear\": 1, \"endYear\": 2, \"animals\": [{\"sex\": \"female\", \"minAge\": 1, \"count\": 1}]}]},", "{\"total\": 6}",
         "s.json: releases.groups[0].animals[0].minAge: a captive source makes its animals at one \"age\"; age ranges are for translocations"),
        (map, " \"releases\": {\"sources\": [{\"name\": \"zoo\", \"type\": \"captive\"}], \"groups\": [{\"source\": \"zoo\", \"startYear\": 1, \"endYear\": 2, \"postReleaseSurvival\": 0, \"animals\": [{\"sex\": \"female\", \"age\": 1, \"count\": 1}]}]},", "{\"total\": 6}",
         "s.json: releases.groups[0].postReleaseSurvival: must be greater than 0 (got 0)"),
        (map, " \"targets\": {\"regions\": [\"east\"]},", "{\"total\": 6}",
         "s.json: targets.regions[0]: no region of this name in landscape.regions (got \"east\")"),
    ] as [(String, String, String, String)])
    func badLandscapesGetTheirOwnMessage(_ map: String, _ extra: String, _ initial: String, _ expected: String) {
        let found = issues(Self.spatial(map, extra: extra, initial: initial))
        #expect(found.contains(expected), "\(found)")
    }

    @Test func landscapeThreatsAndInterventionsNeedALandscape() {
        let text = SampleScenario.with("\"initialPopulation\": {\"total\": 60}",
                                       "\"initialPopulation\": {\"total\": 60}, \"threats\": {\"fire\": {}, \"disease\": {}}, "
                                       + "\"interventions\": [{\"type\": \"dogManagement\", \"startYear\": 1, \"endYear\": 2, \"effectiveness\": 0.5}]")
        let found = issues(text)
        #expect(found.contains("s.json: threats.fire: changes the landscape: the scenario needs a \"landscape\""), "\(found)")
        #expect(found.contains("s.json: interventions: act on places: the scenario needs a \"landscape\" (got […])"), "\(found)")
        #expect(!found.contains { $0.contains("disease") }, "distemper needs no landscape: \(found)")
    }

    @Test func releasesNeedIndividualsAndTargetsALandscape() {
        let release = "\"releases\": {\"sources\": [{\"name\": \"zoo\", \"type\": \"captive\"}], \"groups\": [{\"source\": \"zoo\", \"startYear\": 1, \"endYear\": 2, \"animals\": [{\"sex\": \"female\", \"age\": 1, \"count\": 1}]}]}"
        let counts = SampleScenario.with("\"initialPopulation\": {\"total\": 60}", "\"initialPopulation\": {\"total\": 60}, " + release)
            .replacingOccurrences(of: "\"seed\": 9}", with: "\"seed\": 9, \"mode\": \"population\"}")
        #expect(issues(counts).contains { $0.hasPrefix("s.json: releases: needs individuals") }, "\(issues(counts))")
        let targets = SampleScenario.with("\"initialPopulation\": {\"total\": 60}", "\"initialPopulation\": {\"total\": 60}, \"targets\": {\"regions\": [\"a\"]}")
        #expect(issues(targets).contains("s.json: targets: target regions need a landscape, which this scenario does not have"), "\(issues(targets))")
    }

    /// A translocation source that fails (here its region) is reported once: its groups' age
    /// ranges are not then refused as if the source were captive.
    @Test func aFailedSourceIsReportedOnce() {
        let extra = " \"releases\": {\"sources\": [{\"name\": \"park\", \"type\": \"translocation\", \"region\": \"east\"}], \"groups\": [{\"source\": \"park\", \"startYear\": 1, \"endYear\": 2, \"animals\": [{\"sex\": \"female\", \"minAge\": 2, \"maxAge\": 5, \"count\": 1}]}]},"
        let found = issues(Self.spatial(Self.map, extra: extra))
        #expect(found == ["s.json: releases.sources[0].region: no region of this name in landscape.regions (got \"east\")"], "\(found)")
    }

    /// A landscape that fails to decode is reported once: a release group's place is not then
    /// refused as if the scenario had no landscape.
    @Test func aFailedLandscapeIsNotReportedAgainByTheReleases() {
        let extra = " \"releases\": {\"sources\": [{\"name\": \"zoo\", \"type\": \"captive\"}], \"groups\": [{\"source\": \"zoo\", \"region\": \"west\", \"startYear\": 1, \"endYear\": 2, \"animals\": [{\"sex\": \"female\", \"age\": 1, \"count\": 1}]}]},"
        let found = issues(Self.spatial(Self.map.replacingOccurrences(of: "\"femaleRequirement\": 10", with: "\"floaterSurvival\": 1.5"), extra: extra))
        #expect(found == ["s.json: landscape.territories.floaterSurvival: must be a probability between 0 and 1 (got 1.5)"], "\(found)")
    }

    @Test func regionsNeedALandscape() {
        let text = SampleScenario.with("\"initialPopulation\": {\"total\": 60}", "\"initialPopulation\": {\"total\": 60, \"region\": \"west\"}")
        #expect(issues(text).contains("s.json: initialPopulation.region: regions need a landscape, which this scenario does not have"))
    }
}

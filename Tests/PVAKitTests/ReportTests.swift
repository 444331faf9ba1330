import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PVAKit
@testable import pva

/// `report.html` and the chart library: the page is well-formed (read here by an XML parser,
/// so every element is balanced and every void element closed), self-contained and small,
/// holds the charts the run has data for — each with its title and both axes — and nothing else.
@Suite struct ReportTests {
    /// An element of a parsed document.
    final class Node {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        var text = ""

        init(_ name: String, _ attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
        var allText: String { text + children.map(\.allText).joined() }
        var all: [Node] { [self] + children.flatMap(\.all) }
    }

    /// Builds the tree with Foundation's XMLParser; nil (with the parser's error) when the
    /// markup is not well-formed.
    final class TreeBuilder: NSObject, XMLParserDelegate {
        let root = Node("#document", [:])
        var stack: [Node] = []

        func parserDidStartDocument(_ parser: XMLParser) { stack = [root] }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let node = Node(name, attributes)
            stack.last?.children.append(node)
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

        static func parse(_ text: String) throws -> Node {
            let parser = XMLParser(data: Data(text.utf8))
            let builder = TreeBuilder()
            parser.delegate = builder
            guard parser.parse() else {
                throw FileSystem.Failure("not well-formed at line \(parser.lineNumber): \(parser.parserError.map { "\($0)" } ?? "?")")
            }
            return builder.root
        }
    }

    /// Every problem of one chart: role, title named by aria-labelledby, visible title, both
    /// axes with at least two tick labels and an axis label.
    static func problems(ofChart svg: Node, ids: [String: Node]) -> [String] {
        let id = svg.attributes["id"] ?? "?"
        var problems: [String] = []
        if svg.attributes["role"] != "img" { problems.append("\(id): no role=img") }
        let title = ids[svg.attributes["aria-labelledby"] ?? ""]
        if title?.name != "title" || title?.allText.isEmpty != false { problems.append("\(id): aria-labelledby names no <title> with text") }
        let inside = svg.all
        if !inside.contains(where: { $0.name == "text" && $0.classes.contains("chart-title") && !$0.allText.isEmpty }) {
            problems.append("\(id): no visible chart title")
        }
        for axis in ["x-axis", "y-axis"] {
            let groups = inside.filter { $0.name == "g" && $0.classes.isSuperset(of: ["axis", axis]) }
            guard groups.count == 1 else { problems.append("\(id): \(groups.count) \(axis) groups"); continue }
            let texts = groups[0].all.filter { $0.name == "text" && !$0.allText.isEmpty }
            if texts.filter({ $0.classes.contains("tick-label") }).count < 2 { problems.append("\(id): \(axis) has fewer than two tick labels") }
            if texts.filter({ $0.classes.contains("axis-label") }).count != 1 { problems.append("\(id): \(axis) has no axis label") }
        }
        return problems
    }

    /// The charts (ids) and maps of a report, after checking the whole page.
    static func check(_ html: String) throws -> (charts: [String], maps: Int) {
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        let lower = html.lowercased()
        for forbidden in ["<script", "<link", "<iframe", "src=\"http", "href=\"http", "src=\"//", "href=\"//", "url(http", "@import"] {
            #expect(!lower.contains(forbidden), "the report holds \(forbidden)")
        }
        #expect(lower.contains("@page { size: a4"), "no A4 page size")
        let root = try TreeBuilder.parse(html)
        let nodes = root.all
        var ids: [String: Node] = [:]
        for node in nodes { if let id = node.attributes["id"] { #expect(ids[id] == nil, "id \(id) twice"); ids[id] = node } }
        let charts = nodes.filter { $0.name == "svg" && $0.classes.contains("chart") }
        for chart in charts {
            let problems = problems(ofChart: chart, ids: ids)
            #expect(problems.isEmpty, "\(problems)")
        }
        let maps = nodes.filter { $0.name == "svg" && $0.classes.contains("map") }
        for map in maps { #expect(ids[map.attributes["aria-labelledby"] ?? ""]?.name == "title", "the map's title") }
        // Every chart and map sits in a figure with a caption.
        let figures = nodes.filter { $0.name == "figure" }
        #expect(figures.count == charts.count + maps.count)
        #expect(figures.allSatisfy { $0.children.contains { $0.name == "figcaption" && !$0.allText.isEmpty } })
        return (charts.compactMap { $0.attributes["id"] }, maps.count)
    }

    func run(_ scenario: String, _ extra: [String], in dir: URL, name: String) throws -> String {
        let out = dir.appendingPathComponent(name)
        let outcome = CLI.run(["run", TestSupport.scenarios.appendingPathComponent(scenario).path, "--out", out.path, "--quiet"] + extra)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    }

    @Test func aSpatialRunsReportHasEveryChartAndTheMap() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try run("amur-leopard.json", ["--replicates", "20", "--years", "20"], in: dir, name: "small")
        let (charts, maps) = try Self.check(html)
        #expect(charts == ["chart-population", "chart-extinction", "chart-gene-diversity", "chart-deaths", "chart-breeding", "chart-second-population"])
        #expect(maps == 1)
        #expect(html.utf8.count < 300_000, "report.html of 20 replicates is \(html.utf8.count) bytes")
        for text in ["Amur leopard: south-west Primorye", "Key figures", "P(extinct by 2045)", "Gene diversity 2025 → 2045",
                     "Scenario SHA-256", "Lazovsky / southern Sikhote-Alin", "seed 2025"] {
            #expect(html.contains(text), "the report lacks \(text)")
        }
        #expect(!html.contains(dir.path), "a path leaked into the report")
        // Per-year data only: ten times the replicates, (nearly) the same size.
        let more = try run("amur-leopard.json", ["--replicates", "200", "--years", "20"], in: dir, name: "more")
        #expect(Double(more.utf8.count) < 1.1 * Double(html.utf8.count), "report.html grows with replicates: \(html.utf8.count) → \(more.utf8.count) bytes")
    }

    /// One command runs a set and compares it (`pva run-set … --compare NAME`): the comparison's
    /// report.html overlays the scenarios and plots their differences from the baseline, each
    /// chart with its title and axes, and its files hold one row per scenario, best first.
    @Test func aComparisonsReportOverlaysTheScenariosAndPlotsTheirDifferences() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenarios = TestSupport.scenarios
        let outcome = CLI.run(["run-set", scenarios.appendingPathComponent("amur-leopard.json").path,
                               scenarios.appendingPathComponent("interventions/anti-poaching.json").path,
                               scenarios.appendingPathComponent("interventions/narva-tunnel.json").path,
                               "--replicates", "20", "--years", "20", "--quiet", "--out", dir.path, "--compare", "amur-leopard"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let folder = dir.appendingPathComponent("comparison")
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        let (charts, maps) = try Self.check(html)
        #expect(charts == ["chart-compare-n", "chart-compare-pe", "chart-compare-gene-diversity", "chart-forest-pe", "chart-forest-n"])
        #expect(maps == 0)
        for name in ["amur-leopard (baseline)", "anti-poaching", "narva-tunnel"] { #expect(html.contains(name), "the report lacks \(name)") }
        let csv = try TestSupport.csv(folder.appendingPathComponent("comparison.csv"))
        #expect(csv.count == 3 && csv.map { $0["rank"] } == ["1", "2", "3"])
        #expect(csv.filter { $0["baseline"] == "1" }.map { $0["scenario"] } == ["amur-leopard"])
        let pe = csv.compactMap { $0["PE"].flatMap(Double.init) }
        #expect(pe == pe.sorted(), "not ranked by P(E): \(pe)")
        #expect(outcome.stdout.contains("| 1 | "), "the table is printed")
    }

    @Test func aNonSpatialRunsReportLeavesOutWhatItHasNoDataFor() throws {
        // No genetics, no landscape, no targets: no gene diversity, second population or map.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try run("amur-leopard-nonspatial.json", ["--replicates", "20", "--years", "30"], in: dir, name: "ns")
        let (charts, maps) = try Self.check(html)
        #expect(charts == ["chart-population", "chart-extinction", "chart-deaths", "chart-breeding"])
        #expect(maps == 0)
        #expect(html.utf8.count < 100_000)
    }

    @Test func theBreedingChartAddsUpToTheBreedingAgeFemales() throws {
        // Per year, litters + every non-breeding reason = the breeding-age females (each
        // female is counted once); summed over the run it is the tallied total.
        let loaded = try TestSupport.loadScenario("amur-leopard-nonspatial.json", overrides: RunOverrides(replicates: 10, years: 15))
        let result = MonteCarlo.run(EngineModel(scenario: loaded.scenario))
        let t = result.tallies
        let perYear = (0...15).map { y in t.litters(t: y) + NonBreedingReason.allCases.reduce(0) { $0 + t.notBred($1, t: y) } }
        #expect(perYear.reduce(0, +) == t.breedingAgeFemales)
        #expect(t.littersByYear.reduce(0, +) == t.litters)
        #expect(perYear[0] == 0 && perYear[1] > 0)
    }

    // MARK: the chart library

    @Test func aForestPlotHasItsRowsAxesAndReferenceLine() throws {
        let plot = ForestPlot(
            title: "ΔP(E) against the baseline", description: "Differences in P(extinct by 2125).",
            axis: ChartAxis("ΔP(E) by 2125 (probability)", includesZero: true), rowsLabel: "Scenario",
            rows: [ForestPlot.Row("anti-poaching", estimate: -0.038, low: -0.052, high: -0.024, note: "−0.038 [−0.052, −0.024]"),
                   ForestPlot.Row("poaching 5 % <worse>", estimate: 0.675, low: 0.605, high: 0.745, note: "0.675 [0.605, 0.745]"),
                   ForestPlot.Row("no value", estimate: nil)])
        let svg = plot.svg(id: "forest")
        #expect(svg == plot.svg(id: "forest"), "the same plot gives the same bytes")
        let root = try TreeBuilder.parse(svg)
        let chart = try #require(root.children.first)
        var ids: [String: Node] = [:]
        for node in chart.all { if let id = node.attributes["id"] { ids[id] = node } }
        #expect(Self.problems(ofChart: chart, ids: ids).isEmpty, "\(Self.problems(ofChart: chart, ids: ids))")
        let yAxis = try #require(chart.all.first { $0.classes.contains("y-axis") })
        let names = yAxis.all.filter { $0.classes.contains("tick-label") }.map(\.allText)
        #expect(names == ["anti-poaching", "poaching 5 % <worse>", "no value"])
        #expect(chart.all.contains { $0.classes.contains("reference") }, "no reference line at 0")
        #expect(chart.all.filter { $0.name == "rect" && $0.attributes["width"] == "10" }.count == 2, "one point per row with an estimate")
        #expect(svg.contains("0.675 [0.605, 0.745]"))
        #expect(!plot.isEmpty && ForestPlot(title: "t", axis: ChartAxis("x"), rowsLabel: "r", rows: [ForestPlot.Row("a", estimate: nil)]).isEmpty)
    }

    @Test func overlaidSeriesTakeDistinctColourBlindSafeColours() throws {
        // Ten scenarios overlaid: each its own line and band, named in the legend; after the
        // eight Okabe-Ito colours the colours repeat with a dash pattern.
        let x = (0...10).map(Double.init)
        let series = (0..<10).map { k in LineChart.Series("scenario \(k)", x: x, y: x.map { 100 + Double(k) * $0 }) }
        let bands = (0..<10).map { k in LineChart.Band("scenario \(k) 5–95 %", x: x, low: x.map { 90 + Double(k) * $0 }, high: x.map { 110 + Double(k) * $0 }) }
        let chart = LineChart(title: "N", x: .years(), y: .amount("N (animals)"), series: series, bands: bands)
        let root = try TreeBuilder.parse(chart.svg(id: "overlay"))
        let nodes = root.all
        let lines = nodes.filter { $0.classes.contains("series") }
        #expect(lines.count == 10 && nodes.filter { $0.classes.contains("band") }.count == 10)
        let styles = Set(lines.map { "\($0.attributes["stroke"] ?? "") \($0.attributes["stroke-dasharray"] ?? "solid")" })
        #expect(styles.count == 10, "two series look alike")
        #expect(Set(lines.prefix(8).compactMap { $0.attributes["stroke"] }) == Set(ChartPalette.order))
        let legend = try #require(nodes.first { $0.classes.contains("legend") })
        #expect(legend.all.filter { $0.name == "text" }.count == 20)
    }

    @Test func aMissingValueBreaksALineAndEmptyDataDrawNothing() throws {
        let chart = LineChart(title: "gaps", x: .years(), y: .probability("probability"),
                              series: [LineChart.Series("p", x: [0, 1, 2, 3, 4], y: [0.1, 0.2, nil, 0.3, 0.4])])
        let path = try #require(try TreeBuilder.parse(chart.svg(id: "g")).all.first { $0.classes.contains("series") }?.attributes["d"])
        #expect(path.filter { $0 == "M" }.count == 2, "a nil must break the line: \(path)")
        #expect(LineChart(title: "none", x: .years(), y: .amount("N"), series: [LineChart.Series("n", x: [0, 1], y: [nil, nil])]).isEmpty)
        #expect(StackedChart(title: "none", x: .years(), y: .amount("deaths"), xValues: [1, 2], layers: [StackedChart.Layer("a", values: [0, 0])]).isEmpty)
    }

    @Test func ticksAreRoundAndLabelsFixed() {
        let n = ChartScale(.amount("N"), values: [238, 317.3, 12], from: 300, to: 0)
        #expect(n.low == 0 && n.high == 400 && n.ticks == [0, 100, 200, 300, 400] && n.label(300) == "300")
        let p = ChartScale(.probability("p"), values: [0, 0.048, 0.0631], from: 300, to: 0)
        #expect(p.high <= 1 && p.ticks.last == p.high && p.label(p.ticks[1]).count == 4, "\(p.ticks) \(p.decimals)")
        let years = ChartScale(.years(), values: [2025, 2027], from: 0, to: 600)
        #expect(years.ticks == [2025, 2026, 2027] && years.label(2026) == "2026", "whole years on a short axis")
        let oneYear = ChartScale(.years(), values: [2026, 2025.5, 2026.5], from: 0, to: 600)
        #expect(oneYear.ticks == [2025, 2026, 2027], "a one-year run's bars still have an axis with two ticks: \(oneYear.ticks)")
        let flat = ChartScale(.probability("p"), values: [0, 0, 0], from: 300, to: 0)
        #expect(flat.low == 0 && flat.high == 1, "P(E) of 0 throughout still has an axis")
        #expect(Markup.number(-0.25, 2) == "−0.25" && Markup.number(-0.0001, 2) == "0.00" && Markup.number(nil, 2) == "–")
        #expect(Markup.escape("a < b & \"c\"") == "a &lt; b &amp; &quot;c&quot;")
    }
}

import Foundation

/// `report.html` of a comparison (`pva compare`): the ranked table, the scenarios overlaid
/// (N, P(E), gene diversity over time, one line each, with a legend) and forest plots of the
/// differences from the baseline, on one self-contained page (`HTMLPage`) like a run's report.
extension ScenarioComparison {
    public var reportHTML: String {
        let base = runs[baseline]
        var body = "<header>\n<h1>Comparison of \(runs.count) scenarios</h1>\n"
        body += HTMLPage.paragraph("Baseline: \(base.name). Horizon: \(base.year). " + Self.method, class: "lead")
        body += "</header>\n<section>\n" + HTMLPage.heading("Ranked by extinction risk") + rankingTable + "</section>\n"
        var figures: [String] = []
        func overlay(_ title: String, _ axis: ChartAxis, _ value: (ComparedRun) -> [Double?]) -> LineChart {
            LineChart(title: title, x: .years(), y: axis, series: ranking.enumerated().map { i, k in
                LineChart.Series(runs[k].name, x: runs[k].series.map { Double($0.year) }, y: value(runs[k]), colour: ChartPalette.colour(i))
            })
        }
        let n = overlay("Mean N over time", .amount("Mean N (animals, all replicates)")) { $0.series.map(\.meanN) }
        if !n.isEmpty {
            figures.append(HTMLPage.figure(n.svg(id: "chart-compare-n"), caption: "Mean N at each census over all replicates of each scenario (yearly.csv: NAllMean), in the order of the ranking."))
        }
        let pe = overlay("P(extinct) over time", .probability("P(extinct by the year)")) { $0.series.map(\.pe) }
        if !pe.isEmpty {
            figures.append(HTMLPage.figure(pe.svg(id: "chart-compare-pe"), caption: "Share of replicates extinct by each year (yearly.csv: PE)."))
        }
        let gene = overlay("Gene diversity over time", .probability("Gene diversity (1 − Σp²)")) { $0.series.map(\.geneDiversity) }
        if !gene.isEmpty {
            figures.append(HTMLPage.figure(gene.svg(id: "chart-compare-gene-diversity"), caption: "Mean gene diversity of the living over the replicates with animals alive (yearly.csv: GeneDiversityMean)."))
        }
        body += "<section>\n" + HTMLPage.heading("The scenarios over time") + figures.joined() + "</section>\n"
        // In the ranking's order, the baseline at 0 among them.
        func forestRows(_ part: (Row) -> Comparison.Difference?) -> [ForestPlot.Row] {
            rows.map { row in
                guard !row.isBaseline else { return ForestPlot.Row(row.run.name, estimate: 0, note: "baseline") }
                let d = part(row)
                return ForestPlot.Row(row.run.name, estimate: d?.estimate, low: d?.low, high: d?.high)
            }
        }
        let dPE = ForestPlot(title: "P(E) against the baseline", axis: ChartAxis("Difference in P(extinct by \(base.year))", includesZero: true),
                             rowsLabel: "Scenario", rows: forestRows(\.pe))
        let dN = ForestPlot(title: "Mean final N against the baseline", axis: ChartAxis("Difference in mean N in \(base.year) (animals)", includesZero: true),
                            rowsLabel: "Scenario", rows: forestRows(\.n))
        var forest: [String] = []
        if !dPE.isEmpty {
            forest.append(HTMLPage.figure(dPE.svg(id: "chart-forest-pe"), caption: "Each scenario's P(E) minus the baseline's (\(base.name)) with Newcombe's 95 % interval; an interval that crosses 0 cannot be told from the baseline."))
        }
        if !dN.isEmpty {
            forest.append(HTMLPage.figure(dN.svg(id: "chart-forest-n"), caption: "Each scenario's mean final N minus the baseline's with its 95 % interval (the two standard errors); the table gives the Mann–Whitney test of the whole distribution."))
        }
        if !forest.isEmpty { body += "<section>\n" + HTMLPage.heading("Differences from the baseline") + forest.joined() + "</section>\n" }
        body += "<footer>\n<p>Written by pva \(Provenance.engineVersion) from the results folders named in the table; comparison.csv and comparison.json hold every figure of the table.</p>\n</footer>\n"
        return HTMLPage(title: "Comparison: \(runs.count) scenarios against \(base.name)", body: body).text
    }

    /// The ranking as an HTML table with the Markdown table's figures: per scenario its rank and
    /// name on a line, its figures on the next (never broken), its verdict below them.
    var rankingTable: String {
        let table = textTable
        // Columns: rank, scenario, the figures …, the verdict.
        let figures = Array(table.header.dropFirst(2).dropLast())
        var out = "<table class=\"ranking\">\n<caption>Scenarios ranked by P(E) at the horizon (95 % intervals in brackets)</caption>\n<thead><tr><th scope=\"col\">rank</th>"
        for h in figures { out += "<th scope=\"col\">\(Markup.escape(h))</th>" }
        out += "</tr></thead>\n"
        for c in table.rows {
            out += "<tbody><tr><td>\(Markup.escape(c[0]))</td><td class=\"name\" colspan=\"\(figures.count)\">\(Markup.escape(c[1]))</td></tr>\n"
            out += "<tr><td></td>" + c.dropFirst(2).dropLast().map { "<td>\(Markup.escape($0))</td>" }.joined() + "</tr>\n"
            out += "<tr><td></td><td class=\"verdict\" colspan=\"\(figures.count)\">\(Markup.escape(c.last ?? ""))</td></tr></tbody>\n"
        }
        return out + "</table>\n"
    }
}

/// `report.html`: one self-contained page per run (`HTMLPage`) — the scenario's name and
/// description, the key figures, the provenance, and the charts of `RunReport+Charts`
/// with the occupancy map of a spatial run. Everything comes from per-year summaries, so a
/// 1,000-replicate run's report is as small as a 20-replicate run's (plus the map).
extension RunReport {
    public var reportHTML: String {
        let s = model.scenario
        let name = s.name.isEmpty ? "Scenario" : s.name
        var body = "<header>\n<h1>\(Markup.escape(name))</h1>\n"
        if !s.description.isEmpty { body += HTMLPage.paragraph(s.description, class: "lead") }
        body += HTMLPage.paragraph("pva \(Provenance.engineVersion) · seed \(provenance.seed) · \(provenance.replicates) replicates × \(provenance.years) years ("
                                   + "\(model.startYear)–\(model.startYear + provenance.years)) · scenario SHA-256 \(provenance.scenarioSHA256.prefix(12))… (in full below)",
                                   class: "provenance")
        body += "</header>\n"
        body += HTMLPage.table(caption: "Key figures", rows: keyFigures)
        let rows = yearRows
        let final = summary.final.year
        let start = model.startYear
        var sections: [(heading: String, figures: [String])] = []
        var population: [String] = []
        if let chart = populationChart {
            population.append(HTMLPage.figure(chart.svg(id: "chart-population"),
                caption: "N at each census from \(start) to \(final): mean and median over all \(summary.replicates) replicates (an extinct replicate counts as 0), and the range holding 90 % of them (yearly.csv: NAllMean, NAllQ50, NAllQ05–NAllQ95)."))
        }
        if let chart = extinctionChart {
            population.append(HTMLPage.figure(chart.svg(id: "chart-extinction"),
                caption: "Share of replicates extinct (\(extinctionDefinition)) by each year, with its Wilson 95 % interval"
                    + (model.quasiExtinctionThresholds.isEmpty ? "" : ", and the share that fell below each quasi-extinction threshold at some census so far")
                    + " (yearly.csv: PE, PELow95, PEHigh95, PEverBelow)."))
        }
        sections.append(("Population and extinction", population))
        if let chart = geneDiversityChart(rows) {
            sections.append(("Genetics", [HTMLPage.figure(chart.svg(id: "chart-gene-diversity"),
                caption: "Gene diversity of the living animals: mean and ± 1 SD over the replicates with animals alive (yearly.csv: GeneDiversityMean, GeneDiversitySD).")]))
        }
        var causes: [String] = []
        if let chart = deathsChart(rows) {
            causes.append(HTMLPage.figure(chart.svg(id: "chart-deaths"),
                caption: "Mean deaths per replicate in each year by cause; causes without deaths in this run are left out (yearly.csv: Deaths columns)."))
        }
        if let chart = breedingChart {
            causes.append(HTMLPage.figure(chart.svg(id: "chart-breeding"),
                caption: "Every breeding-age female per replicate in each year: those that bred a litter, and those that did not under the first reason that applied (yearly.csv: NotBred columns)."))
        }
        if !causes.isEmpty { sections.append(("Deaths and breeding", causes)) }
        if let chart = secondPopulationChart {
            let p = summary.secondPopulations
            sections.append(("Second population", [HTMLPage.figure(chart.svg(id: "chart-second-population"),
                caption: "Share of replicates with at least \(p[0].threshold) animals aged \(p[0].minimumAge) or more in the target region in each year (with its 95 % interval), and that had reached it at some census up to the year; dashed vertical lines mark the years the scenario asks about (targets.csv).")]))
        }
        if let map = occupancySVG(id: "occupancy-map") {
            sections.append(("Where the residents are", [HTMLPage.figure(map,
                caption: "Share of replicates in which a resident's territory covered each cell in \(final), over all replicates and over those not extinct (occupancy.svg, occupancy.csv).")]))
        }
        for section in sections where !section.figures.isEmpty {
            body += "<section>\n" + HTMLPage.heading(section.heading) + section.figures.joined() + "</section>\n"
        }
        body += "<section>\n" + HTMLPage.heading("About this run") + HTMLPage.table(caption: "Provenance", rows: provenanceRows) + "</section>\n"
        let others = Self.files(model).map(\.name).filter { $0 != "report.html" }
        body += "<footer>\n<p>Written by pva \(Provenance.engineVersion). Every number drawn here is in the other files of this folder: "
            + others.dropLast().joined(separator: ", ") + " and " + (others.last ?? "") + ".</p>\n</footer>\n"
        return HTMLPage(title: "\(name) — pva report", body: body).text
    }

    /// The key figures: the outcome at the horizon, growth, genetics and the second population.
    var keyFigures: [(name: String, value: String)] {
        let final = summary.final
        func f(_ v: Double?, _ d: Int) -> String { Markup.number(v, d) }
        let ci = final.extinct.wilson95
        var rows: [(name: String, value: String)] = [
            ("P(extinct by \(final.year))", "\(f(final.extinct.estimate, 4)) (95 % \(f(ci?.low, 4))–\(f(ci?.high, 4)))"),
            ("Extinction means", extinctionMeaning),
            ("Initial N (\(model.startYear))", f(summary.years[0].nAll.mean, 1)),
            ("Mean N in \(final.year), all replicates", "\(f(final.nAll.mean, 1)) (SD \(f(final.nAll.sd, 1)))"),
            ("Mean N in \(final.year), not extinct", "\(f(final.nExtant.mean, 1)) (SD \(f(final.nExtant.sd, 1)))"),
            ("Median N in \(final.year) (5–95 %)", "\(f(final.nAll.quantiles[2], 1)) (\(f(final.nAll.quantiles[0], 1))–\(f(final.nAll.quantiles[4], 1)))"),
            ("Stochastic growth rate r", "\(f(summary.growth.mean, 4)) (SE \(f(summary.growth.se, 4)))"),
            ("Model λ (deterministic)", f(model.projection.lambda, 4) + (model.threatFreeProjection.map { " with threats (\(f($0.lambda, 4)) without)" } ?? "")),
            ("Time to extinction: median, mean", "\(summary.medianTimeToExtinction.map { "\($0) years" } ?? "–"), \(summary.meanTimeToExtinction.map { f($0, 1) + " years" } ?? "–")"),
        ]
        if model.genetics != nil {
            let first = result.census.genetic(.geneDiversity, t: 0).mean, last = result.census.genetic(.geneDiversity, t: model.years).mean
            rows.append(("Gene diversity \(model.startYear) → \(final.year)", "\(f(first, 3)) → \(f(last, 3))"))
            let f0 = result.census.genetic(.meanF, t: 0).mean, f1 = result.census.genetic(.meanF, t: model.years).mean
            rows.append(("Mean inbreeding F \(model.startYear) → \(final.year)", "\(f(f0, 3)) → \(f(f1, 3))"))
        }
        for p in summary.secondPopulations {
            let y = p.years[model.years]
            rows.append(("P(≥ \(p.threshold) in \(p.region), \(y.year))", "\(f(y.atLeast.estimate, 3)); reached by then \(f(y.reachedBy.estimate, 3))"))
            rows.append(("Median year \(p.threshold) reached there", p.medianYearReached.map(String.init) ?? "– (fewer than half did)"))
        }
        return rows
    }

    var extinctionMeaning: String {
        switch model.extinction {
        case .oneSexRemains: return "only one sex left (or none)"
        case .belowThreshold(let x): return "N below \(x)"
        }
    }

    /// Where the run comes from (as summary.json's provenance): nothing about time, host or
    /// paths beyond the scenario's own relative layer paths.
    var provenanceRows: [(name: String, value: String)] {
        var rows: [(name: String, value: String)] = [
            ("Engine", "pva \(Provenance.engineVersion)"),
            ("Seed", String(provenance.seed)),
            ("Replicates", String(provenance.replicates)),
            ("Years", "\(provenance.years) (\(model.startYear)–\(model.startYear + provenance.years))"),
            ("Convention", model.species.convention.rawValue + (model.spatial != nil ? ", spatial" : ", non-spatial")),
            ("Scenario SHA-256", provenance.scenarioSHA256),
        ]
        if !provenance.overrides.isEmpty { rows.append(("Overrides", provenance.overrides.joined(separator: "; "))) }
        if !provenance.files.isEmpty { rows.append(("Files read", provenance.files.map(\.path).joined(separator: ", "))) }
        return rows
    }
}

import Foundation

/// `report.html` of a sensitivity study: what was varied and how, then per outcome its
/// ranking as a tornado chart (OAT: the outcome at each parameter's low and high end
/// around the base run; LHS: the standardised regression coefficients) and, for LHS, the
/// outcome against each parameter; one self-contained page (`HTMLPage`) like a run's.
extension SensitivityReport {
    public var reportHTML: String {
        let spec = study.spec
        let title = spec.name.isEmpty ? "Sensitivity study" : spec.name
        var body = "<header>\n<h1>\(Markup.escape(title))</h1>\n"
        let design = spec.design == .oat
            ? "One factor at a time: the base run and each of \(parameters.count) parameters at its low and its high end (\(study.drawCount) runs)"
            : "Latin hypercube: \(study.drawCount) draws over \(parameters.count) parameters"
        body += HTMLPage.paragraph("\(design) of \(spec.scenario), \(spec.replicatesPerDraw) replicates each, seed \(study.seed) for every run (common random numbers).", class: "lead")
        body += HTMLPage.paragraph("pva \(Provenance.engineVersion); study SHA-256 \(provenance["studySHA256"] ?? "–"); scenario SHA-256 \(provenance["scenarioSHA256"] ?? "–")", class: "provenance")
        body += "</header>\n<section>\n" + HTMLPage.heading("Parameters")
        body += HTMLPage.table(caption: "Varied between low and high (base: the scenario's value)", rows: parameters.enumerated().map { j, p in
            (name: p.path, value: "\(p.text(p.minimum)) – \(p.text(p.maximum)); base \(study.base[j].map(p.text) ?? "–")")
        })
        let method = spec.design == .oat ? Self.oatMethod : Self.lhsMethod
        body += HTMLPage.paragraph(method.prefix(1).uppercased() + method.dropFirst() + ".")
        body += "</section>\n"
        for (k, a) in result.analysis.outcomes.enumerated() {
            body += "<section>\n" + HTMLPage.heading(a.label)
            if !a.varied { body += HTMLPage.paragraph(unvaried(a)) }
            body += HTMLPage.table(caption: "Ranking (most influential first)", rows: a.ranking.enumerated().map { r, j in
                (name: "\(r + 1). \(parameters[j].path)", value: rankingNote(a, j))
            })
            let id = "chart-tornado-\(a.outcome.rawValue)"
            switch spec.design {
            case .oat:
                if let base = a.base?.value {
                    let rows = a.ranking.map { j -> TornadoChart.Row in
                        let e = a.oneAtATime[j]
                        func end(_ x: Sensitivity.Estimate) -> TornadoChart.End? {
                            x.value.map { v in TornadoChart.End(v, low: x.se.map { v - 1.959963984540054 * $0 }, high: x.se.map { v + 1.959963984540054 * $0 }) }
                        }
                        return TornadoChart.Row(parameters[j].path, lowEnd: end(e.atLow), highEnd: end(e.atHigh))
                    }
                    let chart = TornadoChart(title: "Tornado: \(a.label)", axis: Self.axis(a), rowsLabel: "Parameter", rows: rows,
                                             centre: base, centreLabel: "base run (\(Markup.number(base, 4)))")
                    body += HTMLPage.figure(chart.svg(id: id), caption: "The outcome with each parameter at its low (blue) and high (orange) end, the others at base, from the base run's value (dashed); whiskers ± 1.96 SE of each run. Largest |high − low| at the top.")
                } else {
                    body += HTMLPage.paragraph("The base run has no value of this outcome, so there is no tornado chart.")
                }
            case .lhs:
                let rows = a.ranking.compactMap { j -> TornadoChart.Row? in
                    guard let s = a.src[j].estimate else { return nil }
                    return TornadoChart.Row(parameters[j].path, lowEnd: nil, highEnd: TornadoChart.End(s, low: a.src[j].low, high: a.src[j].high))
                }
                if rows.isEmpty {
                    body += HTMLPage.paragraph("The outcome did not vary over the draws (or the regression is singular), so there are no coefficients.")
                } else {
                    let chart = TornadoChart(title: "Tornado: \(a.label)", axis: ChartAxis("Standardised regression coefficient", includesZero: true),
                                             rowsLabel: "Parameter", rows: rows, centre: 0, centreLabel: "no effect (0)",
                                             highLabel: "SRC (R² \(Markup.number(a.rSquared, 2)))")
                    body += HTMLPage.figure(chart.svg(id: id), caption: "Standardised regression coefficients with 95 % intervals (t on n − p − 1 degrees of freedom), largest |SRC| at the top; an SRC of 0.5 means one SD of the parameter moves the outcome by half its SD.")
                }
                for (r, j) in a.ranking.enumerated() {
                    let p = parameters[j]
                    let points = zip(result.points, result.draws).compactMap { point, draw -> (x: Double, y: Double)? in
                        guard let x = point.values[j], let y = draw.outcomes[k].value else { return nil }
                        return (x, y)
                    }
                    let plot = ScatterPlot(title: "\(a.label) against \(p.path)", x: ChartAxis(p.path), y: Self.axis(a), points: points)
                    if !plot.isEmpty {
                        body += HTMLPage.figure(plot.svg(id: "chart-scatter-\(a.outcome.rawValue)-\(j)"),
                                                caption: "Rank \(r + 1): each point one draw (\(spec.replicatesPerDraw) replicates); PRCC \(coefficientText(a.prcc[j])).")
                    }
                }
            }
            body += "</section>\n"
        }
        body += "<footer>\n<p>Written by pva \(Provenance.engineVersion); draws.csv holds every draw's values and outcomes, sensitivity.json every figure of this page.</p>\n</footer>\n"
        return HTMLPage(title: title, body: body).text
    }

    /// The axis of an outcome's values: probabilities and gene diversity within 0…1, N from 0.
    static func axis(_ a: SensitivityAnalysis.Outcome) -> ChartAxis {
        switch a.outcome {
        case .extinction, .secondPopulation, .geneDiversity: return ChartAxis(a.label, limits: 0...1)
        case .meanN: return .amount(a.label)
        }
    }

    func coefficientText(_ c: SensitivityAnalysis.Coefficient) -> String {
        guard let e = c.estimate else { return "–" }
        return "\(Markup.number(e, 3)) [\(Markup.number(c.low, 3)), \(Markup.number(c.high, 3))]"
    }

    /// What to say of an outcome no parameter moved (its ranking is only the file's order).
    func unvaried(_ a: SensitivityAnalysis.Outcome) -> String {
        let values = Set(result.draws.compactMap { $0.outcomes[result.analysis.outcomes.firstIndex { $0.outcome == a.outcome }!].value })
        let same = values.count == 1 ? " (\(Markup.number(values.first, 4)) in every run)" : ""
        return "no parameter moved it\(same), so there is no ranking"
    }

    /// The figures of parameter j in the ranking table.
    func rankingNote(_ a: SensitivityAnalysis.Outcome, _ j: Int) -> String {
        switch study.spec.design {
        case .oat:
            let e = a.oneAtATime[j]
            return "low \(Markup.number(e.atLow.value, 4)), high \(Markup.number(e.atHigh.value, 4)); effect \(coefficientText(e.effect)) (SE \(Markup.number(e.effect.se, 4)))"
        case .lhs:
            return "SRC \(coefficientText(a.src[j])); PRCC \(coefficientText(a.prcc[j]))"
        }
    }

    /// A few lines for the terminal: per outcome the three most influential parameters.
    public var textSummary: String {
        let spec = study.spec
        var out = "\(spec.name.isEmpty ? "sensitivity study" : spec.name)\n"
        out += "  \(spec.design == .oat ? "one at a time" : "Latin hypercube"): \(study.drawCount) runs × \(spec.replicatesPerDraw) replicates, seed \(study.seed) (common random numbers)\n"
        for a in result.analysis.outcomes {
            let top = a.ranking.prefix(3).map { j -> String in
                let value: Double? = spec.design == .oat ? a.oneAtATime[j].effect.estimate : a.src[j].estimate
                return "\(parameters[j].path) (\(spec.design == .oat ? "effect" : "SRC") \(Markup.number(value, 3)))"
            }
            out += "  \(a.label): " + (a.varied ? top.joined(separator: ", ") : unvaried(a)) + "\n"
        }
        return out
    }
}

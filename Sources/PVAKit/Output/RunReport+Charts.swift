/// The charts of `report.html`, each built from the run's per-year statistics (never from
/// per-replicate data, so the report's size does not grow with the replicates), each nil
/// when the run has nothing for it to show.
extension RunReport {
    /// Calendar years of t = 0…T, and of t = 1…T (the years in which things happen).
    private var censusYears: [Double] { summary.years.map { Double($0.year) } }
    private var eventYears: [Double] { summary.years.dropFirst().map { Double($0.year) } }

    /// N over time: mean and median over all replicates (extinct ones count as 0) with the
    /// band between the 5 % and 95 % quantiles (yearly.csv's NAllMean, NAllQ50, NAllQ05, NAllQ95).
    var populationChart: LineChart? {
        let years = censusYears
        let chart = LineChart(
            title: "Population size",
            description: "Animals alive at each census over all \(summary.replicates) replicates: mean, median and the 5–95 % range.",
            x: .years(), y: .amount("N (animals)"),
            series: [LineChart.Series("mean N", x: years, y: summary.years.map(\.nAll.mean), colour: ChartPalette.blue),
                     LineChart.Series("median N", x: years, y: summary.years.map { $0.nAll.quantiles[2] }, colour: ChartPalette.black, dash: "6 3")],
            bands: [LineChart.Band("5–95 % of replicates", x: years, low: summary.years.map { $0.nAll.quantiles[0] },
                                   high: summary.years.map { $0.nAll.quantiles[4] }, colour: ChartPalette.blue)])
        return chart.isEmpty ? nil : chart
    }

    /// P(extinct by year) with its Wilson 95 % interval, and P(N below x at some census so
    /// far) for each quasi-extinction threshold.
    var extinctionChart: LineChart? {
        let years = censusYears
        var series = [LineChart.Series("P(extinct by year)", x: years, y: summary.years.map(\.extinct.estimate), colour: ChartPalette.vermillion)]
        for (k, x) in model.quasiExtinctionThresholds.enumerated() {
            series.append(LineChart.Series("P(N < \(x) by year)", x: years, y: summary.years.map { $0.quasi[k].interval.estimate },
                                           colour: ChartPalette.colour(k + 2), dash: ChartPalette.dashes[1 + k % 3]))
        }
        let chart = LineChart(
            title: "Extinction risk",
            description: "Share of replicates extinct (\(extinctionDefinition)) by each year, with its 95 % interval.",
            x: .years(), y: .probability("probability"), series: series,
            bands: [LineChart.Band("95 % interval of P(extinct)", x: years, low: summary.years.map { $0.extinct.wilson95?.low },
                                   high: summary.years.map { $0.extinct.wilson95?.high }, colour: ChartPalette.vermillion)])
        return chart.isEmpty ? nil : chart
    }

    /// Gene diversity over time (with genetics): mean over the replicates with animals alive,
    /// and mean ± 1 SD over them.
    func geneDiversityChart(_ rows: [YearRow]) -> LineChart? {
        guard model.genetics != nil else { return nil }
        let years = censusYears
        let k = GeneticMeasure.geneDiversity.rawValue
        let means = rows.map { $0.genetics[k].mean }
        func shifted(_ row: YearRow, by sign: Double) -> Double? {
            guard let mean = row.genetics[k].mean, let sd = row.genetics[k].sd else { return nil }
            return min(1, max(0, mean + sign * sd))
        }
        let chart = LineChart(
            title: "Gene diversity",
            description: "Gene diversity (expected heterozygosity 1 − Σp² at the neutral loci) of the living, over replicates with animals alive.",
            x: .years(), y: ChartAxis("gene diversity (0–1)", limits: 0...1),
            series: [LineChart.Series("mean gene diversity", x: years, y: means, colour: ChartPalette.bluishGreen)],
            bands: [LineChart.Band("± 1 SD over replicates", x: years, low: rows.map { shifted($0, by: -1) },
                                   high: rows.map { shifted($0, by: 1) }, colour: ChartPalette.bluishGreen)])
        return chart.isEmpty ? nil : chart
    }

    /// Deaths per replicate in each year by cause, stacked; only causes with deaths, and
    /// beyond eight causes the smallest together as "other causes".
    func deathsChart(_ rows: [YearRow]) -> StackedChart? {
        let events = Array(rows.dropFirst())
        let n = Double(max(1, summary.replicates))
        var causes = DeathCause.allCases.indices.filter { i in events.contains { $0.deaths[i] > 0 } }
        guard !causes.isEmpty else { return nil }
        var layers: [StackedChart.Layer] = []
        var other: [Int] = []
        if causes.count > ChartPalette.order.count {
            let total = { (i: Int) in events.reduce(0) { $0 + $1.deaths[i] } }
            let kept = Set(causes.sorted { (total($0), -$0) > (total($1), -$1) }.prefix(ChartPalette.order.count - 1))
            other = causes.filter { !kept.contains($0) }
            causes = causes.filter { kept.contains($0) }
        }
        for (k, i) in causes.enumerated() {
            layers.append(StackedChart.Layer(Self.deathCauseName(DeathCause.allCases[i]), values: events.map { Double($0.deaths[i]) / n },
                                             colour: ChartPalette.colour(k)))
        }
        if !other.isEmpty {
            layers.append(StackedChart.Layer("other causes (" + other.map { DeathCause.allCases[$0].name }.joined(separator: ", ") + ")",
                                             values: events.map { row in Double(other.reduce(0) { $0 + row.deaths[$1] }) / n }, colour: "#999999"))
        }
        let chart = StackedChart(
            title: "Deaths by cause",
            description: "Mean deaths per replicate in each year, by cause (yearly.csv's Deaths columns).",
            x: .years(), y: .amount("deaths per replicate and year"), xValues: eventYears, layers: layers,
            style: events.count <= 40 ? .bars : .areas)
        return chart.isEmpty ? nil : chart
    }

    /// What breeding-age females did each year, stacked: bred (a litter), or the first reason
    /// that kept them from it (yearly.csv's NotBred columns); together every breeding-age
    /// female, per replicate. Reasons that never applied are left out.
    var breedingChart: StackedChart? {
        let t = result.tallies
        let n = Double(max(1, summary.replicates))
        let steps = Array(1..<summary.years.count)
        var layers = [StackedChart.Layer("bred (a litter)", values: steps.map { Double(t.litters(t: $0)) / n }, colour: ChartPalette.bluishGreen)]
        let colours = [ChartPalette.vermillion, ChartPalette.orange, ChartPalette.reddishPurple, ChartPalette.skyBlue, ChartPalette.blue]
        for (k, reason) in NonBreedingReason.allCases.enumerated() where steps.contains(where: { t.notBred(reason, t: $0) > 0 }) {
            layers.append(StackedChart.Layer(Self.reasonName(reason), values: steps.map { Double(t.notBred(reason, t: $0)) / n }, colour: colours[k]))
        }
        let chart = StackedChart(
            title: "What limits breeding",
            description: "Breeding-age females per replicate in each year: those that bred, and those that did not under the first reason that applied.",
            x: .years(), y: .amount("breeding-age females per replicate"), xValues: eventYears, layers: layers,
            style: steps.count <= 40 ? .bars : .areas)
        return chart.isEmpty ? nil : chart
    }

    /// The second-population question (target regions): per region, P(at least the threshold
    /// there) with its 95 % interval and P(reached by the year), with the asked years marked.
    var secondPopulationChart: LineChart? {
        let targets = summary.secondPopulations
        guard !targets.isEmpty else { return nil }
        var series: [LineChart.Series] = [], bands: [LineChart.Band] = []
        for (k, p) in targets.enumerated() {
            let years = p.years.map { Double($0.year) }
            let colour = ChartPalette.colour(k)
            let place = targets.count > 1 ? " in \(p.region)" : ""
            series.append(LineChart.Series("P(≥ \(p.threshold) aged \(p.minimumAge)+\(place) in the year)", x: years,
                                           y: p.years.map(\.atLeast.estimate), colour: colour))
            series.append(LineChart.Series("P(≥ \(p.threshold) reached by the year\(place))", x: years,
                                           y: p.years.map(\.reachedBy.estimate), colour: colour, dash: "6 3"))
            bands.append(LineChart.Band("95 % interval of P(≥ \(p.threshold)\(place))", x: years, low: p.years.map { $0.atLeast.wilson95?.low },
                                        high: p.years.map { $0.atLeast.wilson95?.high }, colour: colour))
        }
        let markers = model.targets.years.filter { $0 <= model.years }.map { LineChart.Marker(x: Double(model.startYear + $0), label: String(model.startYear + $0)) }
        let chart = LineChart(
            title: targets.count == 1 ? "Second population: \(targets[0].region)" : "Second populations",
            description: "Share of replicates with at least the threshold of animals in the target region, in the year and at some census up to it.",
            x: .years(), y: .probability("probability"), series: series, bands: bands, markers: markers)
        return chart.isEmpty ? nil : chart
    }

    static func deathCauseName(_ cause: DeathCause) -> String {
        switch cause {
        case .natural: return "natural"
        case .maternalDeath: return "mother died (dependent young)"
        case .poaching: return "poaching"
        case .road: return "road"
        case .disease: return "disease (distemper)"
        case .dispersal: return "dispersal"
        case .emigration: return "left the map"
        case .inbreeding: return "inbreeding (first year)"
        case .harvest: return "harvest"
        case .truncation: return "above K (truncation)"
        case .release: return "release"
        }
    }

    static func reasonName(_ reason: NonBreedingReason) -> String {
        switch reason {
        case .noMale: return "no male in reach"
        case .caringForYoung: return "caring for young or interval"
        case .noTerritory: return "no territory"
        case .prey: return "prey too scarce"
        case .chance: return "chance"
        }
    }
}

import Foundation

/// One-factor-at-a-time and Latin-hypercube sensitivity analysis (`pva sensitivity`;
/// Saltelli et al. 2008, Marino et al. 2008; in PVA, Cross & Beissinger 2001, McCarthy
/// et al. 1995): each draw is the scenario with the study's parameters set to the draw's
/// values, run with `replicatesPerDraw` replicates, and measured at the horizon
/// (`SensitivityOutcome`); `SensitivityAnalysis` turns the draws into rankings.
///
/// **Common random numbers.** Every draw runs with the same seed, so replicate i of every
/// draw starts from the same random streams. Two draws then differ by what their
/// parameters change (and by the noise that follows once the trajectories part), not by
/// independent noise: differences between draws are estimated with less Monte Carlo
/// error (Law & Kelton 2000, §11.2). The standard errors reported are each draw's own
/// (binomial, or SD/√n); a difference's SE is taken as √(SE₁² + SE₂²), which ignores the
/// positive covariance the common streams induce and so overstates it.
public enum Sensitivity {
    /// A study read against its scenario: what `run` needs besides the model.
    public struct Study: Sendable {
        public var spec: SensitivitySpec
        /// The outcomes measured, in this order in every draw.
        public var outcomes: [SensitivityOutcome]
        /// The scenario's own value at each parameter's path (nil: not a number there).
        public var base: [Double?]
        /// What each outcome measures, in words (with the horizon's calendar year).
        public var outcomeLabels: [String]
        /// The seed of every draw (the study's, or the scenario's run.seed).
        public var seed: UInt64

        public init(spec: SensitivitySpec, outcomes: [SensitivityOutcome], base: [Double?], model: EngineModel) {
            self.spec = spec
            self.outcomes = outcomes
            self.base = base
            seed = spec.seed ?? model.seed
            let last = model.startYear + model.years
            outcomeLabels = outcomes.map { o in
                switch o {
                case .extinction: return "P(extinct by \(last))"
                case .meanN: return "mean N in \(last)"
                case .geneDiversity: return "gene diversity in \(last)"
                case .secondPopulation:
                    let t = model.targets.years.first ?? 0
                    let region = model.targetRegions.first.flatMap { model.spatial?.landscape.regions[$0].name } ?? "the target region"
                    return "P(≥ \(model.targets.threshold) aged \(model.targets.minimumAge)+ in \(region) in \(model.startYear + t))"
                }
            }
        }

        public var drawCount: Int { spec.drawCount }
    }

    /// A draw of the design: the values it gives the parameters (nil: the scenario's own,
    /// for an OAT run that leaves the parameter at base) and what it is, for the tables.
    public struct Point: Sendable {
        public var index: Int
        /// "base", "PATH low", "PATH high", or "lhs".
        public var label: String
        /// Per parameter: the value this draw sets, nil where it leaves the scenario's.
        public var set: [Double?]
        /// Per parameter: the value in force (set, or the scenario's).
        public var values: [Double?]
    }

    /// An estimate with its Monte Carlo standard error (nil where there is none: gene
    /// diversity with nobody alive).
    public struct Estimate: Sendable, Codable, Equatable {
        public var value: Double?
        public var se: Double?

        public init(_ value: Double?, se: Double?) {
            self.value = value.flatMap { $0.isFinite ? $0 : nil }
            self.se = se.flatMap { $0.isFinite ? $0 : nil }
        }
    }

    /// One draw's outcomes, in `Study.outcomes` order: all a draw keeps of its run.
    public struct Draw: Sendable, Codable, Equatable {
        public var index: Int
        public var outcomes: [Estimate]
    }

    /// Every draw of `study`'s design, in index order. OAT: draw 0 the base, then for
    /// parameter k draw 2k + 1 at its low end and 2k + 2 at its high end. LHS: the Latin
    /// hypercube over the ranges, from a stream of its own (the seed mixed with a constant,
    /// so the design is not drawn from the replicates' streams).
    public static func design(_ study: Study) -> [Point] {
        let spec = study.spec
        let p = spec.parameters.count
        switch spec.design {
        case .oat:
            var points = [Point(index: 0, label: "base", set: [Double?](repeating: nil, count: p), values: study.base)]
            for (k, parameter) in spec.parameters.enumerated() {
                for (end, value) in [("low", parameter.minimum), ("high", parameter.maximum)] {
                    var set = [Double?](repeating: nil, count: p), values = study.base
                    set[k] = value
                    values[k] = value
                    points.append(Point(index: points.count, label: "\(parameter.path) \(end)", set: set, values: values))
                }
            }
            return points
        case .lhs:
            var rng = RandomStream(masterSeed: SplitMix64.mix(study.seed ^ 0x5EED_5E45_1717_0001), stream: 0)
            let cube = LatinHypercube.points(spec.draws, dimensions: p, rng: &rng)
            return cube.enumerated().map { i, u in
                let values = zip(spec.parameters, u).map { $0.value(at: $1) }
                return Point(index: i, label: "lhs", set: values, values: values)
            }
        }
    }

    /// The overrides that make `point` from the scenario: the study's replicates, years and
    /// seed (the same for every draw) and the values the point sets.
    public static func overrides(_ study: Study, _ point: Point) -> RunOverrides {
        RunOverrides(replicates: study.spec.replicatesPerDraw, years: study.spec.years, seed: study.seed,
                     settings: zip(study.spec.parameters, point.set).compactMap { parameter, value in value.map(parameter.setting) })
    }

    /// Draws `indices` run and measured, in index order (`DrawRunner`: one draw per thread;
    /// a draw keeps only its outcomes, never its replicates, so memory does not grow with
    /// the replicates; each draw depends only on its index, so the result is the same for
    /// any thread count and any split into shards).
    public static func runDraws(_ study: Study, _ indices: Range<Int>, threads: Int = MonteCarlo.defaultThreads,
                                model: @Sendable (RunOverrides) throws(ScenarioErrors) -> EngineModel,
                                progress: @Sendable () -> Void = {}) throws(ScenarioErrors) -> [Draw] {
        let points = design(study)
        return try DrawRunner.run(indices, threads: threads, body: { i throws(ScenarioErrors) in
            let result = MonteCarlo.run(try model(overrides(study, points[i])), threads: 1)
            return Draw(index: i, outcomes: measure(result, study.outcomes))
        }, progress: progress)
    }

    /// The outcomes of a run at its horizon, from the statistics every report uses
    /// (`RunSummary`: the final year's P(E) and N; the census's gene diversity as in
    /// summary.json; the first target's `SecondPopulation` in the targets' first year).
    public static func measure(_ result: RunResult, _ outcomes: [SensitivityOutcome]) -> [Estimate] {
        let summary = RunSummary(result)
        let model = result.model
        return outcomes.map { o in
            switch o {
            case .extinction:
                return Estimate(summary.final.extinct.estimate, se: summary.final.extinct.standardError)
            case .meanN:
                return Estimate(summary.final.nAll.mean, se: summary.final.nAll.se)
            case .geneDiversity:
                let g = result.census.genetic(.geneDiversity, t: model.years)
                let n = result.census.geneticReplicates.isEmpty ? 0 : result.census.geneticReplicates[model.years]
                return Estimate(g.mean, se: g.sd.map { $0 / Double(max(1, n)).squareRoot() })
            case .secondPopulation:
                guard let p = summary.secondPopulations.first, let t = model.targets.years.first, t <= model.years else {
                    return Estimate(nil, se: nil)
                }
                return Estimate(p.years[t].atLeast.estimate, se: p.years[t].atLeast.standardError)
            }
        }
    }

    /// Runs the whole study.
    public static func run(_ study: Study, threads: Int = MonteCarlo.defaultThreads,
                           model: @Sendable (RunOverrides) throws(ScenarioErrors) -> EngineModel,
                           progress: @Sendable () -> Void = {}) throws(ScenarioErrors) -> Result {
        Result(study: study, draws: try runDraws(study, 0..<study.drawCount, threads: threads, model: model, progress: progress))
    }

    /// A study's draws with their design points; `analysis` is computed from them.
    public struct Result: Sendable {
        public var study: Study
        public var points: [Point]
        public var draws: [Draw]
        public var analysis: SensitivityAnalysis

        public init(study: Study, draws: [Draw]) {
            self.study = study
            self.draws = draws
            points = Sensitivity.design(study)
            analysis = SensitivityAnalysis(study: study, points: points, draws: draws)
        }
    }
}

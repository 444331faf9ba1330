import Foundation

/// Approximate Bayesian computation by rejection (MODEL.md §8; pattern-oriented
/// modelling, Grimm et al. 2005; van der Vaart et al. 2015): parameter sets drawn by
/// Latin hypercube from the uniform priors, each simulated with
/// `replicatesPerDraw` replicates of the hindcast, scored against every
/// observation, and the best-scoring share accepted as the posterior.
///
/// **Score** (smaller is better): −Σ_i ln max(p_i, ½/R), where p_i is the share of
/// the draw's R replicates whose count (what observation i counts, where it counts
/// it) lay inside the observation's interval in its year — a simulated likelihood
/// of the observations, taken as independent, with a floor of half a replicate so a
/// miss costs a finite amount. Ties are broken by draw index.
///
/// Every draw runs from its own seed (the calibration seed and the draw's index),
/// so the result does not depend on the thread count.
public enum Calibration {
    public struct Draw: Sendable, Codable, Equatable {
        public var index: Int
        public var values: [Double]
        /// Per observation: the share of replicates inside its interval.
        public var hits: [Double]
        public var score: Double
    }

    /// Per series (region and count) and year: the quantiles of the pooled accepted replicates.
    public struct Band: Sendable {
        public var series: String
        public var years: [Int]
        public var q05: [Double], q50: [Double], q95: [Double]
    }

    public struct Result: Sendable {
        public var spec: CalibrationSpec
        public var draws: [Draw]
        /// Indices into `draws` of the accepted draws, best first.
        public var accepted: [Int]
        public var bands: [Band]

        /// Per parameter: posterior median, 5 % and 95 % quantiles (type 7) of the accepted values.
        public func summary(_ p: Int) -> (median: Double, q05: Double, q95: Double) {
            let v = accepted.map { draws[$0].values[p] }.sorted()
            return (Self.quantile(v, 0.5), Self.quantile(v, 0.05), Self.quantile(v, 0.95))
        }

        /// Pearson correlation of parameters a and b over the accepted draws (nil if either is constant).
        public func correlation(_ a: Int, _ b: Int) -> Double? {
            let x = accepted.map { draws[$0].values[a] }, y = accepted.map { draws[$0].values[b] }
            let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
            var sxy = 0.0, sxx = 0.0, syy = 0.0
            for i in x.indices { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my) }
            return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : nil
        }

        static func quantile(_ sorted: [Double], _ q: Double) -> Double {
            guard sorted.count > 1 else { return sorted.first ?? .nan }
            let h = Double(sorted.count - 1) * q
            let lo = Int(h.rounded(.down)), hi = min(sorted.count - 1, lo + 1)
            return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
        }
    }

    /// The seed of draw `index`'s replicates.
    static func seed(_ spec: CalibrationSpec, draw index: Int) -> UInt64 {
        SplitMix64.mix(spec.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1)) & ScenarioDecoder.maximumSeed
    }

    /// The overrides that make draw `index` with `values` from the hindcast scenario.
    public static func overrides(_ spec: CalibrationSpec, draw index: Int, values: [Double]) -> RunOverrides {
        RunOverrides(replicates: spec.replicatesPerDraw, seed: seed(spec, draw: index),
                     settings: zip(spec.parameters, values).map { RunOverrides.Setting(path: $0.path, value: $0.text($1)) })
    }

    /// Runs the calibration: every draw (`runDraws`), then the posterior (`finish`). `model`
    /// compiles the hindcast with a draw's overrides; `progress` is called once per simulated
    /// draw (draws, then the accepted draws again for the bands).
    public static func run(_ spec: CalibrationSpec, threads: Int = MonteCarlo.defaultThreads,
                           model: @Sendable (RunOverrides) throws(ScenarioErrors) -> EngineModel,
                           progress: @Sendable () -> Void = {}) throws(ScenarioErrors) -> Result {
        let draws = try runDraws(spec, 0..<spec.draws, threads: threads, model: model, progress: progress)
        return try finish(spec, draws: draws, threads: threads, model: model, progress: progress)
    }

    /// Every draw's parameter values: the Latin hypercube over the priors (from the
    /// calibration seed's stream 0).
    public static func design(_ spec: CalibrationSpec) -> [[Double]] {
        var rng = RandomStream(masterSeed: spec.seed, stream: 0)
        let cube = LatinHypercube.points(spec.draws, dimensions: spec.parameters.count, rng: &rng)
        return cube.map { u in zip(spec.parameters, u).map { $0.value(at: $1) } }
    }

    /// Draws `indices` simulated and scored, in index order (`DrawRunner`: in parallel, one
    /// draw per thread; each depends only on its own values and seed, so the result is the
    /// same for any thread count, and a shard's draws are those of the whole calibration).
    public static func runDraws(_ spec: CalibrationSpec, _ indices: Range<Int>, threads: Int = MonteCarlo.defaultThreads,
                                model: @Sendable (RunOverrides) throws(ScenarioErrors) -> EngineModel,
                                progress: @Sendable () -> Void = {}) throws(ScenarioErrors) -> [Draw] {
        let values = design(spec)
        return try DrawRunner.run(indices, threads: threads, body: { i throws(ScenarioErrors) in
            let result = MonteCarlo.run(try model(overrides(spec, draw: i, values: values[i])), threads: 1)
            let r = Double(result.census.replicates)
            let hits = spec.observations.map { o in
                let h = histogram(result, o)
                return Double(h.pairs.reduce(0) { $0 + (Double($1.value) >= o.low && Double($1.value) <= o.high ? $1.count : 0) }) / r
            }
            let score = -hits.reduce(0.0) { $0 + log(max($1, 0.5 / r)) }
            return Draw(index: i, values: values[i], hits: hits, score: score)
        }, progress: progress)
    }

    /// The posterior from every draw (in index order): the best-scoring share accepted, and
    /// the hindcast band of the accepted draws, which are run again (all their replicates
    /// pooled) for it.
    public static func finish(_ spec: CalibrationSpec, draws: [Draw], threads: Int = MonteCarlo.defaultThreads,
                              model: @Sendable (RunOverrides) throws(ScenarioErrors) -> EngineModel,
                              progress: @Sendable () -> Void = {}) throws(ScenarioErrors) -> Result {
        let accepted = draws.indices.sorted { draws[$0].score != draws[$1].score ? draws[$0].score < draws[$1].score : $0 < $1 }
            .prefix(spec.accepted).map { $0 }
        // The hindcast band: the accepted draws' replicates pooled, per series and year.
        var series: [(name: String, observation: CalibrationSpec.Observation)] = []
        for o in spec.observations where !series.contains(where: { $0.name == o.series }) { series.append((o.series, o)) }
        var pooled: [[CountHistogram]] = []
        var years: [Int] = []
        for i in accepted {
            let result = MonteCarlo.run(try model(overrides(spec, draw: i, values: draws[i].values)), threads: threads)
            if pooled.isEmpty {
                years = (0...result.model.years).map { result.model.startYear + $0 }
                pooled = series.map { _ in [CountHistogram](repeating: CountHistogram(), count: years.count) }
            }
            for (s, entry) in series.enumerated() {
                for t in years.indices {
                    var o = entry.observation
                    o.year = years[t]
                    pooled[s][t].add(histogram(result, o))
                }
            }
            progress()
        }
        let bands = series.enumerated().map { s, entry in
            let d = pooled[s].map { Descriptive($0) }
            return Band(series: entry.name, years: years, q05: d.map { $0.quantiles[0] ?? 0 }, q50: d.map { $0.quantiles[2] ?? 0 },
                        q95: d.map { $0.quantiles[4] ?? 0 })
        }
        return Result(spec: spec, draws: draws, accepted: accepted, bands: bands)
    }

    /// The replicates' counts for what observation `o` counts, where and when.
    static func histogram(_ result: RunResult, _ o: CalibrationSpec.Observation) -> CountHistogram {
        let t = o.year - result.model.startYear
        guard let name = o.region, let region = result.model.spatial?.landscape.regionIndex(named: name) else {
            return result.census.nAll[t]
        }
        let kind: CensusAccumulator.RegionCount
        switch o.count {
        case .all: kind = .n
        case .independent: kind = .independent
        case .young: kind = .young
        case .territorialAdults: kind = .territorialAdults
        }
        return result.census.region(region, kind, t: t)
    }
}

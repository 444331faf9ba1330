import Foundation

/// Statistics of one census year across replicates, with Vortex's definitions
/// (VORTEX.md): extinction is absorbing ("extinct by year t" = first
/// extinction at or before t); N-extant counts the replicates not extinct by t.
public struct YearStatistics: Sendable {
    public var t: Int
    public var year: Int
    public var extinct: Proportion
    public var firstExtinction: Proportion
    public var nAll: Descriptive
    public var nExtant: Descriptive
    public var femalesAllMean: Double?
    public var malesAllMean: Double?
    public var femalesExtantMean: Double?
    public var malesExtantMean: Double?
    /// Per quasi-extinction threshold x: P(N_t < x) and P(N_s < x for some s ≤ t).
    public var quasi: [(threshold: Int, now: Proportion, interval: Proportion)]
}

public struct ClassYearStatistics: Sendable {
    public var t: Int
    public var sex: Sex
    public var ageClass: Int
    public var all: Descriptive
    public var extant: Descriptive
}

/// A region in one census year: its counts over all replicates, and the share of
/// replicates with nobody there (extinct in the region now; recolonisation is possible)
/// and with somebody there at every census so far (persisting).
public struct RegionYearStatistics: Sendable {
    public var t: Int
    public var region: Int
    public var n: Descriptive
    public var territorialAdults: Descriptive
    public var subadultHolders: Descriptive
    public var floaters: Descriptive
    public var extinct: Proportion
    public var persisting: Proportion
    /// Per `GeneticMeasure.regional`: mean and SD over the replicates with animals in the region.
    public var genetics: [(mean: Double?, sd: Double?)] = []
    /// Per `DeathCause`: deaths in the region in the year, mean per replicate.
    public var deaths = [Double](repeating: 0, count: DeathCause.allCases.count)
}

/// Stochastic growth rate: mean of r = ln(N_r(t)/N(t−1)) over extant
/// replicate-years (before truncation), its SD over those years, and its SE
/// with replicates as clusters (years within a replicate are not independent):
/// SE² = R/(R−1) · Σ_i (S_i − n_i r̄)² / (Σ n_i)², with
/// Σ_i (S_i − n_i r̄)² = Σ S_i² − 2 r̄ Σ S_i n_i + r̄² Σ n_i² from exact sums.
public struct StochasticGrowth: Sendable {
    public var mean: Double?
    public var sd: Double?
    public var se: Double?
    public var count: Int

    init(_ g: CensusAccumulator.GrowthSums) {
        count = g.count
        guard g.count > 0 else { mean = nil; sd = nil; se = nil; return }
        let n = Double(g.count)
        let m = g.sum.value / n
        mean = m
        sd = g.count > 1 ? (max(0, g.squares.value - n * m * m) / (n - 1)).squareRoot() : nil
        if g.clusters > 1 {
            let deviations = g.clusterSquares.value - 2 * m * g.clusterCross.value + m * m * Double(g.clusterCountSquares)
            let k = Double(g.clusters)
            se = (k / (k - 1) * max(0, deviations)).squareRoot() / n
        } else {
            se = nil
        }
    }
}

/// Realised vital rates over all replicates and years, to set beside the inputs.
public struct RealisedRates: Sendable {
    /// Litters per breeding-age female a year.
    public var breedingShare: Double?
    /// Litters per female free to breed (no dependent young, interval passed):
    /// compare with the input breeding probability.
    public var breedingShareOfEligible: Double?
    /// Mean size of litters of at least one.
    public var meanLitterSize: Double?
    public var sexRatioAtBirth: Double?
    /// Own-draw survival by class and sex: [class][sex] (nil when nobody was at risk).
    public var survival: [[Double?]]
    public var atRisk: [[Int]]

    init(_ t: Tallies, classCount: Int) {
        func ratio(_ a: Int, _ b: Int) -> Double? { b > 0 ? Double(a) / Double(b) : nil }
        breedingShare = ratio(t.litters, t.breedingAgeFemales)
        breedingShareOfEligible = ratio(t.litters, t.eligibleFemales)
        meanLitterSize = ratio(t.offspring, t.litters)
        sexRatioAtBirth = ratio(t.maleOffspring, t.offspring)
        survival = (0..<classCount).map { c in (0..<2).map { ratio(t.survived[c * 2 + $0], t.atRisk[c * 2 + $0]) } }
        atRisk = (0..<classCount).map { c in (0..<2).map { t.atRisk[c * 2 + $0] } }
    }
}

/// Every statistic the outputs report, computed from a run's accumulated
/// tallies and census (no report text here).
public struct RunSummary: Sendable {
    public var years: [YearStatistics]
    public var classes: [ClassYearStatistics]
    /// Per year and region (t-major), for spatial runs.
    public var regions: [RegionYearStatistics]
    public var growth: StochasticGrowth
    public var realised: RealisedRates
    /// First year with P(E) ≥ 0.5 (years since the start); nil when fewer than half went extinct.
    public var medianTimeToExtinction: Int?
    /// Mean years to first extinction among the replicates that went extinct.
    public var meanTimeToExtinction: Double?
    public var replicates: Int
    /// The second-population question for each target region (landscape only).
    public var secondPopulations: [SecondPopulation]

    public init(_ result: RunResult) {
        let model = result.model
        let c = result.census
        let r = c.replicates
        replicates = r
        func mean(_ sum: Int, _ n: Int) -> Double? { n > 0 ? Double(sum) / Double(n) : nil }
        years = (0...model.years).map { t in
            let extant = r - c.extinct[t]
            return YearStatistics(
                t: t, year: model.startYear + t,
                extinct: Proportion(c.extinct[t], of: r), firstExtinction: Proportion(c.firstExtinct[t], of: r),
                nAll: Descriptive(c.nAll[t]), nExtant: Descriptive(c.nExtant[t]),
                femalesAllMean: mean(c.femalesAll[t], r), malesAllMean: mean(c.malesAll[t], r),
                femalesExtantMean: mean(c.femalesExtant[t], extant), malesExtantMean: mean(c.malesExtant[t], extant),
                quasi: c.thresholds.enumerated().map { k, x in
                    (threshold: x, now: Proportion(c.below[k * (model.years + 1) + t], of: r),
                     interval: Proportion(c.everBelow[k * (model.years + 1) + t], of: r))
                })
        }
        let classCount = model.classCount
        classes = (0...model.years).flatMap { t in
            Sex.allCases.flatMap { sex in
                (0..<classCount).map { k in
                    let i = (t * 2 + Int(sex.rawValue)) * classCount + k
                    return ClassYearStatistics(t: t, sex: sex, ageClass: k, all: Descriptive(c.classAll[i]), extant: Descriptive(c.classExtant[i]))
                }
            }
        }
        regions = (0...model.years).flatMap { t in
            (0..<c.regionCount).map { g in
                RegionYearStatistics(
                    t: t, region: g, n: Descriptive(c.region(g, .n, t: t)),
                    territorialAdults: Descriptive(c.region(g, .territorialAdults, t: t)),
                    subadultHolders: Descriptive(c.region(g, .subadultHolders, t: t)),
                    floaters: Descriptive(c.region(g, .floaters, t: t)),
                    extinct: Proportion(c.regionEmpty[t * c.regionCount + g], of: r),
                    persisting: Proportion(c.regionPersisting[t * c.regionCount + g], of: r),
                    genetics: model.genetics == nil ? [] : GeneticMeasure.regional.map { c.genetic($0, t: t, region: g) },
                    deaths: DeathCause.allCases.map { Double(result.tallies.deaths($0, t: t, region: g)) / Double(max(1, r)) })
            }
        }
        growth = StochasticGrowth(c.growth)
        realised = RealisedRates(result.tallies, classCount: classCount)
        medianTimeToExtinction = years.first { ($0.extinct.estimate ?? 0) >= 0.5 }?.t
        meanTimeToExtinction = c.extinctions > 0 ? Double(c.extinctionYearSum) / Double(c.extinctions) : nil
        secondPopulations = SecondPopulation.all(result)
    }

    public var final: YearStatistics { years[years.count - 1] }

    /// Region `g` in year t.
    public func region(_ g: Int, t: Int) -> RegionYearStatistics { regions[t * (regions.count / years.count) + g] }
}

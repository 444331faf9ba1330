import Dispatch
import Foundation
import Synchronization

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
    public var femalesAll: Descriptive
    public var malesAll: Descriptive
    public var femalesExtant: Descriptive
    public var malesExtant: Descriptive
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

/// Stochastic growth rate: mean of r = ln(N_r(t)/N(t−1)) over extant
/// replicate-years (before truncation), its SD over those years, and its SE
/// with replicates as clusters (years within a replicate are not independent):
/// SE² = R/(R−1) · Σ_i (S_i − n_i r̄)² / (Σ n_i)².
public struct StochasticGrowth: Sendable {
    public var mean: Double?
    public var sd: Double?
    public var se: Double?
    public var count: Int

    init(_ records: [ReplicateRecord]) {
        var sum = 0.0, squares = 0.0
        var n = 0
        for r in records {
            sum += r.rSum
            squares += r.rSumOfSquares
            n += r.rCount
        }
        count = n
        guard n > 0 else { mean = nil; sd = nil; se = nil; return }
        let m = sum / Double(n)
        mean = m
        sd = n > 1 ? (max(0, squares - Double(n) * m * m) / Double(n - 1)).squareRoot() : nil
        let clusters = records.filter { $0.rCount > 0 }
        if clusters.count > 1 {
            var deviations = 0.0
            for r in clusters {
                let d = r.rSum - Double(r.rCount) * m
                deviations += d * d
            }
            let k = Double(clusters.count)
            se = (k / (k - 1) * deviations).squareRoot() / Double(n)
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

/// Everything the reports print, computed from a run's records in replicate order.
public struct RunSummary: Sendable {
    public var years: [YearStatistics]
    public var classes: [ClassYearStatistics]
    public var growth: StochasticGrowth
    public var realised: RealisedRates
    /// First year with P(E) ≥ 0.5 (years since the start); nil when fewer than half went extinct.
    public var medianTimeToExtinction: Int?
    /// Mean years to first extinction among the replicates that went extinct.
    public var meanTimeToExtinction: Double?
    public var replicates: Int

    /// Computes every statistic; years are independent and are computed in
    /// parallel on `threads` workers into per-year slots (the values do not
    /// depend on the thread count: each year's sums run in replicate order).
    public init(_ result: RunResult, threads: Int = MonteCarlo.defaultThreads) {
        let model = result.model
        let records = result.records
        let classes = model.classCount
        let r = records.count
        let years = model.years
        replicates = r
        let thresholds = model.scenario.run.quasiExtinctionThresholds
        // N, females and males per replicate and year, and the first year below each threshold.
        var females = [Int32](repeating: 0, count: r * (years + 1)), males = females
        var firstBelow = [[Int]](repeating: [Int](repeating: Int.max, count: r), count: thresholds.count)
        for (i, record) in records.enumerated() {
            for t in 0...years {
                let base = t * 2 * classes
                var f: Int32 = 0, m: Int32 = 0
                for c in 0..<classes {
                    f += record.census[base + c]
                    m += record.census[base + classes + c]
                }
                females[i * (years + 1) + t] = f
                males[i * (years + 1) + t] = m
                for (k, x) in thresholds.enumerated() where Int(f + m) < x && firstBelow[k][i] == Int.max { firstBelow[k][i] = t }
            }
        }
        let yearSlots = Slots<(YearStatistics, [ClassYearStatistics])>(count: years + 1)
        let (femaleCounts, maleCounts, firstBelowYear) = (females, males, firstBelow)
        let startYear = model.startYear
        let next = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, years + 1))) { _ in
            while true {
                let t = next.withLock { v -> Int in defer { v += 1 }; return v }
                guard t <= years else { break }
                let base = t * 2 * classes
                var nAll: [Double] = [], nExtant: [Double] = []
                var fAll: [Double] = [], mAll: [Double] = [], fExtant: [Double] = [], mExtant: [Double] = []
                nAll.reserveCapacity(r)
                var extinct = 0, first = 0
                var extant = [Bool](repeating: true, count: r)
                for (i, record) in records.enumerated() {
                    let f = Double(femaleCounts[i * (years + 1) + t]), m = Double(maleCounts[i * (years + 1) + t])
                    nAll.append(f + m); fAll.append(f); mAll.append(m)
                    if let e = record.extinctionYear, e <= t {
                        extinct += 1
                        extant[i] = false
                        if e == t { first += 1 }
                    } else {
                        nExtant.append(f + m); fExtant.append(f); mExtant.append(m)
                    }
                }
                let quasi = thresholds.enumerated().map { k, x in
                    (threshold: x,
                     now: Proportion(nAll.reduce(0) { $0 + ($1 < Double(x) ? 1 : 0) }, of: r),
                     interval: Proportion(firstBelowYear[k].reduce(0) { $0 + ($1 <= t ? 1 : 0) }, of: r))
                }
                let stats = YearStatistics(
                    t: t, year: startYear + t,
                    extinct: Proportion(extinct, of: r), firstExtinction: Proportion(first, of: r),
                    nAll: Descriptive(nAll), nExtant: Descriptive(nExtant),
                    femalesAll: Descriptive(fAll), malesAll: Descriptive(mAll),
                    femalesExtant: Descriptive(fExtant), malesExtant: Descriptive(mExtant),
                    quasi: quasi)
                var classStats: [ClassYearStatistics] = []
                for sex in Sex.allCases {
                    for c in 0..<classes {
                        var all: [Double] = [], alive: [Double] = []
                        all.reserveCapacity(r)
                        for (i, record) in records.enumerated() {
                            let v = Double(record.census[base + Int(sex.rawValue) * classes + c])
                            all.append(v)
                            if extant[i] { alive.append(v) }
                        }
                        classStats.append(ClassYearStatistics(t: t, sex: sex, ageClass: c, all: Descriptive(all), extant: Descriptive(alive)))
                    }
                }
                yearSlots.set(t, (stats, classStats))
            }
        }
        let perYear = yearSlots.values()
        self.years = perYear.map(\.0)
        self.classes = perYear.flatMap(\.1)
        growth = StochasticGrowth(records)
        realised = RealisedRates(result.tallies, classCount: classes)
        medianTimeToExtinction = self.years.first { ($0.extinct.estimate ?? 0) >= 0.5 }?.t
        let times = records.compactMap(\.extinctionYear)
        meanTimeToExtinction = times.isEmpty ? nil : Double(times.reduce(0, +)) / Double(times.count)
    }

    public var final: YearStatistics { years[years.count - 1] }
}

import Foundation

/// What a comparison needs from one finished run (read by `pva compare` from its results
/// folder): the outcome at the horizon, every replicate's final N, gene diversity, the
/// second-population answer and the yearly series the charts overlay.
public struct ComparedRun: Sendable {
    public var name: String
    public var year: Int
    public var extinct: Proportion
    public var meanN: Double
    public var meanNSE: Double
    /// Final N of every replicate.
    public var finalN: [Int]
    /// Mean gene diversity at the horizon (over replicates with animals) and at year 0.
    public var geneDiversity: Double?
    public var geneDiversityInitial: Double?
    public var secondPopulation: SecondPopulationAnswer?
    /// Gene diversity at the horizon as a share of year 0's.
    public var geneDiversityRetained: Double? { geneDiversity.flatMap { g in geneDiversityInitial.map { g / $0 } } }
    /// Per census year: calendar year, P(E), mean N, median N, gene diversity.
    public var series: [(year: Int, pe: Double?, meanN: Double?, medianN: Double?, geneDiversity: Double?)] = []

    public struct SecondPopulationAnswer: Sendable {
        public var region: String
        public var threshold: Int
        /// At the years the scenario asks about: t, P(at least the threshold then), P(reached by then).
        public var atYears: [(t: Int, atLeast: Proportion, reachedBy: Proportion)]
        public var medianYearReached: Int?

        public init(region: String, threshold: Int, atYears: [(t: Int, atLeast: Proportion, reachedBy: Proportion)], medianYearReached: Int?) {
            self.region = region
            self.threshold = threshold
            self.atYears = atYears
            self.medianYearReached = medianYearReached
        }
    }

    public init(name: String, year: Int, extinct: Proportion, meanN: Double, meanNSE: Double, finalN: [Int]) {
        self.name = name
        self.year = year
        self.extinct = extinct
        self.meanN = meanN
        self.meanNSE = meanNSE
        self.finalN = finalN.sorted()
    }
}

/// Several runs compared with a baseline (`pva compare`): ranked by P(E) at the horizon (then
/// by mean final N, higher first), each with its differences from the baseline, their tests,
/// and, when the replicates run cannot tell it from the baseline, how many would.
public struct ScenarioComparison: Sendable {
    public let runs: [ComparedRun]
    public let baseline: Int
    /// Indices into `runs`, best (lowest P(E)) first.
    public let ranking: [Int]
    public let rows: [Row]

    public struct Row: Sendable {
        public var run: ComparedRun
        public var isBaseline: Bool
        public var medianN: Double?
        public var medianInterval: (low: Int, high: Int)?
        public var meanInterval: (low: Double, high: Double)
        /// Against the baseline (nil for the baseline itself).
        public var pe: Comparison.Difference?
        public var n: Comparison.Difference?
        public var mannWhitneyP: Double?
        /// Replicates per scenario that would separate the two P(E)s as observed (80 % power, 5 % level).
        public var replicatesToSeparate: Double?
        /// Plain words on whether this run differs from the baseline.
        public var verdict: String
    }

    public init(runs: [ComparedRun], baseline: Int = 0) {
        self.runs = runs
        self.baseline = baseline
        ranking = runs.indices.sorted {
            let a = runs[$0], b = runs[$1]
            return (a.extinct.estimate ?? 0, -a.meanN, a.name) < (b.extinct.estimate ?? 0, -b.meanN, b.name)
        }
        let base = runs[baseline]
        rows = ranking.map { k in
            let run = runs[k]
            let sorted = run.finalN
            let median: Double? = sorted.isEmpty ? nil
                : (Double(sorted[(sorted.count - 1) / 2]) + Double(sorted[sorted.count / 2])) / 2
            var row = Row(run: run, isBaseline: k == baseline, medianN: median, medianInterval: Comparison.medianInterval(sorted),
                          meanInterval: (run.meanN - Comparison.z95 * run.meanNSE, run.meanN + Comparison.z95 * run.meanNSE),
                          verdict: "baseline")
            guard k != baseline else { return row }
            row.pe = Comparison.proportions(run.extinct, base.extinct)
            row.n = Comparison.means(run.meanN, run.meanNSE, base.meanN, base.meanNSE)
            row.mannWhitneyP = Comparison.mannWhitney(run.finalN, base.finalN).p
            row.replicatesToSeparate = Comparison.replicatesForPower(run.extinct.estimate ?? 0, base.extinct.estimate ?? 0)
            row.verdict = Self.verdict(row, replicates: min(run.extinct.trials, base.extinct.trials))
            return row
        }
    }

    /// Whether P(E) and final N differ from the baseline at the 5 % level, in words; when P(E)
    /// does not, how many replicates would separate the P(E)s seen.
    static func verdict(_ row: Row, replicates: Int) -> String {
        let peDiffers = (row.pe?.p ?? 1) < 0.05, nDiffers = (row.mannWhitneyP ?? 1) < 0.05
        var words: [String] = []
        if peDiffers {
            words.append("P(E) " + ((row.pe?.estimate ?? 0) < 0 ? "lower" : "higher"))
        } else if let n = row.replicatesToSeparate {
            words.append("P(E) cannot be told apart with \(replicates) replicates (about \(NumberFormatting.fixed(n.rounded(.up), decimals: 0)) each would separate the difference seen, 80 % power)")
        } else {
            words.append("P(E) the same")
        }
        if nDiffers {
            words.append("final N " + ((row.n?.estimate ?? 0) > 0 ? "higher" : "lower"))
        } else {
            words.append("final N cannot be told apart")
        }
        return words.joined(separator: "; ")
    }
}

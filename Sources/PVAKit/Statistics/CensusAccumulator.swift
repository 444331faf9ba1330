/// What the statistics need from every replicate's census, accumulated as the
/// replicates run: counts of extinct replicates, histograms of N and of each
/// class and region count, exact sums for the growth rate. Each worker fills
/// its own; `add` merges them exactly (integers, and `ExactSum`), so results
/// do not depend on thread count, replicate order or shard split, and memory
/// does not grow with the number of replicates.
public struct CensusAccumulator: Sendable, Codable {
    public let years: Int
    public let classCount: Int
    public let thresholds: [Int]
    public let regionCount: Int

    /// Per t = 0…years: replicates extinct by t, and those first extinct at t.
    public private(set) var extinct: [Int]
    public private(set) var firstExtinct: [Int]
    /// Per t: N over all replicates and over those not extinct by t.
    public private(set) var nAll: [CountHistogram]
    public private(set) var nExtant: [CountHistogram]
    /// Per t: Σ females and Σ males, over all and over extant replicates.
    public private(set) var femalesAll: [Int]
    public private(set) var malesAll: [Int]
    public private(set) var femalesExtant: [Int]
    public private(set) var malesExtant: [Int]
    /// Per threshold k and t, index k · (years + 1) + t: replicates with N < x at t, and with
    /// N < x at some census up to t.
    public private(set) var below: [Int]
    public private(set) var everBelow: [Int]
    /// Per t, sex and class, index (t · 2 + sex) · classCount + class: all and extant replicates.
    public private(set) var classAll: [CountHistogram]
    public private(set) var classExtant: [CountHistogram]
    /// Per t, region and kind (`RegionCount`), index (t · regions + region) · kinds + kind.
    public private(set) var region: [CountHistogram]
    /// Per t and region, index t · regions + region: replicates with nobody in the region at t,
    /// and with somebody there at every census up to t.
    public private(set) var regionEmpty: [Int]
    public private(set) var regionPersisting: [Int]
    /// Σ over replicates of their r sums (see `StochasticGrowth`).
    public private(set) var growth = GrowthSums()
    /// Σ of first-extinction years and the number of replicates that went extinct.
    public private(set) var extinctionYearSum = 0
    public private(set) var extinctions = 0
    /// Σ over replicates and t < years of N at the census of t: the animals alive at the start
    /// of each simulated year (BENCHMARK.md's individual-years).
    public private(set) var individualYears = 0
    public private(set) var replicates = 0
    /// Σ over replicates of animals released from captivity (and supplementation), taken from
    /// the wild by translocations, and wanted by them but not found.
    public private(set) var supplemented = 0
    public private(set) var translocated = 0
    public private(set) var releaseShortfall = 0

    /// Kinds of regional counts.
    public enum RegionCount: Int, CaseIterable, Sendable {
        /// Every animal whose cell lies in the region.
        case n = 0
        /// Territory holders at or past their first breeding age.
        case territorialAdults = 1
        /// Independent animals without a territory.
        case floaters = 2
        /// Territory holders not yet at their first breeding age (within a year of it).
        case subadultHolders = 3
        /// Young in their mother's care (and newborns): "cubs" in a camera-trap count.
        case young = 4
        /// Every other animal: N − young.
        case independent = 5

        static let kinds = allCases.count
    }

    public struct GrowthSums: Sendable, Equatable, Codable {
        /// Σ r and Σ r² over extant replicate-years, and their number.
        public var sum = ExactSum(), squares = ExactSum()
        public var count = 0
        /// Over replicates with at least one r (clusters): Σ S_i², Σ S_i n_i, Σ n_i², and how many.
        public var clusterSquares = ExactSum(), clusterCross = ExactSum()
        public var clusterCountSquares = 0
        public var clusters = 0

        mutating func add(_ o: GrowthSums) {
            sum.add(o.sum); squares.add(o.squares); count += o.count
            clusterSquares.add(o.clusterSquares); clusterCross.add(o.clusterCross)
            clusterCountSquares += o.clusterCountSquares
            clusters += o.clusters
        }
    }

    /// Genetic measures (`GeneticMeasure`) of replicates with animals alive, per t: how many,
    /// and exact sums of the values and their squares at [t · measures + k] (empty without genetics).
    public private(set) var geneticReplicates: [Int]
    public private(set) var geneticSums: [ExactSum]
    public private(set) var geneticSquares: [ExactSum]
    /// The same per region for `GeneticMeasure.regional`: [t · regions + region] and
    /// [(t · regions + region) · regional + k].
    public private(set) var regionalGeneticReplicates: [Int]
    public private(set) var regionalGeneticSums: [ExactSum]
    public private(set) var regionalGeneticSquares: [ExactSum]

    /// Habitat in female territories per t, over all replicates: exact sums of Σ habitat
    /// value (km²) and of the mean prey index over their cells, and their squares, at
    /// [t · 2 + k] (empty without a landscape).
    public private(set) var habitatSums: [ExactSum]
    public private(set) var habitatSquares: [ExactSum]
    /// Per intervention: exact sums over replicates of each `InterventionMeasure` and its square.
    public private(set) var interventionSums: [ExactSum]
    public private(set) var interventionSquares: [ExactSum]
    /// The second-population question, per target region k and t at [k · (years + 1) + t]:
    /// replicates with at least `targetThreshold` animals counted there at t, and replicates
    /// that first had so many at t; the count's histogram; Σ animals counted and Σ of those
    /// born there.
    public let targetThreshold: Int
    public private(set) var targetAtLeast: [Int]
    public private(set) var targetFirstReached: [Int]
    public private(set) var targetN: [CountHistogram]
    public private(set) var targetCounted: [Int]
    public private(set) var targetBornThere: [Int]

    public init(years: Int, classCount: Int, thresholds: [Int], regions: Int, genetics: Bool = false,
                landscape: Bool = false, interventions: Int = 0, targets: Int = 0, targetThreshold: Int = 30) {
        self.targetThreshold = targetThreshold
        targetAtLeast = [Int](repeating: 0, count: targets * (years + 1))
        targetFirstReached = targetAtLeast
        targetCounted = targetAtLeast
        targetBornThere = targetAtLeast
        targetN = [CountHistogram](repeating: CountHistogram(), count: targets * (years + 1))
        habitatSums = [ExactSum](repeating: ExactSum(), count: landscape ? (years + 1) * 2 : 0)
        habitatSquares = habitatSums
        interventionSums = [ExactSum](repeating: ExactSum(), count: interventions * InterventionMeasure.allCases.count)
        interventionSquares = interventionSums
        geneticReplicates = genetics ? [Int](repeating: 0, count: years + 1) : []
        geneticSums = [ExactSum](repeating: ExactSum(), count: genetics ? (years + 1) * GeneticMeasure.allCases.count : 0)
        geneticSquares = geneticSums
        regionalGeneticReplicates = genetics ? [Int](repeating: 0, count: (years + 1) * regions) : []
        regionalGeneticSums = [ExactSum](repeating: ExactSum(), count: genetics ? (years + 1) * regions * GeneticMeasure.regional.count : 0)
        regionalGeneticSquares = regionalGeneticSums
        self.years = years
        self.classCount = classCount
        self.thresholds = thresholds
        regionCount = regions
        let t = years + 1
        extinct = [Int](repeating: 0, count: t)
        firstExtinct = extinct
        nAll = [CountHistogram](repeating: CountHistogram(), count: t)
        nExtant = nAll
        femalesAll = extinct
        malesAll = extinct
        femalesExtant = extinct
        malesExtant = extinct
        below = [Int](repeating: 0, count: thresholds.count * t)
        everBelow = below
        classAll = [CountHistogram](repeating: CountHistogram(), count: t * 2 * classCount)
        classExtant = classAll
        region = [CountHistogram](repeating: CountHistogram(), count: t * regions * RegionCount.kinds)
        regionEmpty = [Int](repeating: 0, count: t * regions)
        regionPersisting = regionEmpty
    }

    /// An empty accumulator for a run of `model`.
    init(model: EngineModel) {
        self.init(years: model.years, classCount: model.classCount, thresholds: model.quasiExtinctionThresholds,
                  regions: model.regionCount, genetics: model.genetics != nil, landscape: model.spatial != nil,
                  interventions: model.interventions.count, targets: model.targetRegions.count, targetThreshold: model.targets.threshold)
    }

    /// One census of one replicate: its count by sex and class ([sex · classCount + class]),
    /// whether it is extinct by now and became so at this census, and per threshold whether
    /// N has been below it at any census so far.
    mutating func addCensus(t: Int, classes: UnsafeBufferPointer<Int32>, extinctNow: Bool, firstExtinction: Bool,
                            everBelowSoFar: [Bool]) {
        var f = 0, m = 0
        for c in 0..<classCount {
            f += Int(classes[c])
            m += Int(classes[classCount + c])
        }
        let n = f + m
        if t < years { individualYears += n }
        nAll[t].add(n)
        femalesAll[t] += f
        malesAll[t] += m
        if extinctNow {
            extinct[t] += 1
            if firstExtinction { firstExtinct[t] += 1 }
        } else {
            nExtant[t].add(n)
            femalesExtant[t] += f
            malesExtant[t] += m
        }
        for (k, x) in thresholds.enumerated() {
            if n < x { below[k * (years + 1) + t] += 1 }
            if everBelowSoFar[k] { everBelow[k * (years + 1) + t] += 1 }
        }
        for i in 0..<(2 * classCount) {
            let v = Int(classes[i])
            classAll[t * 2 * classCount + i].add(v)
            if !extinctNow { classExtant[t * 2 * classCount + i].add(v) }
        }
    }

    /// One census of one replicate's regions: counts [region · 3 + kind] and, per region,
    /// whether somebody has been there at every census so far.
    mutating func addRegions(t: Int, counts: [Int], persisting: [Bool]) {
        for r in 0..<regionCount {
            for k in 0..<RegionCount.kinds { region[(t * regionCount + r) * RegionCount.kinds + k].add(counts[r * RegionCount.kinds + k]) }
            if counts[r * RegionCount.kinds] == 0 { regionEmpty[t * regionCount + r] += 1 }
            if persisting[r] { regionPersisting[t * regionCount + r] += 1 }
        }
    }

    /// One census of one replicate's genetic measures (`GeneticMeasure` order).
    mutating func addGenetics(t: Int, measures: [Double]) {
        geneticReplicates[t] += 1
        for (k, v) in measures.enumerated() {
            geneticSums[t * measures.count + k].add(v)
            geneticSquares[t * measures.count + k].add(v * v)
        }
    }

    /// One census of one replicate's non-empty region `region` (`GeneticMeasure.regional` order).
    mutating func addRegionalGenetics(t: Int, region: Int, measures: [Double]) {
        let cell = t * regionCount + region
        regionalGeneticReplicates[cell] += 1
        for (k, v) in measures.enumerated() {
            regionalGeneticSums[cell * measures.count + k].add(v)
            regionalGeneticSquares[cell * measures.count + k].add(v * v)
        }
    }

    /// One census of one replicate's habitat in female territories.
    mutating func addHabitat(t: Int, km2: Double, prey: Double) {
        habitatSums[t * 2].add(km2)
        habitatSquares[t * 2].add(km2 * km2)
        habitatSums[t * 2 + 1].add(prey)
        habitatSquares[t * 2 + 1].add(prey * prey)
    }

    /// One replicate's intervention measures ([k · measures + measure]).
    mutating func addInterventions(_ values: [Double]) {
        for (i, v) in values.enumerated() {
            interventionSums[i].add(v)
            interventionSquares[i].add(v * v)
        }
    }

    /// Mean and SD over all replicates of the habitat in territories at t: `prey` false for
    /// km² of habitat, true for the mean prey index (nil without a landscape).
    public func habitat(t: Int, prey: Bool) -> (mean: Double?, sd: Double?) {
        guard !habitatSums.isEmpty else { return (nil, nil) }
        return Self.meanSD(habitatSums[t * 2 + (prey ? 1 : 0)], habitatSquares[t * 2 + (prey ? 1 : 0)], count: replicates)
    }

    /// Mean and SD over replicates of intervention `k`'s measure `m`.
    public func intervention(_ k: Int, _ m: InterventionMeasure) -> (mean: Double?, sd: Double?) {
        let i = k * InterventionMeasure.allCases.count + m.rawValue
        return Self.meanSD(interventionSums[i], interventionSquares[i], count: replicates)
    }

    /// Mean and SD of `count` values from their exact sum and sum of squares.
    static func meanSD(_ sum: ExactSum, _ squares: ExactSum, count: Int) -> (mean: Double?, sd: Double?) {
        guard count > 0 else { return (nil, nil) }
        let n = Double(count)
        let mean = sum.value / n
        let sd = n > 1 ? (max(0, squares.value - n * mean * mean) / (n - 1)).squareRoot() : nil
        return (mean, sd)
    }

    /// Mean and SD over replicates of genetic measure `k` at t (nil without data), over the
    /// whole population or, given `region`, over the replicates with animals in it.
    public func genetic(_ k: GeneticMeasure, t: Int, region: Int? = nil) -> (mean: Double?, sd: Double?) {
        let count: Int, i: Int, sums: [ExactSum], squares: [ExactSum]
        if let region {
            guard let j = GeneticMeasure.regional.firstIndex(of: k), !regionalGeneticReplicates.isEmpty else { return (nil, nil) }
            count = regionalGeneticReplicates[t * regionCount + region]
            i = (t * regionCount + region) * GeneticMeasure.regional.count + j
            (sums, squares) = (regionalGeneticSums, regionalGeneticSquares)
        } else {
            guard !geneticReplicates.isEmpty else { return (nil, nil) }
            count = geneticReplicates[t]
            i = t * GeneticMeasure.allCases.count + k.rawValue
            (sums, squares) = (geneticSums, geneticSquares)
        }
        return Self.meanSD(sums[i], squares[i], count: count)
    }

    /// The end of one replicate: its growth-rate sums and extinction year.
    mutating func addReplicate(_ record: ReplicateRecord) {
        replicates += 1
        supplemented += record.supplemented
        translocated += record.translocated
        releaseShortfall += record.releaseShortfall
        growth.sum.add(record.rSum)
        growth.squares.add(record.rSumOfSquares)
        growth.count += record.rCount
        if record.rCount > 0 {
            growth.clusterSquares.add(record.rSum * record.rSum)
            growth.clusterCross.add(record.rSum * Double(record.rCount))
            growth.clusterCountSquares += record.rCount * record.rCount
            growth.clusters += 1
        }
        if let e = record.extinctionYear {
            extinctionYearSum += e
            extinctions += 1
        }
        let stride = years + 1
        for k in 0..<(targetN.count / stride) {
            var reached = false
            for t in 0...years {
                let i = k * stride + t, n = Int(record.targetCounts[i])
                targetN[i].add(n)
                targetCounted[i] += n
                targetBornThere[i] += Int(record.targetBornThere[i])
                guard n >= targetThreshold else { continue }
                targetAtLeast[i] += 1
                if !reached { targetFirstReached[i] += 1 }
                reached = true
            }
        }
    }

    public mutating func add(_ o: CensusAccumulator) {
        for t in 0...years {
            extinct[t] += o.extinct[t]
            firstExtinct[t] += o.firstExtinct[t]
            nAll[t].add(o.nAll[t])
            nExtant[t].add(o.nExtant[t])
            femalesAll[t] += o.femalesAll[t]
            malesAll[t] += o.malesAll[t]
            femalesExtant[t] += o.femalesExtant[t]
            malesExtant[t] += o.malesExtant[t]
        }
        for i in below.indices { below[i] += o.below[i]; everBelow[i] += o.everBelow[i] }
        for i in classAll.indices { classAll[i].add(o.classAll[i]); classExtant[i].add(o.classExtant[i]) }
        for i in region.indices { region[i].add(o.region[i]) }
        for i in regionEmpty.indices { regionEmpty[i] += o.regionEmpty[i]; regionPersisting[i] += o.regionPersisting[i] }
        for i in geneticReplicates.indices { geneticReplicates[i] += o.geneticReplicates[i] }
        for i in geneticSums.indices { geneticSums[i].add(o.geneticSums[i]); geneticSquares[i].add(o.geneticSquares[i]) }
        for i in regionalGeneticReplicates.indices { regionalGeneticReplicates[i] += o.regionalGeneticReplicates[i] }
        for i in regionalGeneticSums.indices {
            regionalGeneticSums[i].add(o.regionalGeneticSums[i])
            regionalGeneticSquares[i].add(o.regionalGeneticSquares[i])
        }
        for i in habitatSums.indices { habitatSums[i].add(o.habitatSums[i]); habitatSquares[i].add(o.habitatSquares[i]) }
        for i in interventionSums.indices { interventionSums[i].add(o.interventionSums[i]); interventionSquares[i].add(o.interventionSquares[i]) }
        for i in targetN.indices {
            targetAtLeast[i] += o.targetAtLeast[i]
            targetFirstReached[i] += o.targetFirstReached[i]
            targetN[i].add(o.targetN[i])
            targetCounted[i] += o.targetCounted[i]
            targetBornThere[i] += o.targetBornThere[i]
        }
        growth.add(o.growth)
        extinctionYearSum += o.extinctionYearSum
        extinctions += o.extinctions
        individualYears += o.individualYears
        replicates += o.replicates
        supplemented += o.supplemented
        translocated += o.translocated
        releaseShortfall += o.releaseShortfall
    }

    /// Histogram of region `r`'s count `kind` at t.
    public func region(_ r: Int, _ kind: RegionCount, t: Int) -> CountHistogram {
        region[(t * regionCount + r) * RegionCount.kinds + kind.rawValue]
    }
}

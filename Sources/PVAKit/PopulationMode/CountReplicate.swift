import Foundation

/// A replicate simulated as class counts (`run.mode` "population" or
/// "vortex-population"): females and males by age, and each stage's draws
/// made on the counts, so a year costs the same whatever N is. The stages are
/// the individual mode's, in the same order (`Year.Stage`), with the same
/// environment (`Year.Environment.draw`), records and statistics.
///
/// Two ways to turn a rate into a count (`Counting`):
/// - **binomial** (`population`): survivors of a class ~ Binomial(n, s), breeders
///   ~ Binomial(n, p), litters multinomial over the litter-size distribution,
///   males ~ Binomial(young, sex ratio), removals hypergeometric: exactly the
///   distribution of independent individual fates, so this mode agrees with
///   `individual` in distribution wherever both apply;
/// - **Vortex's rounding** (`vortex-population`): a count is its expected value
///   x rounded at random, ⌊x⌋ + Bernoulli(x − ⌊x⌋) — survivors s·n, breeders
///   p·n per age, young (mean litter size)·breeders per age, males (sex ratio)·
///   young — and K truncation multiplies every class but the oldest by K/N, as
///   Vortex 10's population-based mode does.
///
/// Only what counts can hold: no landscape, no dependency rules, one first
/// breeding age per sex, a litter a year at most (`EngineModel.compile` says so).
final class CountReplicate: ReplicateRunner {
    let model: EngineModel
    let vortexRounding: Bool
    var rng = RandomStream(seed: 0)
    var record: ReplicateRecord
    var tallies: Tallies
    var census: CensusAccumulator
    var checksInvariants = false
    var year = 0
    var index = 0
    /// Animals by age 0…maxAge: [female ages…, male ages…], index sex · (maxAge + 1) + age.
    var counts: [Int]
    var survival: [Double]
    /// This year's K as drawn (infinity without one).
    var capacity = Double.infinity
    var functionValues: [Double]
    var previousN = 0
    var everBelow: [Bool]
    var classCounts: [Int32]
    /// The litter-size distribution for multinomial litters.
    let litterSizes: [(size: Int, probability: Double)]
    let meanLitter: Double
    let firstBreedingAge: [Int]

    init(model: EngineModel) {
        self.model = model
        vortexRounding = model.mode == .vortexPopulation
        record = ReplicateRecord(index: 0, years: 0)
        tallies = Tallies(years: model.years, classCount: model.classCount)
        census = CensusAccumulator(years: model.years, classCount: model.classCount,
                                   thresholds: model.quasiExtinctionThresholds, regions: 0)
        counts = [Int](repeating: 0, count: 2 * (model.maxAge + 1))
        survival = [Double](repeating: 0, count: 2 * (model.maxAge + 1))
        functionValues = model.variables.values()
        everBelow = [Bool](repeating: false, count: model.quasiExtinctionThresholds.count)
        classCounts = [Int32](repeating: 0, count: 2 * model.classCount)
        litterSizes = model.species.litterSize.realisedDistribution
        meanLitter = model.species.litterSize.nominalMean
        ages = model.maxAge + 1
        firstBreedingAge = [model.species.females.firstBreedingAge.ages[0], model.species.males.firstBreedingAge.ages[0]]
    }

    let ages: Int
    var n: Int { counts.reduce(0, +) }
    var calendarYear: Int { model.startYear + year }

    func run(_ index: Int) -> ReplicateRecord {
        self.index = index
        rng = RandomStream(masterSeed: model.seed, stream: UInt64(index))
        record = ReplicateRecord(index: index, years: model.years)
        for i in counts.indices { counts[i] = 0 }
        for k in everBelow.indices { everBelow[k] = false }
        year = 0
        placeFounders()
        censusYear()
        for t in 1...model.years {
            year = t
            previousN = n
            if previousN == 0 && t > model.lastReleaseT {
                for rest in t...model.years { year = rest; censusYear() }
                break
            }
            for stage in Year.Stage.allCases { run(stage) }
        }
        census.addReplicate(record)
        return record
    }

    func run(_ stage: Year.Stage) {
        switch stage {
        case .environment:
            breedingProbability = Year.Environment.draw(model, rng: &rng, n: n, t: year, values: &functionValues,
                                                        survival: &survival, capacity: &capacity)
        case .breed: breed()
        case .mortality: mortality()
        case .age: age()
        case .disperse: break
        case .harvest: harvest()
        case .release: release()
        case .growthRate: growthRate()
        case .truncate: truncate()
        case .census: censusYear()
        }
    }

    var breedingProbability = 0.0

    // MARK: counting

    /// `x` rounded at random with expectation x (Vortex's probRound).
    func rounded(_ x: Double) -> Int {
        let whole = max(0, x).rounded(.down)
        return Int(whole) + (rng.uniform() < max(0, x) - whole ? 1 : 0)
    }

    /// How many of `n` succeed with probability p: binomial, or Vortex's rounding of p·n.
    func count(_ n: Int, _ p: Double) -> Int {
        vortexRounding ? min(n, rounded(p * Double(n))) : rng.binomial(n, min(1, max(0, p)))
    }

    /// `k` removed at random from the animals of sexes `sexes` aged `ages`: a multivariate
    /// hypergeometric draw, class by class. Returns how many were removed.
    @discardableResult
    func removeRandom(_ k: Int, sexes: ClosedRange<Int>, ages range: ClosedRange<Int>, cause: DeathCause) -> Int {
        var remaining = 0
        for sex in sexes { for a in range { remaining += counts[sex * ages + a] } }
        var toRemove = min(k, remaining)
        let removed = toRemove
        for sex in sexes {
            for a in range where toRemove > 0 {
                let c = sex * ages + a
                let x = rng.hypergeometric(population: remaining, marked: counts[c], draws: toRemove)
                remaining -= counts[c]
                counts[c] -= x
                toRemove -= x
            }
        }
        tallies.deaths[year * DeathCause.count + Int(cause.rawValue)] += removed
        return removed
    }

    // MARK: stages

    func placeFounders() {
        for template in model.initial {
            for (unit, count) in template.units {
                counts[Int(unit.sex.rawValue) * ages + unit.age] += count
            }
            for group in template.individuals { counts[Int(group.sex.rawValue) * ages + group.age] += group.count }
        }
    }

    func breed() {
        let lastMale = model.lastBreedingAge[1], lastFemale = model.lastBreedingAge[0]
        let matureMales = (firstBreedingAge[1]...max(firstBreedingAge[1], lastMale)).reduce(0) { $0 + counts[ages + $1] }
        let share = model.maleBreedingPool
        let poolHasMale = matureMales > 0 && (share >= 1 || rng.uniform() < 1 - pow(1 - share, Double(matureMales)))
        let femaleAges = firstBreedingAge[0]...min(model.maxAge, max(firstBreedingAge[0], lastFemale))
        let breedingAge = femaleAges.reduce(0) { $0 + counts[$1] }
        tallies.breedingAgeFemales += breedingAge
        let reasons = year * NonBreedingReason.count
        guard poolHasMale || !model.requiresMale else {
            tallies.notBred[reasons + NonBreedingReason.noMale.rawValue] += breedingAge
            return
        }
        let p = breedingProbability
        var young = 0, males = 0, litters = 0
        for a in femaleAges {
            let females = counts[a]
            guard females > 0 else { continue }
            let breeders = count(females, p)
            guard breeders > 0 else { continue }
            if vortexRounding {
                let progeny = rounded(meanLitter * Double(breeders))
                let m = min(progeny, rounded(model.maleShareAtBirth * Double(progeny)))
                young += progeny
                males += m
                litters += breeders
            } else {
                // Multinomial over litter sizes, as conditional binomials.
                var left = breeders, mass = 1.0
                for (size, probability) in litterSizes where left > 0 {
                    let k = mass <= probability ? left : rng.binomial(left, min(1, probability / mass))
                    left -= k
                    mass -= probability
                    if size > 0 {
                        litters += k
                        young += k * size
                        tallies.litterSizes[min(size, Tallies.largestLitterTallied)] += k
                    }
                }
            }
        }
        if !vortexRounding { males = rng.binomial(young, model.maleShareAtBirth) }
        counts[0] += young - males
        counts[ages] += males
        tallies.eligibleFemales += breedingAge
        tallies.notBred[reasons + NonBreedingReason.chance.rawValue] += breedingAge - litters
        tallies.litters += litters
        tallies.littersByYear[year] += litters
        tallies.offspring += young
        tallies.maleOffspring += males
    }

    func mortality() {
        let h = model.poachingHazard[year], poachingAge = model.poachingMinimumAge
        for sex in 0..<2 {
            for a in 0...model.maxAge {
                let i = sex * ages + a
                let n = counts[i]
                guard n > 0 else { continue }
                let s = survival[i]
                let threat = a >= poachingAge ? h : 0
                let alive = threat > 0 ? s * exp(-threat) : s
                // Vortex leaves a class whose mortality is below 0.0001 untouched.
                let survivors = vortexRounding && alive > 0.9999 ? n : count(n, alive)
                let deaths = n - survivors
                if a < model.maxAge {
                    let slot = model.classOfAge[a] * 2 + sex
                    tallies.atRisk[slot] += n
                    tallies.survived[slot] += survivors
                }
                var poached = 0
                if threat > 0 && deaths > 0 && s > 0 {
                    // The cause of each death in proportion to the hazards.
                    let share = threat / (threat - log(s))
                    poached = vortexRounding ? min(deaths, rounded(share * Double(deaths))) : rng.binomial(deaths, share)
                }
                tallies.deaths[year * DeathCause.count + Int(DeathCause.natural.rawValue)] += deaths - poached
                tallies.deaths[year * DeathCause.count + Int(DeathCause.poaching.rawValue)] += poached
                counts[i] = survivors
            }
        }
    }

    func age() {
        for sex in 0..<2 {
            let base = sex * ages
            // The oldest had survival 0 in Mortality: nobody is left to drop off.
            for a in stride(from: model.maxAge, to: 0, by: -1) { counts[base + a] = counts[base + a - 1] }
            counts[base] = 0
        }
    }

    func harvest() {
        for h in model.harvests where h.schedule.isActive(inYear: calendarYear) {
            for c in h.classes {
                let sex = Int(c.sex.rawValue)
                var amount = c.amount
                functionValues[FunctionVariables.Letter.s.rawValue] = Double(c.sex.rawValue)
                switch c.amount {
                case .countFunction(let f): amount = .count(rounded(functionValues.withUnsafeBufferPointer { f.evaluate($0) }))
                case .proportionFunction(let f): amount = .proportion(min(1, max(0, functionValues.withUnsafeBufferPointer { f.evaluate($0) })))
                default: break
                }
                switch amount {
                case .count(let wanted):
                    let removed = removeRandom(wanted, sexes: sex...sex, ages: c.minimumAge...c.maximumAge, cause: .harvest)
                    record.harvested += removed
                    record.harvestShortfall += wanted - removed
                case .proportion(let p):
                    for a in c.minimumAge...c.maximumAge {
                        let i = sex * ages + a
                        let k = count(counts[i], p)
                        counts[i] -= k
                        record.harvested += k
                        tallies.deaths[year * DeathCause.count + Int(DeathCause.harvest.rawValue)] += k
                    }
                case .countFunction, .proportionFunction: break
                }
            }
        }
    }

    func release() {
        for release in model.releases where release.schedule.isActive(inYear: calendarYear) {
            for line in release.lines {  // supplementation only: `releases` needs individuals
                let k = line.countFunction.map { f in rounded(functionValues.withUnsafeBufferPointer { f.evaluate($0) }) } ?? line.count
                counts[Int(line.sex.rawValue) * ages + line.minimumAge] += k
                record.supplemented += k
            }
        }
    }

    func growthRate() {
        var females = 0, males = 0
        for a in 0...model.maxAge {
            females += counts[a]
            males += counts[ages + a]
        }
        record.addGrowth(previousN: previousN, females: females, males: males, model: model)
    }

    func truncate() {
        let now = n
        guard Double(now) > capacity else { return }
        if vortexRounding {
            // Every class but the oldest becomes K/N of itself, rounded at random.
            let keep = capacity / Double(now)
            var removed = 0
            for sex in 0..<2 {
                for a in 0..<model.maxAge {
                    let i = sex * ages + a
                    let k = rounded(keep * Double(counts[i]))
                    removed += counts[i] - k
                    counts[i] = k
                }
            }
            tallies.deaths[year * DeathCause.count + Int(DeathCause.truncation.rawValue)] += removed
        } else {
            removeRandom(now - Int(capacity.rounded()), sexes: 0...1, ages: 0...model.maxAge, cause: .truncation)
        }
    }

    func censusYear() {
        for i in classCounts.indices { classCounts[i] = 0 }
        var females = 0, males = 0
        for a in 0...model.maxAge {
            classCounts[model.classOfAge[a]] += Int32(counts[a])
            classCounts[model.classCount + model.classOfAge[a]] += Int32(counts[ages + a])
            females += counts[a]
            males += counts[ages + a]
        }
        record.females[year] = Int32(truncatingIfNeeded: females)
        record.males[year] = Int32(truncatingIfNeeded: males)
        var first = false
        if record.extinctionYear == nil && model.isExtinct(females: females, males: males) {
            record.extinctionYear = year
            first = true
        }
        for (k, x) in model.quasiExtinctionThresholds.enumerated() where females + males < x { everBelow[k] = true }
        classCounts.withUnsafeBufferPointer { c in
            census.addCensus(t: year, classes: c, extinctNow: record.extinctionYear != nil, firstExtinction: first, everBelowSoFar: everBelow)
        }
    }
}

import Foundation

/// Runs replicates one after another on one worker thread. Owns its animal
/// table and scratch buffers (reused, so a replicate allocates only its
/// record) and accumulates integer tallies for the worker.
///
/// The year is the fixed sequence of stages in `simulateYear`; a scenario
/// sets parameters but never reorders them (MODEL.md §3, Vortex's order).
final class ReplicateEngine {
    let model: EngineModel
    let table = AnimalTable()
    var tallies: Tallies
    var rng = RandomStream(seed: 0)
    var record: ReplicateRecord
    /// Simulation year being run (1…years; 0 is the initial census).
    var year = 0
    var currentReplicate = 0

    // This year's conditions, set by the Environment stage.
    /// Survival by [sex · (maxAge + 1) + age].
    var survival: [Double]
    var breedingProbability = 0.0
    var capacity = Int.max

    // Scratch, reused every year (no allocation in the year loop).
    var scratch: [Int32] = []
    /// Own survival draws this year: at risk in [0, 2·classes), survived in [2·classes, 4·classes).
    var survivalCounts: [Int] = []
    var regionCounts: [Int] = []
    var previousN = 0
    /// Males of breeding age at the last census (they are the candidates for this year's pool).
    var matureMales = 0
    /// Rows of the females of breeding age at the last census: the first
    /// `breedingFemaleCount` entries.
    var breedingFemales: [Int32] = []
    var breedingFemaleCount = 0

    // Spatial state (spatial scenarios only).
    /// Row holding each female / male territory (−1 vacant).
    var femaleHolder: UnsafeMutablePointer<Int32>?
    var maleHolder: UnsafeMutablePointer<Int32>?
    /// Next placement candidate per region (initial placement fills territories best first).
    var femaleCursor: [Int] = []
    var maleCursor: [Int] = []
    /// Per-cell stamp (replicate + 1) for counting final occupancy once per cell.
    var occupancyStamp: [Int32] = []

    init(model: EngineModel) {
        self.model = model
        tallies = Tallies(years: model.years, classCount: model.classCount,
                          regions: model.regionCount, cells: model.spatial?.landscape.cellCount ?? 0)
        record = ReplicateRecord(years: 0, classCount: model.classCount)
        survival = [Double](repeating: 0, count: 2 * (model.maxAge + 1))
        survivalCounts = [Int](repeating: 0, count: 4 * model.classCount)
        regionCounts = [Int](repeating: 0, count: 3 * model.regionCount)
        if let sp = model.spatial {
            femaleHolder = .allocate(capacity: max(1, sp.layout.female.count))
            maleHolder = .allocate(capacity: max(1, sp.layout.male.count))
            table.spatial = true
            table.femaleHolder = femaleHolder
            table.maleHolder = maleHolder
            occupancyStamp = [Int32](repeating: 0, count: sp.landscape.cellCount)
        }
    }

    deinit {
        femaleHolder?.deallocate()
        maleHolder?.deallocate()
    }

    /// One replicate from its own stream (master seed, replicate index).
    func run(replicate: Int) -> ReplicateRecord {
        rng = RandomStream(masterSeed: model.scenario.run.seed, stream: UInt64(replicate))
        record = ReplicateRecord(years: model.years, classCount: model.classCount)
        table.reset()
        year = 0
        currentReplicate = replicate
        resetSpatialState()
        createInitialPopulation()
        census()
        for t in 1...model.years {
            year = t
            if table.count == 0 && !model.scenario.supplements.contains(where: { $0.schedule.endYear >= model.startYear + t }) {
                break  // nothing can happen any more: the remaining census stays 0
            }
            simulateYear()
        }
        return record
    }

    /// The canonical order of one year.
    func simulateYear() {
        previousN = table.count
        environment()
        breed()
        mortality()  // ends with stage 4, Age, in the same pass over the survivors
        disperse()
        harvest()
        supplement()
        recordGrowthRate()
        truncate()
        census()
        table.checkInvariants()
    }

    var calendarYear: Int { model.startYear + year }

    // MARK: Stages

    /// Stage 1: this year's EV deviates (one for breeding, one shared by all
    /// survival classes, correlated), catastrophes and K.
    func environment() {
        let species = model.species
        var uSurvival = 0.5, uBreeding = 0.5
        if model.hasEV {
            let z1 = rng.normal()
            let rho = model.scenario.environment.correlation
            let z2 = rho * z1 + (1 - rho * rho).squareRoot() * rng.normal()
            uSurvival = SpecialFunctions.normalCDF(z1)
            uBreeding = SpecialFunctions.normalCDF(z2)
        }
        var breedingSeverity = 1.0, survivalSeverity = 1.0
        for c in model.scenario.catastrophes where rng.uniform() < c.probability {
            breedingSeverity *= c.breedingSeverity
            survivalSeverity *= c.survivalSeverity
        }
        if let k = model.scenario.carryingCapacity {
            let mean = k.mean(inYear: calendarYear)
            capacity = k.evSD > 0 ? Int(max(0, rng.normal(mean: mean, sd: k.evSD).rounded())) : Int(mean.rounded())
        } else {
            capacity = Int.max
        }
        var p: Double
        if let dd = species.breeding.densityDependence {
            let mean = dd.probability(n: table.count, k: Double(capacity))
            p = EnvironmentalRate.value(mean: mean, sd: species.breeding.evSD, distribution: model.scenario.environment.distribution, at: uBreeding)
        } else {
            p = model.breedingEV.value(at: uBreeding)
        }
        breedingProbability = min(1, max(0, p * breedingSeverity))
        // A good year (high u) has high survival for every class: mortality at the (1 − u) quantile.
        let stride = model.maxAge + 1
        for c in 0..<model.classCount {
            let from = species.mortality[c].fromAge
            let to = c + 1 < model.classCount ? species.mortality[c + 1].fromAge - 1 : model.maxAge
            for sex in 0..<2 {
                let s = min(1, max(0, (1 - model.mortalityEV[c][sex].value(at: 1 - uSurvival)) * survivalSeverity))
                for a in from...to { survival[sex * stride + a] = s }
            }
        }
        survival[model.maxAge] = 0
        survival[stride + model.maxAge] = 0
    }

    /// Stage 2: breeding-age females free to breed do so with this year's
    /// probability, if the breeding pool holds at least one male.
    func breed() {
        let species = model.species
        let t = table
        let lastLitter = t.lastLitter, dependents = t.dependents
        var rng = self.rng
        defer { self.rng = rng }
        // Males of breeding age were counted at the last census (nothing changes in between).
        // Each is in the pool with probability `share`; the pool is non-empty with 1 − (1 − share)^M.
        let share = species.maleBreedingPool
        let spatial = model.spatial
        if spatial == nil {
            let poolHasMale = matureMales > 0 && (share >= 1 || rng.uniform() < 1 - pow(1 - share, Double(matureMales)))
            guard poolHasMale || !species.breeding.requiresMale else { return }
        }
        let territoryColumn = t.territory
        let requiresMale = species.breeding.requiresMale
        let interval = Int32(species.breeding.minimumInterval)
        let now = Int32(year)
        let p = breedingProbability
        let dependency = model.dependency
        let litterSampler = model.litter
        var breedingAge = 0, eligible = 0, litters = 0, offspring = 0
        // Decide: who breeds and how many young (pairs of row, litter size in `scratch`).
        scratch.removeAll(keepingCapacity: true)
        var decisions: [Int32] = []
        swap(&decisions, &scratch)
        defer { swap(&decisions, &scratch) }
        let histogramSize = Tallies.largestLitterTallied + 1
        withUnsafeTemporaryAllocation(of: Int.self, capacity: histogramSize) { histogram in
            histogram.initialize(repeating: 0)
            // The census listed the breeding-age females (rows do not change before this stage).
            for i in 0..<breedingFemaleCount {
                let row = Int(breedingFemales[i])
                breedingAge += 1
                if now - lastLitter[row] < interval || (dependency && dependents[row] > 0) { continue }
                var pRow = p
                if let spatial {
                    // Only a territorial female with a mature male near breeds; sufficiency lowers P(breed).
                    let home = Int(territoryColumn[row])
                    guard home >= 0, !requiresMale || mateAvailable(for: home) else { continue }
                    pRow = p * spatial.layout.female[home].sufficiency
                }
                eligible += 1
                guard rng.uniform() < pRow else { continue }
                let litter = litterSampler.draw(&rng)
                guard litter > 0 else { continue }
                litters += 1
                offspring += litter
                histogram[min(litter, histogramSize - 1)] += 1
                lastLitter[row] = now
                decisions.append(Int32(truncatingIfNeeded: row))
                decisions.append(Int32(truncatingIfNeeded: litter))
            }
            for i in 0..<histogramSize { tallies.litterSizes[i] += histogram[i] }
        }
        // Apply: newborns join after everyone has drawn (mothers precede their young).
        let rows = t.appendRows(offspring)
        let newSex = t.sex, newAge = t.age, newMaturity = t.maturity, newMother = t.mother, newDependents = t.dependents
        let newCell = t.cell, newTerritory = t.territory
        let femaleMaturity = model.maturity[0], maleMaturity = model.maturity[1]
        let maleShare = species.sexRatioAtBirth
        var row = rows.lowerBound, males = 0
        for i in stride(from: 0, to: decisions.count, by: 2) {
            let mother = decisions[i]
            if spatial != nil && newTerritory[Int(mother)] < 0 { tallies.littersWithoutTerritory += 1 }
            for _ in 0..<Int(decisions[i + 1]) {
                let male = rng.uniform() < maleShare
                males += male ? 1 : 0
                newSex[row] = male ? Sex.male.rawValue : Sex.female.rawValue
                newAge[row] = 0
                newMaturity[row] = UInt8(male ? maleMaturity.draw(&rng) : femaleMaturity.draw(&rng))
                if dependency {
                    newMother[row] = mother
                    newDependents[Int(mother)] += 1
                }
                if spatial != nil { newCell[row] = newCell[Int(mother)] }
                row += 1
            }
        }
        tallies.breedingAgeFemales += breedingAge
        tallies.eligibleFemales += eligible
        tallies.litters += litters
        tallies.offspring += offspring
        tallies.maleOffspring += males
    }

    /// Stage 3: every animal survives its year or dies; past the maximum age
    /// it dies; dependent young of a mother that died die too.
    func mortality() {
        if model.hazards {
            mortalityWithHazards()
            return
        }
        let t = table
        let n = t.count
        let stride = model.maxAge + 1
        let maxAge = model.maxAge
        let ageColumn = t.age, sexColumn = t.sex, fate = t.fate
        var rng = self.rng
        var counts = takeSurvivalCounts()
        let survivedBase = 2 * model.classCount
        model.classOfAge.withUnsafeBufferPointer { classOf in
            survival.withUnsafeBufferPointer { s in
                counts.withUnsafeMutableBufferPointer { counts in
                    for row in 0..<n {
                        // Branch-free: survival at the maximum age is 0 (so the old
                        // die), but they are not "at risk" in the realised rates.
                        let a = Int(ageColumn[row])
                        let sex = Int(sexColumn[row])
                        let slot = (classOf[a] << 1) | sex
                        let lives = rng.uniform() < s[sex * stride + a]
                        counts[slot] += a < maxAge ? 1 : 0
                        counts[survivedBase + slot] += lives ? 1 : 0
                        fate[row] = lives ? 0 : DeathCause.natural.rawValue
                    }
                }
            }
        }
        finishMortality(rng: rng, counts: counts)
    }

    /// The engine's survival-count buffer, zeroed, taken out of `self` for the
    /// year's loop (so the loop touches no class property); `finishMortality` returns it.
    func takeSurvivalCounts() -> [Int] {
        var counts: [Int] = []
        swap(&counts, &survivalCounts)
        for i in counts.indices { counts[i] = 0 }
        return counts
    }

    /// The end of stage 3, whichever way the draws were made: keep the stream,
    /// add the survival tallies, kill the young of mothers that died, then
    /// stage 4, Age — everyone ages a year and young reaching independence leave
    /// their mother — done while the dead are compacted out.
    func finishMortality(rng: RandomStream, counts: [Int]) {
        self.rng = rng
        let classes2 = 2 * model.classCount
        for i in 0..<classes2 {
            tallies.atRisk[i] += counts[i]
            tallies.survived[i] += counts[classes2 + i]
        }
        survivalCounts = counts
        if model.dependency { table.markOrphans() }
        removeMarked(ageing: true)
    }

    /// Stage 6: scheduled removals by sex and age class.
    func harvest() {
        let t = table
        var any = false
        for h in model.scenario.harvests where h.schedule.isActive(inYear: calendarYear) {
            for c in h.classes {
                scratch.removeAll(keepingCapacity: true)
                for row in 0..<t.count where t.fate[row] == 0 && t.sex[row] == c.sex.rawValue
                    && Int(t.age[row]) >= c.minimumAge && Int(t.age[row]) <= c.maximumAge {
                    scratch.append(Int32(row))
                }
                switch c.amount {
                case .count(let wanted):
                    if scratch.count <= wanted {
                        record.harvestShortfall += wanted - scratch.count
                        for row in scratch { t.fate[Int(row)] = DeathCause.harvest.rawValue }
                        record.harvested += scratch.count
                    } else {
                        for i in 0..<wanted {
                            let j = i + rng.below(scratch.count - i)
                            scratch.swapAt(i, j)
                            t.fate[Int(scratch[i])] = DeathCause.harvest.rawValue
                        }
                        record.harvested += wanted
                    }
                case .proportion(let p):
                    for row in scratch where rng.uniform() < p {
                        t.fate[Int(row)] = DeathCause.harvest.rawValue
                        record.harvested += 1
                    }
                }
                any = true
            }
        }
        guard any else { return }
        if model.dependency { t.markOrphans() }
        removeMarked()
    }

    /// Stage 7: scheduled additions (released animals).
    func supplement() {
        for s in model.scenario.supplements where s.schedule.isActive(inYear: calendarYear) {
            restartPlacement()
            for group in s.animals {
                for _ in 0..<group.count {
                    let row = table.append(sex: group.sex, age: group.age, maturity: model.maturity[Int(group.sex.rawValue)].draw(&rng), origin: 1)
                    place(row, region: s.region)
                    record.supplemented += 1
                }
            }
        }
    }

    /// Stage 8: stochastic r = ln(N now / N at last census), before truncation,
    /// in years the population was extant.
    func recordGrowthRate() {
        let n = table.count
        guard record.extinctionYear == nil, previousN > 0, n > 0 else { return }
        let r = log(Double(n) / Double(previousN))
        record.rSum += r
        record.rSumOfSquares += r * r
        record.rCount += 1
    }

    /// Stage 9: while N > K, uniformly random animals are removed until N = K
    /// (their dependent young die with them).
    func truncate() {
        let t = table
        let n = t.count
        guard n > capacity else { return }
        let excess = n - capacity
        scratch.removeAll(keepingCapacity: true)
        for row in 0..<n { scratch.append(Int32(truncatingIfNeeded: row)) }
        var rng = self.rng
        let fate = t.fate
        scratch.withUnsafeMutableBufferPointer { rows in
            for i in 0..<excess {
                let j = i + rng.below(n - i)
                rows.swapAt(i, j)
                fate[Int(rows[i])] = DeathCause.truncation.rawValue
            }
        }
        self.rng = rng
        if model.dependency { t.markOrphans() }
        removeMarked()
    }

    /// Stage 10: record the year and check extinction.
    func census() {
        let t = table
        let classes = model.classCount
        let base = year * 2 * classes
        var females = 0, males = 0, mature = 0
        let sexColumn = t.sex, ageColumn = t.age, maturity = t.maturity
        let lastMale = UInt8(model.species.males.lastBreedingAge)
        let lastFemale = UInt8(model.species.females.lastBreedingAge)
        let n = t.count
        if breedingFemales.count < n { breedingFemales = [Int32](repeating: 0, count: max(n, 2 * breedingFemales.count)) }
        var listed = 0
        breedingFemales.withUnsafeMutableBufferPointer { rows in
            record.census.withUnsafeMutableBufferPointer { census in
                model.classOfAge.withUnsafeBufferPointer { classOf in
                    for row in 0..<n {
                        let sex = Int(sexColumn[row])
                        let a = ageColumn[row]
                        census[base + sex * classes + classOf[Int(a)]] += 1
                        females += 1 - sex
                        let adult = a >= maturity[row]
                        mature += (sex == 1) && adult && a <= lastMale ? 1 : 0
                        // Branch-free list of breeding-age females (slot `listed` is always
                        // writable: listed ≤ row < n).
                        rows[listed] = Int32(truncatingIfNeeded: row)
                        listed += (sex == 0) && adult && a <= lastFemale ? 1 : 0
                    }
                }
            }
        }
        breedingFemaleCount = listed
        if model.spatial != nil { censusRegions() }
        males = n - females
        matureMales = mature
        guard record.extinctionYear == nil else { return }
        let extinct: Bool
        switch model.scenario.run.extinction {
        case .oneSexRemains: extinct = females == 0 || males == 0
        case .belowThreshold(let x): extinct = females + males < x
        }
        if extinct { record.extinctionYear = year }
    }

    // MARK: Helpers

    /// Removes marked animals, tallying them by cause for this year (and with
    /// `ageing`, ages the survivors: see `AnimalTable.compact`).
    func removeMarked(ageing: Bool = false) {
        let base = year * DeathCause.count
        let independence = model.dependency ? model.species.independenceAge : Int(UInt8.max)
        tallies.deaths.withUnsafeMutableBufferPointer { deaths in
            table.compact(countingInto: deaths.baseAddress! + base, ageing: ageing, independenceAge: independence)
        }
    }

    func createInitialPopulation() {
        for template in model.initial {
            for (unit, count) in template.units {
                for _ in 0..<count {
                    let maturity = model.species.lifeHistory(unit.sex).firstBreedingAge.ages[unit.maturityIndex]
                    let row = table.append(sex: unit.sex, age: unit.age, maturity: maturity,
                                           lastLitter: unit.sex == .female ? Int32(1 - unit.sinceLitter) : AnimalTable.never)
                    place(row, region: template.region)
                    for _ in 0..<unit.cubFemales {
                        let cub = table.append(sex: .female, age: unit.cubAge, maturity: model.maturity[0].draw(&rng), mother: Int32(row))
                        table.cell[cub] = table.cell[row]
                    }
                    for _ in 0..<unit.cubMales {
                        let cub = table.append(sex: .male, age: unit.cubAge, maturity: model.maturity[1].draw(&rng), mother: Int32(row))
                        table.cell[cub] = table.cell[row]
                    }
                }
            }
            for group in template.individuals {
                for _ in 0..<group.count {
                    let row = table.append(sex: group.sex, age: group.age, maturity: model.maturity[Int(group.sex.rawValue)].draw(&rng))
                    place(row, region: template.region)
                }
            }
        }
    }
}

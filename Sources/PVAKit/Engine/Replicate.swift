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
    private(set) var tallies: Tallies
    var rng = RandomStream(seed: 0)
    var record: ReplicateRecord
    /// Simulation year being run (1…years; 0 is the initial census).
    var year = 0

    // This year's conditions, set by the Environment stage.
    /// Survival by [sex · (maxAge + 1) + age].
    var survival: [Double]
    var breedingProbability = 0.0
    var capacity = Int.max

    // Scratch.
    var birthMother: [Int32] = []
    var birthSex: [UInt8] = []
    var scratch: [Int32] = []
    var previousN = 0

    init(model: EngineModel) {
        self.model = model
        tallies = Tallies(years: model.years, classCount: model.classCount)
        record = ReplicateRecord(years: 0, classCount: model.classCount)
        survival = [Double](repeating: 0, count: 2 * (model.maxAge + 1))
    }

    /// One replicate from its own stream (master seed, replicate index).
    func run(replicate: Int) -> ReplicateRecord {
        rng = RandomStream(masterSeed: model.scenario.run.seed, stream: UInt64(replicate))
        record = ReplicateRecord(years: model.years, classCount: model.classCount)
        table.reset()
        year = 0
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
    private func simulateYear() {
        previousN = table.count
        environment()
        breed()
        mortality()
        age()
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
        let n = t.count
        var poolHasMale = false
        let lastMale = UInt8(species.males.lastBreedingAge)
        let share = species.maleBreedingPool
        for row in 0..<n where t.sex[row] == Sex.male.rawValue && t.age[row] >= t.maturity[row] && t.age[row] <= lastMale {
            if share >= 1 || rng.uniform() < share { poolHasMale = true }
            if share >= 1 { break }
        }
        guard poolHasMale || !species.breeding.requiresMale else { return }
        birthMother.removeAll(keepingCapacity: true)
        birthSex.removeAll(keepingCapacity: true)
        let lastFemale = UInt8(species.females.lastBreedingAge)
        let interval = Int32(species.breeding.minimumInterval)
        let now = Int32(year)
        let p = breedingProbability
        let maleShare = species.sexRatioAtBirth
        let dependency = model.dependency
        for row in 0..<n where t.sex[row] == Sex.female.rawValue {
            let a = t.age[row]
            guard a >= t.maturity[row] && a <= lastFemale else { continue }
            tallies.breedingAgeFemales += 1
            if now - t.lastLitter[row] < interval || (dependency && t.dependents[row] > 0) { continue }
            tallies.eligibleFemales += 1
            guard rng.uniform() < p else { continue }
            let litter = model.litter.draw(&rng)
            guard litter > 0 else { continue }
            tallies.litters += 1
            tallies.offspring += litter
            tallies.litterSizes[min(litter, Tallies.largestLitterTallied)] += 1
            t.lastLitter[row] = now
            for _ in 0..<litter {
                let male = rng.uniform() < maleShare
                if male { tallies.maleOffspring += 1 }
                birthMother.append(Int32(row))
                birthSex.append(male ? 1 : 0)
            }
        }
        // Apply: newborns join after everyone has drawn.
        t.reserve(n + birthMother.count)
        for i in birthMother.indices {
            let sex: Sex = birthSex[i] == 1 ? .male : .female
            t.append(sex: sex, age: 0, maturity: model.maturity[Int(birthSex[i])].draw(&rng),
                     mother: dependency ? birthMother[i] : -1)
        }
    }

    /// Stage 3: every animal survives its year or dies; past the maximum age
    /// it dies; dependent young of a mother that died die too.
    func mortality() {
        let t = table
        let n = t.count
        let stride = model.maxAge + 1
        let maxAge = model.maxAge
        var rng = self.rng
        var atRisk = [Int](repeating: 0, count: 2 * model.classCount)
        var survived = atRisk
        model.classOfAge.withUnsafeBufferPointer { classOf in
            survival.withUnsafeBufferPointer { s in
                atRisk.withUnsafeMutableBufferPointer { atRisk in
                    survived.withUnsafeMutableBufferPointer { survived in
                        for row in 0..<n {
                            let a = Int(t.age[row])
                            if a >= maxAge {
                                t.fate[row] = DeathCause.natural.rawValue
                                continue
                            }
                            let sex = Int(t.sex[row])
                            let slot = (classOf[a] << 1) | sex
                            atRisk[slot] += 1
                            if rng.uniform() < s[sex * stride + a] {
                                survived[slot] += 1
                            } else {
                                t.fate[row] = DeathCause.natural.rawValue
                            }
                        }
                    }
                }
            }
        }
        self.rng = rng
        for i in atRisk.indices {
            tallies.atRisk[i] += atRisk[i]
            tallies.survived[i] += survived[i]
        }
        if model.dependency { t.markOrphans() }
        removeMarked()
    }

    /// Stage 4: everyone ages a year; young reaching independence leave their mother.
    func age() {
        let t = table
        for row in 0..<t.count { t.age[row] &+= 1 }
        if model.dependency { t.releaseIndependent(independenceAge: model.species.independenceAge) }
    }

    /// Stage 5: dispersal and settlement (spatial scenarios only).
    func disperse() {}

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
            for group in s.animals {
                for _ in 0..<group.count {
                    table.append(sex: group.sex, age: group.age, maturity: model.maturity[Int(group.sex.rawValue)].draw(&rng), origin: 1)
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
        for row in 0..<n { scratch.append(Int32(row)) }
        for i in 0..<excess {
            let j = i + rng.below(n - i)
            scratch.swapAt(i, j)
            t.fate[Int(scratch[i])] = DeathCause.truncation.rawValue
        }
        if model.dependency { t.markOrphans() }
        removeMarked()
    }

    /// Stage 10: record the year and check extinction.
    func census() {
        let t = table
        let classes = model.classCount
        let base = year * 2 * classes
        var females = 0, males = 0
        record.census.withUnsafeMutableBufferPointer { census in
            model.classOfAge.withUnsafeBufferPointer { classOf in
                for row in 0..<t.count {
                    let sex = Int(t.sex[row])
                    census[base + sex * classes + classOf[Int(t.age[row])]] += 1
                    if sex == 0 { females += 1 } else { males += 1 }
                }
            }
        }
        guard record.extinctionYear == nil else { return }
        let extinct: Bool
        switch model.scenario.run.extinction {
        case .oneSexRemains: extinct = females == 0 || males == 0
        case .belowThreshold(let x): extinct = females + males < x
        }
        if extinct { record.extinctionYear = year }
    }

    // MARK: Helpers

    /// Tallies marked animals by cause for this year and removes them.
    func removeMarked() {
        let t = table
        let base = year * DeathCause.count
        var any = false
        for row in 0..<t.count where t.fate[row] != 0 {
            tallies.deaths[base + Int(t.fate[row])] += 1
            any = true
        }
        if any { t.compact() }
    }

    func createInitialPopulation() {
        for template in model.initial {
            for (unit, count) in template.units {
                for _ in 0..<count {
                    let maturity = model.species.lifeHistory(unit.sex).firstBreedingAge.ages[unit.maturityIndex]
                    let row = table.append(sex: unit.sex, age: unit.age, maturity: maturity,
                                           lastLitter: unit.sex == .female ? Int32(1 - unit.sinceLitter) : AnimalTable.never)
                    for _ in 0..<unit.cubFemales {
                        table.append(sex: .female, age: unit.cubAge, maturity: model.maturity[0].draw(&rng), mother: Int32(row))
                    }
                    for _ in 0..<unit.cubMales {
                        table.append(sex: .male, age: unit.cubAge, maturity: model.maturity[1].draw(&rng), mother: Int32(row))
                    }
                }
            }
            for group in template.individuals {
                for _ in 0..<group.count {
                    table.append(sex: group.sex, age: group.age, maturity: model.maturity[Int(group.sex.rawValue)].draw(&rng))
                }
            }
        }
    }
}

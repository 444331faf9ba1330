extension Year {
    /// Stage 2: every breeding-age female free to breed — her interval since the
    /// last litter passed and, under the dependency rules, no young in her care —
    /// breeds with this year's probability (× her territory's prey sufficiency
    /// where there is a landscape, which also requires a territory and a mature
    /// male within reach). Litter size from the scenario's distribution, each
    /// young's sex by the sex ratio, its own first breeding age drawn; the father
    /// is a mature male she can reach. Newborns join after every female has drawn.
    enum Breed {
        static func run<S: Space>(_ r: Replicate<S>) {
            let model = r.model
            let t = r.table
            let space = r.space
            let reasons = r.year * NonBreedingReason.count
            guard space.breedingSeason(matureMales: r.matureMaleCount, maleBreedingPool: model.maleBreedingPool,
                                       requiresMale: model.requiresMale, rng: &r.rng) else {
                r.tallies.breedingAgeFemales += r.breedingFemaleCount
                r.tallies.notBred[reasons + NonBreedingReason.noMale.rawValue] += r.breedingFemaleCount
                return
            }
            let lastLitter = t.lastLitter.base
            let dependents = t.dependents.base
            let dependency = t.dependents.isActive
            let requiresMale = model.requiresMale
            let interval = Int32(model.minimumInterval)
            let now = Int32(r.year)
            let p = r.breedingProbability
            let litterSampler = model.litter
            var rng = r.rng
            var breedingAge = 0, eligible = 0, litters = 0, offspring = 0
            var caring = 0, noTerritory = 0, noMate = 0, prey = 0
            // Decide: who breeds and how many young (pairs of row and litter size).
            var decisions: [Int32] = []
            swap(&decisions, &r.scratch)
            decisions.removeAll(keepingCapacity: true)
            let histogramSize = Tallies.largestLitterTallied + 1
            withUnsafeTemporaryAllocation(of: Int.self, capacity: histogramSize) { histogram in
                histogram.initialize(repeating: 0)
                // The census listed the breeding-age females (rows do not change before this stage).
                let listed = r.breedingFemaleCount
                breedingAge = listed
                r.breedingFemales.withUnsafeBufferPointer { females in
                    for i in 0..<listed {
                        let row = Int(females[i])
                        if now &- lastLitter[row] < interval || (dependency && dependents[row] > 0) { caring &+= 1; continue }
                        let factor = space.breedingFactor(female: row, table: t, requiresMale: requiresMale)
                        guard factor >= 0 else {
                            if factor == Unable.noMate { noMate &+= 1 } else { noTerritory &+= 1 }
                            continue
                        }
                        eligible &+= 1
                        let u = rng.uniform()
                        guard u < p * factor else {
                            if u < p { prey &+= 1 }
                            continue
                        }
                        let litter = litterSampler.draw(&rng)
                        guard litter > 0 else { continue }
                        litters &+= 1
                        offspring &+= litter
                        histogram[min(litter, histogramSize - 1)] &+= 1
                        lastLitter[row] = now
                        decisions.append(Int32(truncatingIfNeeded: row))
                        decisions.append(Int32(truncatingIfNeeded: litter))
                    }
                }
                for i in 0..<histogramSize { r.tallies.litterSizes[i] += histogram[i] }
            }
            // Apply: the newborns, after their mothers.
            let rows = t.appendRows(offspring)  // may move the columns: read them again
            let sex = t.sex.base, age = t.age.base, maturity = t.maturity.base, young = t.dependents.base
            let femaleMaturity = model.maturity[0], maleMaturity = model.maturity[1]
            let maleShare = model.maleShareAtBirth
            let pedigree = t.uses(.pedigree)
            var row = rows.lowerBound, males = 0
            // Each litter's father (−1: none drawn), for the genetics after the loop.
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, decisions.count / 2)) { fathers in
                r.matureMales.withUnsafeBufferPointer { mature in
                    let matureMales = UnsafeBufferPointer(rebasing: mature[0..<r.matureMaleCount])
                    for i in stride(from: 0, to: decisions.count, by: 2) {
                        let mother = Int(decisions[i])
                        let father = pedigree ? space.father(of: mother, table: t, matureMales: matureMales, rng: &r.mates) : -1
                        fathers[i / 2] = Int32(father)
                        for _ in 0..<Int(decisions[i + 1]) {
                            let male = rng.uniform() < maleShare
                            males &+= male ? 1 : 0
                            sex[row] = male ? Sex.male.rawValue : Sex.female.rawValue
                            age[row] = 0
                            maturity[row] = UInt8(male ? maleMaturity.draw(&rng) : femaleMaturity.draw(&rng))
                            if dependency {
                                t.carer[row] = Int32(mother)
                                young[mother] += 1
                            }
                            if pedigree {
                                t.motherID[row] = t.id[mother]
                                t.fatherID[row] = father >= 0 ? t.id[father] : AnimalTable.unknown
                            }
                            space.placeNewborn(row, mother: mother, table: t)
                            row &+= 1
                        }
                    }
                }
                // The young's kinship, F and genotypes, after all have been born.
                if let genetics = r.genetics {
                    var young = rows.lowerBound
                    for i in stride(from: 0, to: decisions.count, by: 2) {
                        for _ in 0..<Int(decisions[i + 1]) {
                            genetics.queueOffspring(young, mother: Int(decisions[i]), father: Int(fathers[i / 2]))
                            young += 1
                        }
                    }
                    genetics.addQueuedOffspring(t)
                }
            }
            swap(&decisions, &r.scratch)
            r.rng = rng
            r.tallies.breedingAgeFemales += breedingAge
            // Every breeding-age female who did not breed, once, by her reason; "chance" is the rest.
            r.tallies.notBred[reasons + NonBreedingReason.noMale.rawValue] += noMate
            r.tallies.notBred[reasons + NonBreedingReason.caringForYoung.rawValue] += caring
            r.tallies.notBred[reasons + NonBreedingReason.noTerritory.rawValue] += noTerritory
            r.tallies.notBred[reasons + NonBreedingReason.prey.rawValue] += prey
            r.tallies.notBred[reasons + NonBreedingReason.chance.rawValue] += breedingAge - litters - noMate - caring - noTerritory - prey
            r.tallies.eligibleFemales += eligible
            r.tallies.litters += litters
            r.tallies.littersByYear[r.year] += litters
            r.tallies.offspring += offspring
            r.tallies.maleOffspring += males
        }
    }
}

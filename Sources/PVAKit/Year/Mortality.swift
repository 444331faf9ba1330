import Foundation

extension Year {
    /// Stage 3: every animal survives its year or dies, by competing hazards
    /// (MODEL.md §4.4, `HazardComponent`): survival exp(−ΣH), the cause of a death
    /// drawn in proportion to the parts. Past the maximum age survival is 0.
    /// Young in the care of a mother that died die too (maternal death); then the
    /// dead are removed.
    enum Mortality {
        static func run<S: Space>(_ r: Replicate<S>) {
            var counts: [Int] = []
            swap(&counts, &r.survivalCounts)
            for i in counts.indices { counts[i] = 0 }
            if S.isSpatial || !r.model.threats.isEmpty {
                withHazards(r, counts: &counts)
            } else {
                baseOnly(r, counts: &counts)
            }
            let classes2 = 2 * r.model.classCount
            for i in 0..<classes2 {
                r.tallies.atRisk[i] += counts[i]
                r.tallies.survived[i] += counts[classes2 + i]
            }
            swap(&counts, &r.survivalCounts)
            r.table.markOrphans()
            r.removeDead()
        }

        /// Base mortality alone (no threats, no landscape): one uniform per animal, branch-free.
        /// Survival at the maximum age is 0, so the old die, but they are not "at risk" in the
        /// realised rates.
        static func baseOnly<S: Space>(_ r: Replicate<S>, counts: inout [Int]) {
            let t = r.table
            let n = t.count
            let stride = r.model.maxAge + 1
            let maxAge = r.model.maxAge
            let ageColumn = t.age.base, sexColumn = t.sex.base, fate = t.fate.base
            var rng = r.rng
            let survivedBase = 2 * r.model.classCount
            r.model.classOfAge.withUnsafeBufferPointer { classOf in
                r.survival.withUnsafeBufferPointer { s in
                    counts.withUnsafeMutableBufferPointer { counts in
                        for row in 0..<n {
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
            r.rng = rng
        }

        /// Every hazard component in force: survival factors with cause natural (base, floater
        /// cost, first-year prey shortfall) multiply s; threats add h_k × pressure_k in the
        /// model's order. A death's cause: natural with weight −ln s, then each threat with its
        /// hazard (the last takes the remainder).
        static func withHazards<S: Space>(_ r: Replicate<S>, counts: inout [Int]) {
            let model = r.model
            let t = r.table
            let space = r.space
            let n = t.count
            let stride = model.maxAge + 1
            let maxAge = model.maxAge
            let ageColumn = t.age.base, sexColumn = t.sex.base, fate = t.fate.base
            var rng = r.rng
            let poachingHazard = model.poachingHazard[r.year]
            let poachingAge = model.poachingMinimumAge
            let threats = model.threats
            let survivedBase = 2 * model.classCount
            let genetics = r.genetics
            let inbreedingHazardPerF = model.genetics?.hazardPerF ?? 0
            let outbreak = r.outbreak, disease = model.disease ?? DiseaseThreat()
            let vaccinated = t.vaccine.isActive, year = Int32(r.year)
            let countsAverted = r.countsAvertedDeaths
            let released = t.releaseGroup.isActive, enclosures = model.hasEnclosures
            withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, threats.count)) { h in
                for row in 0..<n {
                    let a = Int(ageColumn[row])
                    let sex = Int(sexColumn[row])
                    let slot = (model.classOfAge[a] << 1) | sex
                    var exposure = space.exposure(row, table: t)
                    var freed = Int.min
                    if released, let y = r.freedYear(row) {
                        freed = y
                        // In its enclosure: fenced and fed, base survival only.
                        if enclosures && freed >= r.year { exposure = Exposure.enclosed }
                    }
                    let s = r.survival[sex * stride + a] * exposure.floaterFactor * exposure.preyFactor
                    var total = 0.0
                    var lethal = false
                    var efficacy = 0.0
                    if outbreak && vaccinated && t.vaccinatedUntil[row] >= year { efficacy = model.vaccineEfficacy[Int(t.vaccine[row])] }
                    for (k, component) in threats.enumerated() {
                        let value: Double
                        switch component {
                        case .poaching: value = a >= poachingAge ? poachingHazard * exposure.poachingPressure : 0
                        case .road: value = exposure.roadHazard
                        case .inbreeding:
                            if a == 0, let genetics {
                                let slot = Int(t.geneSlot[row])
                                lethal = genetics.lethalHomozygote[slot] != 0
                                value = inbreedingHazardPerF * Double(genetics.inbreeding[slot])
                            } else {
                                value = 0
                            }
                        case .disease:
                            value = outbreak ? diseaseHazard(disease, pressure: exposure.diseasePressure, efficacy: efficacy) : 0
                        case .release:
                            value = freed == r.year - 1 ? model.releases[Int(t.releaseGroup[row])].hazard : 0
                        case .base, .floater, .prey: value = 0
                        }
                        h[k] = value
                        total += value
                    }
                    if countsAverted && !lethal && s > 0 {
                        countAverted(r, row: row, exposure: exposure, natural: -log(s), total: total,
                                     poaching: a >= poachingAge ? poachingHazard : 0, disease: outbreak ? disease : nil, efficacy: efficacy)
                    }
                    counts[slot] += a < maxAge ? 1 : 0
                    let lives = rng.uniform() < (total > 0 ? s * exp(-total) : s) && !lethal
                    if lives {
                        counts[survivedBase + slot] += 1
                        fate[row] = 0
                    } else if lethal {
                        fate[row] = DeathCause.inbreeding.rawValue
                    } else if s <= 0 || total == 0 {
                        fate[row] = DeathCause.natural.rawValue
                    } else {
                        let natural = -log(s)
                        let v = rng.uniform() * (natural + total)
                        var cause = threats[threats.count - 1].cause
                        var edge = natural
                        if v < edge {
                            cause = .natural
                        } else {
                            for k in 0..<(threats.count - 1) {
                                edge += h[k]
                                if v < edge { cause = threats[k].cause; break }
                            }
                        }
                        fate[row] = cause.rawValue
                    }
                }
            }
            r.rng = rng
        }

        /// Distemper's hazard in an outbreak year: exposure × spillover pressure (at most 1) ×
        /// fatality × (1 − the vaccine's efficacy).
        @inline(__always)
        static func diseaseHazard(_ d: DiseaseThreat, pressure: Double, efficacy: Double) -> Double {
            hazard(ofProbability: min(1, d.exposure * pressure) * d.fatality * (1 - efficacy))
        }

        /// The deaths the interventions in force averted for the animal in `row` this year: its
        /// expected deaths of the cause with its hazard as it would be without them, less with
        /// them as they are (`expectedDeaths`). Anti-poaching and dog management share theirs by
        /// weight among those covering the animal (or, if its place straddles them, all in force);
        /// a vaccine's go to the vaccination that gave it.
        static func countAverted<S: Space>(_ r: Replicate<S>, row: Int, exposure e: Exposure, natural: Double,
                                           total: Double,
                                           poaching: Double, disease: DiseaseThreat?, efficacy: Double) {
            let model = r.model
            let all = natural + total
            func averted(now: Double, without: Double) -> Double {
                expectedDeaths(part: without, total: all - now + without) - expectedDeaths(part: now, total: all)
            }
            func share(_ value: Double, among matches: (Intervention.Action) -> Bool) {
                guard value != 0 else { return }
                let year = r.calendarYear
                func inForce(_ i: CompiledIntervention) -> Bool { matches(i.action) && i.isActive(inYear: year) }
                func covering(_ i: CompiledIntervention) -> Bool { r.space.isIn(i.covers, row: row, table: r.table) }
                var weight = 0.0
                for i in model.interventions where inForce(i) && covering(i) { weight += i.weight }
                let straddles = weight == 0
                if straddles { for i in model.interventions where inForce(i) { weight += i.weight } }
                guard weight > 0 else { return }
                for (k, i) in model.interventions.enumerated() where inForce(i) && (straddles || covering(i)) {
                    r.addToIntervention(k, .deathsAvoided, value * i.weight / weight)
                }
            }
            if poaching > 0 && e.poachingPressure != e.basePoachingPressure {
                share(averted(now: poaching * e.poachingPressure, without: poaching * e.basePoachingPressure)) {
                    if case .antiPoaching = $0 { return true } else { return false }
                }
            }
            guard let disease else { return }
            let now = diseaseHazard(disease, pressure: e.diseasePressure, efficacy: efficacy)
            if efficacy > 0 {
                let k = Int(r.table.vaccine[row])
                r.addToIntervention(k, .deathsAvoided, averted(now: now, without: diseaseHazard(disease, pressure: e.diseasePressure, efficacy: 0)))
            }
            if e.diseasePressure != e.baseDiseasePressure {
                share(averted(now: now, without: diseaseHazard(disease, pressure: e.baseDiseasePressure, efficacy: efficacy))) {
                    if case .dogManagement = $0 { return true } else { return false }
                }
            }
        }
    }
}

import Foundation

extension Year {
    /// Stage 1: this year's conditions, as Vortex draws them. A reproduction
    /// deviate drives breeding and a survival deviate, correlated with it by the
    /// scenario's coefficient, is shared by every survival class (a good year has
    /// high survival in every class: mortality is read at the 1 − u quantile);
    /// K's deviate is correlated with the reproduction deviate in the same way
    /// (as Vortex does, so a high K comes with a poor breeding year);
    /// catastrophes strike with their probabilities and scale breeding and
    /// survival. Rates given as functions are evaluated at this year's N, K and
    /// year, and varied around their value.
    enum Environment {
        static func run<S: Space>(_ r: Replicate<S>) {
            var k = 0.0
            r.breedingProbability = draw(r.model, rng: &r.rng, n: r.table.count, t: r.year, values: &r.functionValues,
                                         survival: &r.survival, capacity: &k)
            // Animals are removed down to K rounded to the nearest whole animal.
            r.capacity = k.isFinite ? Int(k.rounded()) : Int.max
            r.space.landscapeYear(r)
            if let disease = r.model.disease { r.outbreak = r.diseaseRNG.uniform() < disease.outbreakProbability }
            r.countsAvertedDeaths = false
            let year = r.calendarYear
            for (k, i) in r.model.interventions.enumerated() where year >= i.startYear {
                switch i.action {
                case .antiPoaching, .dogManagement:
                    if i.isActive(inYear: year) { r.countsAvertedDeaths = true }
                case .vaccination(let share, let cubsOnly, _, let duration):
                    // Its vaccines protect (and avert deaths) for their years after it ends.
                    if year <= i.endYear + duration - 1 { r.countsAvertedDeaths = true }
                    if i.isActive(inYear: year) { vaccinate(r, intervention: k, share: share, cubsOnly: cubsOnly, years: duration) }
                default: break
                }
            }
        }

        /// Vaccination `k` this year: each animal of its place and target not yet protected is
        /// vaccinated with probability `share` (its own stream), protected for `years` years
        /// from this one. Cubs are the young in their mother's care (under the dependency
        /// rules; otherwise those in their second year, last year's young): this year's young
        /// are born after this stage, and are reached next year.
        static func vaccinate<S: Space>(_ r: Replicate<S>, intervention k: Int, share: Double, cubsOnly: Bool, years: Int) {
            let t = r.table
            let covers = r.model.interventions[k].covers
            var given = 0
            for row in 0..<t.count where t.vaccinatedUntil[row] < Int32(r.year) {
                if cubsOnly && !(t.carer.isActive ? t.carer[row] >= 0 : t.age[row] == 1) { continue }
                guard r.space.isIn(covers, row: row, table: t), r.diseaseRNG.uniform() < share else { continue }
                t.vaccine[row] = Int16(k)
                t.vaccinatedUntil[row] = Int32(r.year + years - 1)
                given += 1
            }
            r.addToIntervention(k, .actions, Double(given))
        }

        /// This year's survival by [sex · (maxAge + 1) + age] into `survival`, K into
        /// `capacity` (as drawn, not rounded, in [0, `CarryingCapacity.largest`]; infinity
        /// without one); returns this year's breeding probability. Both modes (individuals
        /// and class counts) draw their conditions here.
        static func draw(_ model: EngineModel, rng: inout RandomStream, n: Int, t: Int, values: inout [Double],
                         survival: inout [Double], capacity: inout Double) -> Double {
            var zSurvival = 0.0, zBreeding = 0.0
            let rho = model.evCorrelation
            if model.hasEV {
                zSurvival = rng.normal()
                zBreeding = rho * zSurvival + (1 - rho * rho).squareRoot() * rng.normal()
            }
            let uSurvival = SpecialFunctions.normalCDF(zSurvival), uBreeding = SpecialFunctions.normalCDF(zBreeding)
            var breedingSeverity = 1.0, survivalSeverity = 1.0
            for c in model.catastrophes where rng.uniform() < c.probability {
                breedingSeverity *= c.breedingSeverity
                survivalSeverity *= c.survivalSeverity
            }
            typealias L = FunctionVariables.Letter
            values[L.n.rawValue] = Double(n)
            values[L.y.rawValue] = Double(t)
            values[L.year.rawValue] = Double(model.startYear + t)
            if let k = model.capacity {
                var mean = k.mean(inYear: model.startYear + t)
                if let f = model.capacityFunction { mean = max(0, values.withUnsafeBufferPointer { f.evaluate($0) }) }
                // Vortex: K + SD·(ρ·(reproduction deviate) + √(1 − ρ²)·z′), its reproduction deviate
                // being high in a poor breeding year (ours is high in a good one).
                let drawn = k.evSD > 0 ? mean + k.evSD * (-rho * zBreeding + (1 - rho * rho).squareRoot() * rng.normal()) : mean
                capacity = min(CarryingCapacity.largest, max(0, drawn))
                values[L.k.rawValue] = capacity
            } else {
                capacity = .infinity
            }
            let p: Double
            if let f = model.breedingFunction {
                let mean = min(1, max(0, values.withUnsafeBufferPointer { f.evaluate($0) }))
                p = EnvironmentalRate.value(mean: mean, sd: model.breedingEV.sd, distribution: model.evDistribution, at: uBreeding, z: zBreeding)
            } else if let dd = model.densityDependence {
                let mean = dd.probability(n: n, k: capacity)
                p = EnvironmentalRate.value(mean: mean, sd: model.breedingEV.sd, distribution: model.evDistribution, at: uBreeding, z: zBreeding)
            } else {
                p = model.breedingEV.value(at: uBreeding, z: zBreeding)
            }
            let stride = model.maxAge + 1
            for (c, ages) in model.classAges.enumerated() {
                for sex in 0..<2 {
                    if let f = model.mortalityFunctions[c][sex] {
                        values[L.s.rawValue] = Double(sex)
                        let rate = model.mortalityEV[c][sex]
                        for a in ages {
                            values[L.a.rawValue] = Double(a)
                            let mean = min(1, max(0, values.withUnsafeBufferPointer { f.evaluate($0) }))
                            let m = EnvironmentalRate.value(mean: mean, sd: rate.sd, distribution: model.evDistribution, at: 1 - uSurvival, z: -zSurvival)
                            survival[sex * stride + a] = min(1, max(0, (1 - m) * survivalSeverity))
                        }
                    } else {
                        let s = min(1, max(0, (1 - model.mortalityEV[c][sex].value(at: 1 - uSurvival, z: -zSurvival)) * survivalSeverity))
                        for a in ages { survival[sex * stride + a] = s }
                    }
                }
            }
            survival[model.maxAge] = 0
            survival[stride + model.maxAge] = 0
            return min(1, max(0, p * breedingSeverity))
        }
    }
}

import Foundation

extension Year {
    /// Stage 1: this year's conditions. One EV deviate drives breeding and one is
    /// shared by every survival class, correlated by the scenario's coefficient
    /// (a good year has high survival in every class: mortality is read at the
    /// 1 − u quantile); catastrophes strike with their probabilities and scale
    /// breeding and survival; K is drawn (non-spatial models).
    enum Environment {
        static func run<S: Space>(_ r: Replicate<S>) {
            let model = r.model
            var uSurvival = 0.5, uBreeding = 0.5
            if model.hasEV {
                let z1 = r.rng.normal()
                let rho = model.evCorrelation
                let z2 = rho * z1 + (1 - rho * rho).squareRoot() * r.rng.normal()
                uSurvival = SpecialFunctions.normalCDF(z1)
                uBreeding = SpecialFunctions.normalCDF(z2)
            }
            var breedingSeverity = 1.0, survivalSeverity = 1.0
            for c in model.catastrophes where r.rng.uniform() < c.probability {
                breedingSeverity *= c.breedingSeverity
                survivalSeverity *= c.survivalSeverity
            }
            if let k = model.capacity {
                let mean = k.mean(inYear: r.calendarYear)
                let drawn = k.evSD > 0 ? r.rng.normal(mean: mean, sd: k.evSD) : mean
                r.capacity = Int(min(CarryingCapacity.largest, max(0, drawn.rounded())))
            } else {
                r.capacity = Int.max
            }
            let p: Double
            if let dd = model.densityDependence {
                let mean = dd.probability(n: r.table.count, k: Double(r.capacity))
                p = EnvironmentalRate.value(mean: mean, sd: model.breedingEV.sd, distribution: model.evDistribution, at: uBreeding)
            } else {
                p = model.breedingEV.value(at: uBreeding)
            }
            r.breedingProbability = min(1, max(0, p * breedingSeverity))
            let stride = model.maxAge + 1
            for (c, ages) in model.classAges.enumerated() {
                for sex in 0..<2 {
                    let s = min(1, max(0, (1 - model.mortalityEV[c][sex].value(at: 1 - uSurvival)) * survivalSeverity))
                    for a in ages { r.survival[sex * stride + a] = s }
                }
            }
            r.survival[model.maxAge] = 0
            r.survival[stride + model.maxAge] = 0
        }
    }
}

import Foundation

extension ScenarioDecoder {
    /// `threats`: poaching (a hazard), dynamic prey, fire and habitat conversion (the
    /// landscape changes; they need one) and distemper (a hazard).
    static func decodeThreats(_ r: inout ObjectReader, maximumAge: Int?, hasLandscape: Bool) -> Threats? {
        let poaching = r.object("poaching", required: false) { p -> PoachingThreat? in
            let probability = p.probability("probability")
            let minimumAge = p.integer("minimumAge", default: 1, min: 0, max: maximumAge)
            let changes = p.objects("changes", required: false) { c -> (year: Int, probability: Double)? in
                let year = c.integer("year", min: -Limits.year, max: Limits.year), probability = c.probability("probability")
                guard let year, let probability else { return nil }
                return (year: year, probability: probability)
            }
            if !p.has("changes") { p.setResolved("changes", .array([])) }
            guard let probability, let minimumAge else { return nil }
            if p.has("changes") && changes == nil { return nil }
            return PoachingThreat(probability: probability, minimumAge: minimumAge, changes: changes ?? [])
        }
        for key in ["prey", "fire", "habitatConversion"] where r.has(key) && !hasLandscape {
            r.diagnostics.add(r.childPath(key), "changes the landscape: the scenario needs a \"landscape\"")
        }
        let prey = r.object("prey", required: false) { p -> PreyDynamics? in
            let growth = p.number("growthRate", default: 0.35, min: 0, max: 2)
            let offtake = p.probability("huntingOfftake", default: 0.1)
            let capacity = p.number("capacity", default: 1.4, min: 0, max: 1000)
            let ev = p.number("evSD", default: 0.1, min: 0, max: 2)
            guard let growth, let offtake, let capacity, let ev else { return nil }
            return PreyDynamics(growthRate: growth, huntingOfftake: offtake, capacity: capacity, evSD: ev)
        }
        let fire = r.object("fire", required: false) { f -> FireThreat? in
            let probability = f.probability("probability", default: 0.1)
            let low = f.probability("burntShareMin", default: 0.1), high = f.probability("burntShareMax", default: 0.3)
            let forest = f.probability("forestSuitability", default: 0.5)
            let damage = f.probability("damage", default: 0.5)
            let shortest = f.integer("recoveryYearsMin", default: 5, min: 1, max: 1000)
            let longest = f.integer("recoveryYearsMax", default: 10, min: 1, max: 1000)
            let burns = f.integer("conversionBurns", default: 3, min: 0, max: 1000)
            let grassland = f.probability("grasslandSuitability", default: 0)
            guard let probability, let low, let high, let forest, let damage, let shortest, let longest, let burns, let grassland else { return nil }
            if high < low {
                f.diagnostics.add(f.childPath("burntShareMax"), "must not be below burntShareMin \(NumberFormatting.shortest(low))", gotText: NumberFormatting.shortest(high))
                return nil
            }
            if longest < shortest {
                f.diagnostics.add(f.childPath("recoveryYearsMax"), "must not be below recoveryYearsMin \(shortest)", gotText: String(longest))
                return nil
            }
            return FireThreat(probability: probability, burntShare: low...high, forestSuitability: forest, damage: damage,
                              recoveryYears: shortest...longest, conversionBurns: burns, grasslandSuitability: grassland)
        }
        let conversion = r.object("habitatConversion", required: false) { c -> HabitatConversion? in
            c.probability("rate").map(HabitatConversion.init(rate:))
        }
        let disease = r.object("disease", required: false) { d -> DiseaseThreat? in
            let p = d.probability("outbreakProbability", default: 0.1)
            let exposure = d.probability("exposure", default: 0.15)
            let fatality = d.probability("fatality", default: 0.5)
            guard let p, let exposure, let fatality else { return nil }
            return DiseaseThreat(outbreakProbability: p, exposure: exposure, fatality: fatality)
        }
        r.unsupported("roads", reason: "road mortality comes from the landscape's roads layer; there is nothing to set here")
        for (key, value) in [("poaching", poaching != nil), ("prey", prey != nil), ("fire", fire != nil),
                             ("habitatConversion", conversion != nil), ("disease", disease != nil)] where r.has(key) && !value {
            return nil
        }
        if !hasLandscape && (prey != nil || fire != nil || conversion != nil) { return nil }
        return Threats(poaching: poaching, prey: prey, fire: fire, habitatConversion: conversion, disease: disease)
    }
}

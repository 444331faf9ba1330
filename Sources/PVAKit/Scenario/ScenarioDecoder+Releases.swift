import Foundation

extension ScenarioDecoder {
    /// `releases`: {sources: [{name, type: "captive", founders, kinship, inbreeding} |
    /// {name, type: "translocation", region}], groups: [{name, source, startYear, endYear,
    /// interval, region | rectangle | cells, animals: [{sex, age | minAge/maxAge, count}],
    /// postReleaseSurvival, softRelease, dispersal: {probability, meanDistanceKm}}]}.
    static func decodeReleases(_ r: inout ObjectReader, species: Species?, landscape: Landscape?, hasLandscape: Bool,
                               hasGenetics: Bool) -> Releases? {
        let maxAge = species?.maximumAge
        var names: Set<String> = []
        let sources = r.objects("sources", required: true, allowEmpty: false) { s -> ReleaseSource? in
            let name = s.string("name")
            if let name, !names.insert(name).inserted {
                s.diagnostics.add(s.childPath("name"), "source names must be unique", gotText: "\"\(name)\"")
                return nil
            }
            switch s.string("type", oneOf: ["captive", "translocation"]) {
            case "captive":
                guard hasGenetics else {
                    for key in ["founders", "kinship", "inbreeding"] where s.has(key) {
                        _ = s.node(key, required: false)
                        s.diagnostics.add(s.childPath(key), "describes the source's genetics: only used with a \"genetics\" section")
                    }
                    return name.map { ReleaseSource(name: $0, kind: .captive(founders: 0, kinship: 0, inbreeding: 0)) }
                }
                guard let founders = s.integer("founders", min: 1, max: Limits.animals) else { return nil }
                let least = 1 / (2 * Double(founders))
                guard let kinship = s.number("kinship", default: least, min: 0, max: 0.5) else { return nil }
                if kinship < least - 1e-12 {
                    s.diagnostics.add(s.childPath("kinship"), "must be at least 1/(2 × founders) = \(least): descendants of \(founders) founders cannot be less related than that",
                                      gotText: String(kinship))
                    return nil
                }
                guard let f = s.number("inbreeding", default: kinship, min: 0, max: 1), let name else { return nil }
                return ReleaseSource(name: name, kind: .captive(founders: founders, kinship: kinship, inbreeding: f))
            case "translocation":
                guard let landscape else {
                    if !hasLandscape { s.diagnostics.add(s.childPath("type"), "a translocation takes animals from a region: the scenario needs a \"landscape\"", gotText: "\"translocation\"") }
                    _ = s.node("region", required: false)
                    return nil
                }
                guard let region = s.string("region") else { return nil }
                guard landscape.regionIndex(named: region) != nil else {
                    s.diagnostics.add(s.childPath("region"), "no region of this name in landscape.regions", gotText: "\"\(region)\"")
                    return nil
                }
                return name.map { ReleaseSource(name: $0, kind: .translocation(region: region)) }
            default:
                return nil
            }
        }
        var groupNames: Set<String> = []
        var index = 0
        let groups = r.objects("groups", required: true, allowEmpty: false) { g -> ReleaseGroup? in
            index += 1
            let name = g.string("name", default: "release \(index)") ?? ""
            if !groupNames.insert(name).inserted {
                g.diagnostics.add(g.childPath("name"), "group names must be unique (give each a \"name\")", gotText: "\"\(name)\"")
            }
            var source: Int?
            if let sourceName = g.string("source") {
                source = sources?.firstIndex { $0.name == sourceName }
                if source == nil && sources != nil {
                    g.diagnostics.add(g.childPath("source"), "no source of this name in releases.sources", gotText: "\"\(sourceName)\"")
                }
            }
            let schedule = decodeSchedule(&g)
            var place: Intervention.Place? = .wholeMap
            if let landscape {
                place = decodePlace(&g, landscape: landscape)
            } else {
                // (A landscape that failed to decode was reported already.)
                for key in ["region", "rectangle", "cells"] where g.has(key) {
                    _ = g.node(key, required: false)
                    if !hasLandscape { g.diagnostics.add(g.childPath(key), "places need a landscape, which this scenario does not have") }
                    place = nil
                }
            }
            // Unknown when the source is unknown (already reported): then either form of age passes.
            let translocation: Bool? = source.flatMap { k in sources.map { $0[k].region != nil } }
            let animals = g.objects("animals", required: true, allowEmpty: false) { a -> ReleaseAnimals? in
                decodeReleaseAnimals(&a, maximumAge: maxAge, translocation: translocation)
            }
            let survival = g.number("postReleaseSurvival", default: 0.7, min: 0, max: 1, exclusiveMin: true)
            let soft = g.bool("softRelease", default: false)
            var dispersal: (Double, Double)? = (0, 50)
            if g.has("dispersal") {
                dispersal = g.object("dispersal", required: true) { d -> (Double, Double)? in
                    guard let p = d.probability("probability"),
                          let mean = d.number("meanDistanceKm", default: 50, min: 0, max: 10_000, exclusiveMin: true) else { return nil }
                    return (p, mean)
                }
                if dispersal != nil && !hasLandscape {
                    g.diagnostics.add(g.childPath("dispersal"), "a walk after release needs a landscape, which this scenario does not have")
                    dispersal = nil
                }
            }
            guard let source, let schedule, let place, let animals, let survival, let soft, let dispersal else { return nil }
            return ReleaseGroup(name: name, source: source, schedule: schedule, place: place, animals: animals,
                                postReleaseSurvival: survival, softRelease: soft, dispersalProbability: dispersal.0, dispersalMeanKm: dispersal.1)
        }
        guard let sources, let groups else { return nil }
        return Releases(sources: sources, groups: groups)
    }

    /// A line of a release group: `sex`, `count` and `age`; a translocation may instead give
    /// `minAge` and `maxAge` (any wild animal of the sex in the range).
    static func decodeReleaseAnimals(_ r: inout ObjectReader, maximumAge: Int?, translocation: Bool?) -> ReleaseAnimals? {
        let sex = decodeSex(&r)
        let count = r.integer("count", min: 1, max: Limits.animals)
        let range = r.has("minAge") || r.has("maxAge")
        if range && translocation == false {
            for key in ["minAge", "maxAge"] where r.has(key) {
                _ = r.node(key, required: false)
                r.diagnostics.add(r.childPath(key), "a captive source makes its animals at one \"age\"; age ranges are for translocations")
            }
            return nil
        }
        if range && r.has("age") {
            _ = r.node("age", required: false)
            r.diagnostics.add(r.childPath("age"), "give either \"age\" or \"minAge\"/\"maxAge\", not both")
            return nil
        }
        let least = translocation == true ? 1 : 0
        guard let sex, let count else { return nil }
        if range {
            guard let low = r.integer("minAge", default: least, min: least, max: maximumAge),
                  let high = r.integer("maxAge", default: maximumAge ?? 250, min: least, max: maximumAge) else { return nil }
            if high < low {
                r.diagnostics.add(r.childPath("maxAge"), "must not be below minAge \(low)", gotText: String(high))
                return nil
            }
            return ReleaseAnimals(sex: sex, minimumAge: low, maximumAge: high, count: count)
        }
        guard let age = r.integer("age", min: least, max: maximumAge) else { return nil }
        return ReleaseAnimals(sex: sex, minimumAge: age, maximumAge: age, count: count)
    }

    /// `targets`: {regions, threshold, minimumAge, years}; every region must exist.
    static func decodeTargets(_ r: inout ObjectReader, landscape: Landscape?, maximumAge: Int?) -> TargetSettings? {
        var t = TargetSettings()
        let diagnostics = r.diagnostics
        let regions = r.array("regions", required: true, allowEmpty: false) { node, path, output -> String? in
            guard case .string(let name) = node.value else {
                diagnostics.add(path, "must be a region name", got: node.value)
                return nil
            }
            output = .string(name)
            guard let landscape, landscape.regionIndex(named: name) != nil else {
                if landscape != nil { diagnostics.add(path, "no region of this name in landscape.regions", gotText: "\"\(name)\"") }
                return nil
            }
            return name
        }
        let threshold = r.integer("threshold", default: t.threshold, min: 1, max: Limits.animals)
        let minimumAge = r.integer("minimumAge", default: t.minimumAge, min: 0, max: maximumAge)
        // (Years past the run's horizon are allowed, so that `--years` can shorten a run: they are
        // reported without values.)
        let years = r.integers("years", required: false, allowEmpty: false, min: 1, max: Limits.year)
        if !r.has("years") { r.setResolved("years", .array(t.years.map { .integer($0) })) }
        guard let regions, let threshold, let minimumAge else { return nil }
        if r.has("years") && years == nil { return nil }
        var seen: Set<String> = []
        t.regions = regions.filter { seen.insert($0).inserted }
        t.threshold = threshold
        t.minimumAge = minimumAge
        t.years = Array(Set(years ?? t.years)).sorted()
        return t
    }
}

import Foundation

extension ScenarioDecoder {
    static let interventionTypes = ["antiPoaching", "preyRecovery", "habitatProtection", "restoration", "corridor",
                                    "vaccination", "dogManagement"]

    /// `interventions`: each {type, name, startYear, endYear, where it acts: "region", "rectangle",
    /// "cells" or nothing (the whole map), and its type's parameters}. An intervention must act
    /// on something the scenario has (anti-poaching on poaching, and so on).
    static func decodeInterventions(_ r: inout ObjectReader, landscape: Landscape?, hasLandscape: Bool, threats: Threats?) -> [Intervention]? {
        guard let landscape else {
            if let node = r.node("interventions", required: false), !hasLandscape {
                r.diagnostics.add("interventions", "act on places: the scenario needs a \"landscape\"", got: node.value)
            }
            return nil
        }
        // Threats that failed to decode were reported already: no intervention is refused for them.
        let threatsUnread = r.has("threats") && threats == nil
        var names: Set<String> = []
        return r.objects("interventions", required: false) { e -> Intervention? in
            guard let type = e.string("type", oneOf: interventionTypes) else { return nil }
            let name = e.string("name", default: type) ?? type
            if !names.insert(name).inserted {
                e.diagnostics.add(e.childPath("name"), "intervention names must be unique (give each a \"name\")", gotText: "\"\(name)\"")
            }
            let start = e.integer("startYear", min: -Limits.year, max: Limits.year)
            let end = e.integer("endYear", min: -Limits.year, max: Limits.year)
            let place = decodePlace(&e, landscape: landscape)
            func requires(_ present: Bool, _ what: String) -> Bool {
                if threatsUnread { return true }
                if !present { e.diagnostics.add(e.childPath("type"), "\(type) acts on \(what), which this scenario does not have", gotText: "\"\(type)\"") }
                return present
            }
            var action: Intervention.Action?
            switch type {
            case "antiPoaching":
                if requires(threats?.poaching != nil, "poaching (threats.poaching)") {
                    action = e.probability("effectiveness").map { .antiPoaching(effectiveness: $0) }
                }
            case "preyRecovery":
                if requires(threats?.prey != nil, "dynamic prey (threats.prey)") {
                    let capacity = e.number("capacityIncrease", default: 0, min: 0, max: 100)
                    let hunting = e.probability("huntingReduction", default: 0)
                    if let capacity, let hunting { action = .preyRecovery(capacityIncrease: capacity, huntingReduction: hunting) }
                }
            case "habitatProtection":
                if requires(threats?.fire != nil || threats?.habitatConversion != nil, "fire or habitat conversion (threats.fire, threats.habitatConversion)") {
                    action = e.probability("fireReduction", default: 0).map { .habitatProtection(fireReduction: $0) }
                }
            case "restoration":
                let increase = e.number("suitabilityIncrease", min: 0, max: 1, exclusiveMin: true)
                let years = e.integer("years", default: 10, min: 1, max: Limits.year)
                if let increase, let years { action = .restoration(suitabilityIncrease: increase, years: years) }
            case "corridor":
                let permeability = e.probability("permeability", default: 1)
                let road = e.probability("roadMortalityReduction", default: 0)
                if let permeability, let road { action = .corridor(permeability: permeability, roadMortalityReduction: road) }
            case "vaccination":
                if requires(threats?.disease != nil, "distemper (threats.disease)") {
                    let share = e.probability("share")
                    let target = e.string("target", default: "all", oneOf: ["all", "cubs"])
                    let efficacy = e.probability("efficacy", default: 0.9)
                    let duration = e.integer("durationYears", default: 3, min: 1, max: Limits.year)
                    if let share, let target, let efficacy, let duration {
                        action = .vaccination(share: share, cubsOnly: target == "cubs", efficacy: efficacy, durationYears: duration)
                    }
                }
            case "dogManagement":
                if requires(threats?.disease != nil, "distemper (threats.disease)") {
                    action = e.probability("effectiveness").map { .dogManagement(effectiveness: $0) }
                }
            default:
                break
            }
            guard let start, let end, let place, let action else { return nil }
            if end < start {
                e.diagnostics.add(e.childPath("endYear"), "must not be before startYear \(start)", gotText: String(end))
                return nil
            }
            return Intervention(name: name, startYear: start, endYear: end, place: place, action: action)
        }
    }

    /// Where an entry acts: `"region"` (a name), `"rectangle"`, `"cells"` ([[row, column], …]) or,
    /// when none is given, the whole map. The cells must be on the map.
    static func decodePlace(_ r: inout ObjectReader, landscape l: Landscape) -> Intervention.Place? {
        let given = ["region", "rectangle", "cells"].filter { r.has($0) }
        if given.count > 1 {
            r.diagnostics.add(r.path, "give at most one of \"region\", \"rectangle\" and \"cells\"", gotText: given.joined(separator: ", "))
            for key in given { _ = r.node(key, required: false) }
            return nil
        }
        switch given.first {
        case "region":
            guard let name = r.string("region") else { return nil }
            guard l.regionIndex(named: name) != nil else {
                r.diagnostics.add(r.childPath("region"), "no region of this name in landscape.regions", gotText: "\"\(name)\"")
                return nil
            }
            return .region(name)
        case "rectangle":
            guard let cells = r.object("rectangle", required: true, { decodeRectangle(&$0, columns: l.columns, rows: l.rows, onMap: l.onMap) }) else { return nil }
            guard !cells.isEmpty else {
                r.diagnostics.add(r.childPath("rectangle"), "holds no cell on the map (all NODATA in the suitability layer)")
                return nil
            }
            return .cells(cells)
        case "cells":
            let diagnostics = r.diagnostics
            let cells = r.array("cells", required: true, allowEmpty: false) { node, path, output -> Int32? in
                guard case .array(let pair) = node.value, pair.count == 2,
                      let row = ObjectReader.integer(pair[0], path: path + "[0]", diagnostics: diagnostics, min: 0, max: l.rows - 1),
                      let column = ObjectReader.integer(pair[1], path: path + "[1]", diagnostics: diagnostics, min: 0, max: l.columns - 1) else {
                    if case .array(let pair) = node.value, pair.count == 2 { return nil }
                    diagnostics.add(path, "must be a [row, column] pair", got: node.value)
                    return nil
                }
                output = .array([.integer(row), .integer(column)])
                let c = row * l.columns + column
                guard l.onMap[c] else {
                    diagnostics.add(path, "cell is off the map (NODATA in the suitability layer)", gotText: "[\(row), \(column)]")
                    return nil
                }
                return Int32(c)
            }
            return cells.map { .cells(Array(Set($0)).sorted()) }
        default:
            return .wholeMap
        }
    }
}

import Foundation

/// A decoded scenario together with its resolved form (every value given or
/// defaulted, after command-line overrides), from which the provenance hash
/// is computed.
public struct LoadedScenario: Sendable {
    public var scenario: Scenario
    public var resolved: JSONOutput
    /// Files the scenario read (layer grids), as named in it, in the order read.
    public var files: [(path: String, bytes: [UInt8])] = []
    /// Command-line overrides as `PATH=VALUE` (in the provenance).
    public var overrides: [String] = []

    /// Canonical compact text of the resolved scenario.
    public var resolvedText: String { JSONWriter.compact(resolved) }
}

/// The largest values the format accepts where nature gives no bound of its own:
/// far beyond any real population, small enough for the engine's whole-number
/// types, so that no conversion can fail.
public enum Limits {
    /// Animals in any count (initial, harvest, release, thresholds): 10⁷.
    public static let animals = 10_000_000
    public static let animalsReal = 1e7
    /// Calendar years in schedules: ±100,000.
    public static let year = 100_000
    /// The largest litter: 50.
    public static let litter = 50
    /// The largest litter under the dependency rules, whose projection follows every
    /// composition of a mother's young: 20.
    public static let dependentLitter = 20
}

/// What a function in a scenario may read where it stands: the scenario's named
/// variables, and whether there is a K (not with a landscape).
struct FunctionContext {
    var variables: FunctionVariables
    var hasK: Bool

    func letters(_ wanted: Set<FunctionVariables.Letter>) -> Set<FunctionVariables.Letter> {
        hasK ? wanted : wanted.subtracting([.k])
    }
}

/// Reads scenario format version 1 (see README "Scenario format").
public enum ScenarioDecoder {
    public static let formatVersion = 1
    /// The largest seed a JSON number holds exactly (2⁵³ − 1).
    public static let maximumSeed: UInt64 = 9_007_199_254_740_991

    /// Parses and decodes `bytes`; throws `ScenarioErrors` listing every issue.
    public static func decode(bytes: [UInt8], file: String, overrides: RunOverrides = RunOverrides(),
                              loader: FileLoader? = nil) throws(ScenarioErrors) -> LoadedScenario {
        let (root, diagnostics) = try Diagnostics.parse(bytes, file: file)
        let (overridden, problems) = overrides.apply(to: root, file: file)
        guard problems.isEmpty else { throw ScenarioErrors(diagnostics.issues + problems) }
        let log = FileLog()
        let scenario = decode(root: overridden, diagnostics: diagnostics, loader: loader, log: log)
        guard diagnostics.isEmpty, let (scenario, resolved) = scenario else {
            throw ScenarioErrors(diagnostics.issues)
        }
        return LoadedScenario(scenario: scenario, resolved: resolved, files: log.files, overrides: overrides.all.map(\.text))
    }

    public static func decode(text: String, file: String, overrides: RunOverrides = RunOverrides(),
                              loader: FileLoader? = nil) throws(ScenarioErrors) -> LoadedScenario {
        try decode(bytes: Array(text.utf8), file: file, overrides: overrides, loader: loader)
    }

    static func decode(root: JSONNode, diagnostics: Diagnostics, loader: FileLoader?, log: FileLog) -> (Scenario, JSONOutput)? {
        guard var r = ObjectReader(root, path: "", diagnostics: diagnostics) else { return nil }
        if let format = r.integer("format") , format != formatVersion {
            diagnostics.add("format", "unsupported format version; this engine reads format \(formatVersion)", gotText: String(format))
        }
        let name = r.string("name", default: "") ?? ""
        let description = r.string("description", default: "") ?? ""
        let run = r.object("run", required: true) { decodeRun(&$0) }
        let variables = r.object("variables", required: false) { decodeVariables(&$0) } ?? FunctionVariables()
        let functions = FunctionContext(variables: variables, hasK: !r.has("landscape"))
        let species = r.object("species", required: true) { decodeSpecies(&$0, functions: functions) }
        let environment = r.object("environment", required: false) { decodeEnvironment(&$0) }
        if !r.has("environment") { r.setResolved("environment", .object(["distribution": .string("binomial"), "correlation": .number(0)])) }
        let catastrophes = r.objects("catastrophes", required: false) { decodeCatastrophe(&$0) }
        if !r.has("catastrophes") { r.setResolved("catastrophes", .array([])) }
        // The landscape first: regions named elsewhere refer to it.
        let spatial = r.object("landscape", required: false) { decodeSpatial(&$0, loader: loader, log: log) }
        let hasLandscape = r.has("landscape")
        let regionNames = spatial.map { Set($0.landscape.regions.map(\.name)) }
        let capacity = r.object("carryingCapacity", required: false) { decodeCapacity(&$0, functions: functions) }
        let harvests = r.objects("harvest", required: false) { decodeHarvest(&$0, species: species, functions: functions, hasLandscape: hasLandscape, regions: regionNames) }
        if !r.has("harvest") { r.setResolved("harvest", .array([])) }
        let supplements = r.objects("supplementation", required: false) {
            decodeSupplement(&$0, species: species, hasLandscape: hasLandscape, regions: regionNames, functions: functions)
        }
        if !r.has("supplementation") { r.setResolved("supplementation", .array([])) }
        let initial = decodeInitialPopulation(&r, species: species, hasLandscape: hasLandscape, regions: regionNames)
        let threats = r.object("threats", required: false) { decodeThreats(&$0, maximumAge: species?.maximumAge, hasLandscape: hasLandscape) }
        // (An absent section adds nothing to the resolved scenario, so scenarios without
        // threats keep their provenance hash.)
        let genetics = r.object("genetics", required: false) { decodeGenetics(&$0) }
        if r.has("genetics"), let run, run.mode != .individual {
            diagnostics.add("genetics", "needs individuals (a pedigree and genotypes): run.mode must be \"individual\"", gotText: run.mode.rawValue)
        }
        let interventions = r.has("interventions") ? decodeInterventions(&r, landscape: spatial?.landscape, hasLandscape: hasLandscape, threats: threats) : []
        let hasGenetics = r.has("genetics")
        let releases = r.object("releases", required: false) {
            decodeReleases(&$0, species: species, landscape: spatial?.landscape, hasLandscape: hasLandscape, hasGenetics: hasGenetics)
        }
        if r.has("releases"), let run, run.mode != .individual {
            diagnostics.add("releases", "needs individuals (origins, release costs, enclosures): run.mode must be \"individual\" (class counts take \"supplementation\")",
                            gotText: run.mode.rawValue)
        }
        var targets: TargetSettings?
        if r.has("targets") {
            if !hasLandscape {
                _ = r.node("targets", required: false)
                diagnostics.add("targets", "target regions need a landscape, which this scenario does not have")
            } else {
                targets = r.object("targets", required: true) {
                    decodeTargets(&$0, landscape: spatial?.landscape, maximumAge: species?.maximumAge)
                }
            }
        }
        if hasLandscape {
            if r.has("carryingCapacity") {
                diagnostics.add("carryingCapacity", "not used with a landscape: capacity comes from the territories the habitat holds")
            }
            if species?.breeding.densityDependence != nil {
                diagnostics.add("species.breeding.densityDependence", "needs K, which a scenario with a landscape does not have")
            }
        } else if !r.has("carryingCapacity") {
            diagnostics.add("carryingCapacity", "required key is missing (a scenario without a landscape needs K)")
        }
        let resolved = r.finish()
        guard let run, let species, let initial else { return nil }
        if hasLandscape && spatial == nil { return nil }
        if r.has("threats") && threats == nil { return nil }
        if r.has("genetics") && genetics == nil { return nil }
        guard let interventions else { return nil }
        if r.has("releases") && releases == nil { return nil }
        if r.has("targets") && targets == nil { return nil }
        var scenario = Scenario(
            name: name, run: run, species: species,
            environment: environment ?? EnvironmentalVariation(),
            catastrophes: catastrophes ?? [], carryingCapacity: capacity,
            harvests: harvests ?? [], supplements: supplements ?? [],
            initialPopulation: initial, threats: threats ?? Threats(), spatial: spatial, variables: variables, genetics: genetics,
            interventions: interventions)
        scenario.description = description
        scenario.releases = releases ?? Releases()
        scenario.targets = targets
        // A variable no function reads would be a silently ignored key (often a misspelt name).
        let read = Set(scenario.functions.flatMap(\.referencedVariables))
        for (i, v) in variables.named.enumerated() where !read.contains(FunctionVariables.Letter.allCases.count + i) {
            diagnostics.add("variables." + v.name, "no function reads this variable", gotText: NumberFormatting.shortest(v.value))
        }
        guard diagnostics.isEmpty else { return nil }
        return (scenario, resolved)
    }

    // MARK: variables

    /// `"variables": {"name": number, …}`: named values functions may read.
    static func decodeVariables(_ r: inout ObjectReader) -> FunctionVariables? {
        var named: [(name: String, value: Double)] = []
        var failed = false
        for key in r.keys {
            guard let value = r.number(key, min: -1e15, max: 1e15) else { failed = true; continue }
            do {
                _ = try ExpressionVariables([key])
                if FunctionVariables.Letter.allCases.contains(where: { $0.name == key.uppercased() }) {
                    r.diagnostics.add(r.childPath(key), "is a name functions already use (N, K, Y, YEAR, A, S)")
                    failed = true
                }
            } catch {
                r.diagnostics.add(r.childPath(key), "cannot name a variable: \(error.message)")
                failed = true
            }
            named.append((name: key, value: value))
        }
        return failed ? nil : FunctionVariables(named: named)
    }

    // MARK: run

    static func decodeRun(_ r: inout ObjectReader) -> RunSettings? {
        let startYear = r.integer("startYear", default: 0, min: -100_000, max: 100_000)
        let years = r.integer("years", min: 1, max: 100_000)
        let replicates = r.integer("replicates", min: 1, max: 100_000_000)
        let seed = r.integer("seed", default: 1, min: 0, max: Int(maximumSeed))
        let extinction = r.object("extinction", required: false) { e -> ExtinctionDefinition? in
            guard let definition = e.string("definition", default: "oneSexRemains", oneOf: ["oneSexRemains", "belowThreshold"]) else { return nil }
            if definition == "belowThreshold" {
                guard let threshold = e.integer("threshold", min: 1, max: Limits.animals) else { return nil }
                return .belowThreshold(threshold)
            }
            return .oneSexRemains
        }
        if !r.has("extinction") { r.setResolved("extinction", .object(["definition": .string("oneSexRemains")])) }
        let thresholds = r.integers("quasiExtinctionThresholds", required: false, min: 1, max: Limits.animals)
        if !r.has("quasiExtinctionThresholds") { r.setResolved("quasiExtinctionThresholds", .array([])) }
        guard let startYear, let years, let replicates, let seed else { return nil }
        let mode = r.string("mode", default: "individual", oneOf: SimulationMode.allCases.map(\.rawValue)).flatMap(SimulationMode.init(rawValue:))
        if r.has("extinction") && extinction == nil { return nil }
        guard let mode else { return nil }
        if r.has("quasiExtinctionThresholds") && thresholds == nil { return nil }
        var settings = RunSettings(startYear: startYear, years: years, replicates: replicates, seed: UInt64(seed),
                                   extinction: extinction ?? .oneSexRemains,
                                   quasiExtinctionThresholds: thresholds ?? [])
        settings.mode = mode
        return settings
    }

    // MARK: species

    /// A probability distribution given as parallel arrays whose probabilities sum to 1.
    static func decodeDiscrete(_ r: inout ObjectReader, valuesKey: String, minValue: Int, maxValue: Int?) -> (values: [Int], probabilities: [Double])? {
        let values = r.integers(valuesKey, required: true, min: minValue, max: maxValue)
        let probabilities = r.numbers("probabilities", required: true, min: 0, max: 1)
        guard let values, let probabilities else { return nil }
        if values.count != probabilities.count {
            r.diagnostics.add(r.childPath("probabilities"), "must have one entry per value in \(valuesKey) (\(values.count))", gotText: "\(probabilities.count) entries")
            return nil
        }
        if Set(values).count != values.count {
            r.diagnostics.add(r.childPath(valuesKey), "values must be distinct", gotText: "[" + values.map(String.init).joined(separator: ", ") + "]")
            return nil
        }
        let sum = probabilities.reduce(0, +)
        if abs(sum - 1) > 1e-6 {
            r.diagnostics.add(r.childPath("probabilities"), "must sum to 1", gotText: NumberFormatting.shortest((sum * 1e9).rounded() / 1e9))
            return nil
        }
        return (values, probabilities)
    }

    static func decodeAgeDistribution(_ r: inout ObjectReader, key: String, maximumAge: Int?) -> AgeDistribution? {
        guard let node = r.node(key, required: true) else { return nil }
        let path = r.childPath(key)
        switch node.value {
        case .number:
            guard let age = ObjectReader.integer(node, path: path, diagnostics: r.diagnostics, min: 1, max: maximumAge) else { return nil }
            r.setResolved(key, .object(["ages": .array([.integer(age)]), "probabilities": .array([.number(1)])]))
            return AgeDistribution(fixed: age)
        case .object:
            guard var child = ObjectReader(node, path: path, diagnostics: r.diagnostics) else { return nil }
            let pair = decodeDiscrete(&child, valuesKey: "ages", minValue: 1, maxValue: maximumAge)
            r.setResolved(key, child.finish())
            guard let pair else { return nil }
            return AgeDistribution(ages: pair.values, probabilities: pair.probabilities)
        default:
            r.diagnostics.add(path, "must be an age or an object {\"ages\": [...], \"probabilities\": [...]}", got: node.value)
            return nil
        }
    }

    /// An EV SD above √(p(1−p)) is an input error — except for a rate of exactly
    /// 0 or 1, which has no variance whatever SD is given (Vortex's own
    /// projects put EV on 100 % breeding; Vortex ignores it, and so do we).
    static func checkEV(_ r: ObjectReader, key: String, sd: Double, mean: Double, what: String) -> Bool {
        if mean == 0 || mean == 1 { return true }
        let limit = (mean * (1 - mean)).squareRoot()
        if sd > limit + 1e-12 {
            r.diagnostics.add(r.childPath(key), "EV SD is larger than √(p(1−p)) = \(NumberFormatting.fixed(limit, decimals: 4)) for \(what) \(NumberFormatting.shortest(mean))",
                              gotText: NumberFormatting.shortest(sd))
            return false
        }
        return true
    }

    static func decodeSpecies(_ r: inout ObjectReader, functions: FunctionContext) -> Species? {
        let convention = r.string("convention", oneOf: ["vortex", "dependency"]).flatMap(LifeHistoryConvention.init(rawValue:))
        let maximumAge = r.integer("maximumAge", min: 1, max: 250)
        let sexRatio = r.probability("sexRatioAtBirth", default: 0.5)
        let females = r.object("females", required: true) { f -> SexLifeHistory? in
            let first = decodeAgeDistribution(&f, key: "firstBreedingAge", maximumAge: maximumAge)
            let last = f.integer("lastBreedingAge", default: maximumAge, min: 1, max: maximumAge)
            guard let first, let last else { return nil }
            if last < first.ages.max()! {
                f.diagnostics.add(f.childPath("lastBreedingAge"), "must not be below the oldest first breeding age \(first.ages.max()!)", gotText: String(last))
                return nil
            }
            return SexLifeHistory(firstBreedingAge: first, lastBreedingAge: last)
        }
        var breedingPool: Double?
        let males = r.object("males", required: true) { m -> SexLifeHistory? in
            let first = decodeAgeDistribution(&m, key: "firstBreedingAge", maximumAge: maximumAge)
            let last = m.integer("lastBreedingAge", default: maximumAge, min: 1, max: maximumAge)
            breedingPool = m.probability("breedingPool", default: 1)
            guard let first, let last else { return nil }
            if last < first.ages.max()! {
                m.diagnostics.add(m.childPath("lastBreedingAge"), "must not be below the oldest first breeding age \(first.ages.max()!)", gotText: String(last))
                return nil
            }
            return SexLifeHistory(firstBreedingAge: first, lastBreedingAge: last)
        }
        let breeding = r.object("breeding", required: true) { b -> Breeding? in
            let dd = b.object("densityDependence", required: false) { d -> DensityDependence? in
                let p0 = d.probability("P0"), pK = d.probability("PK")
                let a = d.number("A", default: 0, min: 0, max: Limits.animalsReal), steep = d.number("B", default: 1, min: 0, max: 100, exclusiveMin: true)
                guard let p0, let pK, let a, let steep else { return nil }
                return DensityDependence(p0: p0, pK: pK, allee: a, steepness: steep)
            }
            let hasDD = b.has("densityDependence")
            let probability = b.quantity("probability", default: hasDD ? (dd?.p0 ?? 0) : nil, letters: functions.letters([.n, .k, .y, .year]),
                                         variables: functions.variables, min: 0, max: 1)
            let evSD = b.number("evSD", default: 0, min: 0, max: 0.5)
            let interval = b.integer("minimumInterval", default: 1, min: 1, max: 100)
            let requiresMale = b.bool("requiresMale", default: true)
            guard let probability, let evSD, let interval, let requiresMale else { return nil }
            if hasDD && dd == nil { return nil }
            if hasDD, probability.function != nil {
                b.diagnostics.add(b.childPath("probability"), "a function and densityDependence cannot both set the breeding probability (write the density dependence into the function)")
                return nil
            }
            if case .constant(let p) = probability {
                guard checkEV(b, key: "evSD", sd: evSD, mean: p, what: "breeding probability") else { return nil }
            }
            var breeding = Breeding(probability: 0, evSD: evSD, minimumInterval: interval, densityDependence: dd, requiresMale: requiresMale)
            breeding.setProbability(probability)
            return breeding
        }
        let litter = r.object("litterSize", required: true) { l -> LitterSize? in
            guard let kind = l.string("distribution", oneOf: ["discrete", "normal"]) else { return nil }
            if kind == "normal" {
                let mean = l.number("mean", min: 0, max: 100), sd = l.number("sd", min: 0, max: 50)
                guard let mean, let sd else { return nil }
                return .normal(mean: mean, sd: sd)
            }
            guard let pair = decodeDiscrete(&l, valuesKey: "sizes", minValue: 0, maxValue: Limits.litter) else { return nil }
            return .discrete(sizes: pair.values, probabilities: pair.probabilities)
        }
        var independence: Int? = 1
        if convention == .dependency {
            independence = r.integer("independenceAge", default: 2, min: 1, max: maximumAge)
        } else if r.has("independenceAge") {
            _ = r.node("independenceAge", required: false)
            r.diagnostics.add(r.childPath("independenceAge"), "applies only with \"convention\": \"dependency\"")
            independence = nil
        }
        let mortality = r.objects("mortality", required: true, allowEmpty: false) { m -> MortalityClass? in
            let from = m.integer("fromAge", min: 0, max: maximumAge)
            let letters = functions.letters([.n, .k, .y, .year, .a, .s])
            let female = m.quantity("female", letters: letters, variables: functions.variables, min: 0, max: 1)
            let male = m.quantity("male", letters: letters, variables: functions.variables, min: 0, max: 1)
            let evSD = m.number("evSD", default: 0, min: 0, max: 0.5)
            guard let from, let female, let male, let evSD else { return nil }
            if case .constant(let f) = female { guard checkEV(m, key: "evSD", sd: evSD, mean: f, what: "female mortality") else { return nil } }
            if case .constant(let v) = male { guard checkEV(m, key: "evSD", sd: evSD, mean: v, what: "male mortality") else { return nil } }
            var c = MortalityClass(fromAge: from, female: 0, male: 0, evSD: evSD)
            c.setRates(female: female, male: male)
            return c
        }
        if let mortality {
            if mortality.first?.fromAge != 0 {
                r.diagnostics.add(r.childPath("mortality[0].fromAge"), "the first class must start at age 0", gotText: String(mortality[0].fromAge))
            }
            for i in mortality.indices.dropFirst() where mortality[i].fromAge <= mortality[i - 1].fromAge {
                r.diagnostics.add(r.childPath("mortality[\(i)].fromAge"), "classes must be in increasing order of age (previous starts at \(mortality[i - 1].fromAge))", gotText: String(mortality[i].fromAge))
            }
        }
        if convention == .dependency, let females, let independence, females.firstBreedingAge.minimum < independence {
            r.diagnostics.add(r.childPath("females.firstBreedingAge"), "a female must be independent (independenceAge \(independence)) before she breeds", gotText: String(females.firstBreedingAge.minimum))
        }
        if convention == .dependency, let litter, let largest = litter.realisedDistribution.last?.size, largest > Limits.dependentLitter {
            r.diagnostics.add(r.childPath("litterSize"), "under the dependency rules litters may hold at most \(Limits.dependentLitter) young (the model follows every mother's young by sex); this distribution reaches \(largest)",
                              gotText: String(largest))
            return nil
        }
        guard let convention, let maximumAge, let sexRatio, let females, let males, let breedingPool,
              let breeding, let litter, let independence, let mortality else { return nil }
        return Species(convention: convention, maximumAge: maximumAge, sexRatioAtBirth: sexRatio,
                       females: females, males: males, maleBreedingPool: breedingPool, breeding: breeding,
                       litterSize: litter, independenceAge: independence, mortality: mortality)
    }

    // MARK: environment, catastrophes, capacity

    static func decodeEnvironment(_ r: inout ObjectReader) -> EnvironmentalVariation? {
        let distribution = r.string("distribution", default: "binomial", oneOf: ["binomial", "beta"]).flatMap(EVDistribution.init(rawValue:))
        let correlation = r.number("correlation", default: 0, min: -1, max: 1)
        guard let distribution, let correlation else { return nil }
        return EnvironmentalVariation(distribution: distribution, correlation: correlation)
    }

    static func decodeCatastrophe(_ r: inout ObjectReader) -> Catastrophe? {
        let name = r.string("name")
        let probability = r.probability("probability")
        let breeding = r.number("breedingSeverity", default: 1, min: 0, max: 10)
        let survival = r.number("survivalSeverity", default: 1, min: 0, max: 10)
        guard let name, let probability, let breeding, let survival else { return nil }
        return Catastrophe(name: name, probability: probability, breedingSeverity: breeding, survivalSeverity: survival)
    }

    static func decodeCapacity(_ r: inout ObjectReader, functions: FunctionContext) -> CarryingCapacity? {
        let k = r.quantity("K", letters: [.n, .y, .year], variables: functions.variables, min: 0, max: CarryingCapacity.largest, exclusiveMin: true)
        let evSD = r.number("evSD", default: 0, min: 0, max: CarryingCapacity.largest)
        let trend = r.object("trend", required: false) { t -> CapacityTrend? in
            let start = t.integer("startYear", min: -Limits.year, max: Limits.year), end = t.integer("endYear", min: -Limits.year, max: Limits.year)
            let change = t.number("changePerYear", min: -1, max: 10)
            guard let start, let end, let change else { return nil }
            if end < start {
                t.diagnostics.add(t.childPath("endYear"), "must not be before startYear \(start)", gotText: String(end))
                return nil
            }
            return CapacityTrend(startYear: start, endYear: end, changePerYear: change)
        }
        guard let k, let evSD else { return nil }
        if r.has("trend") && trend == nil { return nil }
        var capacity = CarryingCapacity(k: 0, evSD: evSD, trend: trend)
        switch k {
        case .constant(let v): capacity.k = v
        case .function(let f): capacity.kFunction = f
        }
        return capacity
    }

    // MARK: harvest and supplementation

    static func decodeSchedule(_ r: inout ObjectReader) -> Schedule? {
        let start = r.integer("startYear", min: -Limits.year, max: Limits.year), end = r.integer("endYear", min: -Limits.year, max: Limits.year)
        let interval = r.integer("interval", default: 1, min: 1, max: Limits.year)
        guard let start, let end, let interval else { return nil }
        if end < start {
            r.diagnostics.add(r.childPath("endYear"), "must not be before startYear \(start)", gotText: String(end))
            return nil
        }
        return Schedule(startYear: start, endYear: end, interval: interval)
    }

    static func decodeSex(_ r: inout ObjectReader) -> Sex? {
        r.string("sex", oneOf: ["female", "male"]).map { $0 == "female" ? .female : .male }
    }

    static func decodeHarvest(_ r: inout ObjectReader, species: Species?, functions: FunctionContext, hasLandscape: Bool, regions: Set<String>?) -> Harvest? {
        let schedule = decodeSchedule(&r)
        let region = decodeRegionName(&r, hasLandscape: hasLandscape, regions: regions)
        let maxAge = species?.maximumAge
        let classes = r.objects("classes", required: true, allowEmpty: false) { c -> HarvestClass? in
            let sex = decodeSex(&c)
            let minAge = c.integer("minAge", default: 0, min: 0, max: maxAge)
            let maxAgeValue = c.integer("maxAge", default: maxAge ?? 250, min: 0, max: maxAge)
            var amount: HarvestAmount?
            switch (c.has("count"), c.has("proportion")) {
            case (true, false):
                if case .string = c.node("count", required: false, markRead: false)?.value {
                    amount = c.quantity("count", letters: functions.letters([.n, .k, .y, .year, .s]), variables: functions.variables,
                                        min: 0, max: Double(Limits.animals)).flatMap { $0.function }.map { .countFunction($0) }
                } else {
                    amount = c.integer("count", min: 0, max: Limits.animals).map { .count($0) }
                }
            case (false, true):
                amount = c.quantity("proportion", letters: functions.letters([.n, .k, .y, .year, .s]), variables: functions.variables, min: 0, max: 1)
                    .map { q -> HarvestAmount in
                        switch q {
                        case .constant(let p): return .proportion(p)
                        case .function(let f): return .proportionFunction(f)
                        }
                    }
            case (true, true):
                _ = c.node("count", required: false)
                _ = c.node("proportion", required: false)
                c.diagnostics.add(c.path, "give either \"count\" or \"proportion\", not both")
            case (false, false):
                c.diagnostics.add(c.childPath("count"), "required key is missing (give \"count\" or \"proportion\")")
            }
            guard let sex, let minAge, let maxAgeValue, let amount else { return nil }
            if maxAgeValue < minAge {
                c.diagnostics.add(c.childPath("maxAge"), "must not be below minAge \(minAge)", gotText: String(maxAgeValue))
                return nil
            }
            return HarvestClass(sex: sex, minimumAge: minAge, maximumAge: maxAgeValue, amount: amount)
        }
        guard let schedule, let classes else { return nil }
        if r.has("region") && region == nil { return nil }
        return Harvest(schedule: schedule, classes: classes, region: region)
    }

    static func decodeAnimalCount(_ r: inout ObjectReader, maximumAge: Int?, minimumCount: Int, functions: FunctionContext? = nil) -> AnimalCount? {
        let sex = decodeSex(&r)
        let age = r.integer("age", min: 0, max: maximumAge)
        if let functions, case .string = r.node("count", required: false, markRead: false)?.value {
            let f = r.quantity("count", letters: functions.letters([.n, .k, .y, .year]), variables: functions.variables,
                               min: 0, max: Double(Limits.animals))?.function
            guard let sex, let age, let f else { return nil }
            var a = AnimalCount(sex: sex, age: age, count: 0)
            a.countFunction = f
            return a
        }
        let count = r.integer("count", min: minimumCount, max: Limits.animals)
        guard let sex, let age, let count else { return nil }
        return AnimalCount(sex: sex, age: age, count: count)
    }

    static func decodeSupplement(_ r: inout ObjectReader, species: Species?, hasLandscape: Bool, regions: Set<String>?,
                                 functions: FunctionContext) -> Supplement? {
        let schedule = decodeSchedule(&r)
        let animals = r.objects("animals", required: true, allowEmpty: false) {
            decodeAnimalCount(&$0, maximumAge: species?.maximumAge, minimumCount: 1, functions: functions)
        }
        let region = decodeRegionName(&r, hasLandscape: hasLandscape, regions: regions)
        guard let schedule, let animals else { return nil }
        if r.has("region") && region == nil { return nil }
        return Supplement(schedule: schedule, animals: animals, region: region)
    }

    /// An optional `region` that must name a region of the landscape.
    static func decodeRegionName(_ r: inout ObjectReader, hasLandscape: Bool, regions: Set<String>?) -> String? {
        guard r.has("region") else { return nil }
        guard hasLandscape else {
            _ = r.node("region", required: false)
            r.diagnostics.add(r.childPath("region"), "regions need a landscape, which this scenario does not have")
            return nil
        }
        guard let name = r.string("region") else { return nil }
        if let regions, !regions.contains(name) {
            r.diagnostics.add(r.childPath("region"), "no region of this name in landscape.regions (" + regions.sorted().map { "\"\($0)\"" }.joined(separator: ", ") + ")", gotText: "\"\(name)\"")
            return nil
        }
        return name
    }

    // MARK: initial population

    static func decodeInitialGroup(_ r: inout ObjectReader, species: Species?, hasLandscape: Bool, regions: Set<String>?) -> InitialGroup? {
        let kinds = ["adults", "total", "individuals"].filter { r.has($0) }
        if kinds.count != 1 {
            for kind in kinds { _ = r.node(kind, required: false) }
            r.diagnostics.add(r.path, kinds.isEmpty ? "give one of \"adults\", \"total\" or \"individuals\""
                                                    : "give only one of " + kinds.map { "\"\($0)\"" }.joined(separator: ", "))
            return nil
        }
        let region = decodeRegionName(&r, hasLandscape: hasLandscape, regions: regions)
        var composition: InitialComposition?
        switch kinds[0] {
        case "adults":
            composition = r.object("adults", required: true) { a -> InitialComposition? in
                let f = a.integer("females", min: 0, max: Limits.animals), m = a.integer("males", min: 0, max: Limits.animals)
                guard let f, let m else { return nil }
                return .adults(females: f, males: m)
            }
        case "total":
            composition = r.integer("total", min: 1, max: Limits.animals).map { .total($0) }
        default:
            composition = r.objects("individuals", required: true, allowEmpty: false) {
                decodeAnimalCount(&$0, maximumAge: species?.maximumAge, minimumCount: 0)
            }.map { .individuals($0) }
        }
        // (A bad region is reported once; the composition is still read, so its keys are not
        // reported as unknown.)
        guard let composition, !(r.has("region") && region == nil) else { return nil }
        return InitialGroup(composition, region: region)
    }

    static func decodeInitialPopulation(_ r: inout ObjectReader, species: Species?, hasLandscape: Bool, regions: Set<String>?) -> [InitialGroup]? {
        guard let node = r.node("initialPopulation", required: true) else { return nil }
        let path = r.childPath("initialPopulation")
        switch node.value {
        case .array(let items):
            if items.isEmpty {
                r.diagnostics.add(path, "must not be empty", got: node.value)
                return nil
            }
            var groups: [InitialGroup] = []
            var outputs: [JSONOutput] = []
            var failed = false
            for (i, item) in items.enumerated() {
                guard var child = ObjectReader(item, path: "\(path)[\(i)]", diagnostics: r.diagnostics) else { failed = true; continue }
                if let group = decodeInitialGroup(&child, species: species, hasLandscape: hasLandscape, regions: regions) { groups.append(group) } else { failed = true }
                outputs.append(child.finish())
            }
            r.setResolved("initialPopulation", .array(outputs))
            return failed ? nil : groups
        default:
            guard var child = ObjectReader(node, path: path, diagnostics: r.diagnostics) else { return nil }
            let group = decodeInitialGroup(&child, species: species, hasLandscape: hasLandscape, regions: regions)
            r.setResolved("initialPopulation", child.finish())
            return group.map { [$0] }
        }
    }
}

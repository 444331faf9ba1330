import Foundation

/// Mean yearly rates for a deterministic projection.
public struct MeanRates: Sendable {
    /// Survival of `sex` from `age` to `age + 1`, indexed [sex.rawValue][age]
    /// (0 at the maximum age).
    public var survival: [[Double]]
    /// Probability that an eligible female breeds.
    public var breedingProbability: Double

    public init(survival: [[Double]], breedingProbability: Double) {
        self.survival = survival
        self.breedingProbability = breedingProbability
    }

    /// The scenario's own mean rates, with catastrophes at their expected effect.
    public init(species: Species, catastrophes: [Catastrophe] = []) {
        var breedingFactor = 1.0, survivalFactor = 1.0
        for c in catastrophes {
            breedingFactor *= 1 - c.probability + c.probability * c.breedingSeverity
            survivalFactor *= 1 - c.probability + c.probability * c.survivalSeverity
        }
        survival = Sex.allCases.map { sex in
            (0...species.maximumAge).map { min(1, species.survival(sex, age: $0) * survivalFactor) }
        }
        breedingProbability = min(1, species.breeding.probability * breedingFactor)
    }
}

/// One kind of family unit at the census: an independent animal, and for a
/// mother under the dependency rules, her dependent young.
public struct FamilyUnit: Sendable, Equatable, Hashable {
    public var sex: Sex
    public var age: Int
    /// Index into the sex's first-breeding-age distribution.
    public var maturityIndex: Int
    /// Years since her last litter, capped at the minimum interval (females).
    public var sinceLitter: Int
    /// Age of her dependent young (0 = none).
    public var cubAge: Int
    public var cubFemales: Int
    public var cubMales: Int

    public var size: Int { 1 + cubFemales + cubMales }
}

/// The model's own deterministic projection: a multi-type branching process
/// whose types are family units (a female's age, her first breeding age, the
/// years since her last litter, and her dependent young by sex and age).
/// Its mean matrix carries every rule the engine applies — the dependency
/// rules of MODEL.md §4.1, the minimum interval between litters, maturity as
/// a distribution, the exact litter-size distribution — so its dominant
/// eigenvalue is the growth rate a threat-free, unlimited population of the
/// engine has (`lambdaModel`), and its dominant eigenvector is the stable
/// structure used to build initial populations.
///
/// The eigenpair is found by power iteration on M + I (the shift keeps the
/// dominant root strictly dominant even when the life cycle is periodic).
public struct FamilyProjection: Sendable {
    public var lambda: Double
    /// Stable proportions of family units (summing to 1 over units).
    public var units: [(unit: FamilyUnit, share: Double)]
    public var iterations: Int

    public init(species: Species, rates: MeanRates) {
        let builder = ProjectionBuilder(species: species, rates: rates)
        let (lambda, vector, iterations) = builder.dominantEigenpair()
        self.lambda = lambda
        self.iterations = iterations
        var out: [(unit: FamilyUnit, share: Double)] = []
        for (i, unit) in builder.types.enumerated() where vector[i] > 0 { out.append((unit: unit, share: vector[i])) }
        self.units = out
    }

    /// Stable proportions of individuals by sex and census age (sum 1).
    public var stableAgeDistribution: [(age: Int, female: Double, male: Double)] {
        let maxAge = units.reduce(0) { max($0, $1.unit.age) }
        var female = [Double](repeating: 0, count: maxAge + 1), male = female
        var total = 0.0
        for (unit, share) in units {
            if unit.sex == .female { female[unit.age] += share } else { male[unit.age] += share }
            female[unit.cubAge] += share * Double(unit.cubFemales)
            male[unit.cubAge] += share * Double(unit.cubMales)
            total += share * Double(unit.size)
        }
        guard total > 0 else { return [] }
        return (1...max(1, maxAge)).map { (age: $0, female: female[$0] / total, male: male[$0] / total) }
    }
}

/// Builds the reachable types and their expected transitions.
private final class ProjectionBuilder {
    let species: Species
    let rates: MeanRates
    private(set) var types: [FamilyUnit] = []
    private var index: [FamilyUnit: Int] = [:]
    private var edges: [[(to: Int, weight: Double)]] = []
    private let cap: Int
    /// Joint distribution of surviving newborns (females, males) given a litter ≥ 1, and P(litter ≥ 1).
    private var newborns: [(f: Int, m: Int, p: Double)] = []
    private var pLitter = 0.0

    init(species: Species, rates: MeanRates) {
        self.species = species
        self.rates = rates
        cap = max(1, species.breeding.minimumInterval)
        computeNewbornOutcomes()
        let startAge = species.usesDependency ? species.independenceAge : 1
        for sex in Sex.allCases {
            for k in species.lifeHistory(sex).firstBreedingAge.ages.indices {
                _ = id(FamilyUnit(sex: sex, age: startAge, maturityIndex: k, sinceLitter: cap, cubAge: 0, cubFemales: 0, cubMales: 0))
            }
        }
        var next = 0
        while next < types.count {
            let from = next
            let successors = transitions(types[from])
            edges[from] = successors.map { (to: id($0.unit), weight: $0.weight) }
            next += 1
        }
    }

    private func id(_ unit: FamilyUnit) -> Int {
        if let existing = index[unit] { return existing }
        types.append(unit)
        edges.append([])
        index[unit] = types.count - 1
        return types.count - 1
    }

    private static func binomialPMF(_ n: Int, _ p: Double) -> [Double] {
        (0...n).map { k in
            exp(SpecialFunctions.logChoose(n, k)) * pow(p, Double(k)) * pow(1 - p, Double(n - k))
        }
    }

    private func survival(_ sex: Sex, _ age: Int) -> Double {
        let table = rates.survival[Int(sex.rawValue)]
        return age < table.count ? table[age] : 0
    }

    /// Mean surviving female and male newborns of a litter of at least one (no dependency rules).
    private var meanNewborns = (f: 0.0, m: 0.0)

    private func computeNewbornOutcomes() {
        let maleShare = species.sexRatioAtBirth
        let distribution = species.litterSize.realisedDistribution.filter { $0.size >= 1 }
        pLitter = distribution.reduce(0) { $0 + $1.probability }
        guard pLitter > 0 else { return }
        guard species.usesDependency else {
            // Young are independent from birth: only the means matter.
            let meanSize = distribution.reduce(0) { $0 + Double($1.size) * $1.probability } / pLitter
            meanNewborns = (meanSize * (1 - maleShare) * survival(.female, 0), meanSize * maleShare * survival(.male, 0))
            return
        }
        // Under the dependency rules a mother's state holds her young by sex: the joint
        // distribution of surviving newborns (females, males) given a litter ≥ 1.
        var joint: [Int: [Int: Double]] = [:]
        for (size, probability) in distribution {
            let sexes = Self.binomialPMF(size, 1 - maleShare)
            for females in 0...size {
                let sf = Self.binomialPMF(females, survival(.female, 0))
                let sm = Self.binomialPMF(size - females, survival(.male, 0))
                for f in 0...females {
                    for m in 0...(size - females) {
                        joint[f, default: [:]][m, default: 0] += probability * sexes[females] * sf[f] * sm[m]
                    }
                }
            }
        }
        for f in joint.keys.sorted() {
            for m in joint[f]!.keys.sorted() { newborns.append((f: f, m: m, p: joint[f]![m]! / pLitter)) }
        }
    }

    private func independent(_ sex: Sex, age: Int, weight: Double, into out: inout [(unit: FamilyUnit, weight: Double)]) {
        guard weight > 0 else { return }
        let distribution = species.lifeHistory(sex).firstBreedingAge
        for (k, pk) in distribution.probabilities.enumerated() where pk > 0 {
            out.append((unit: FamilyUnit(sex: sex, age: age, maturityIndex: k, sinceLitter: cap, cubAge: 0, cubFemales: 0, cubMales: 0),
                        weight: weight * pk))
        }
    }

    private func transitions(_ u: FamilyUnit) -> [(unit: FamilyUnit, weight: Double)] {
        var out: [(unit: FamilyUnit, weight: Double)] = []
        let sm = survival(u.sex, u.age)
        func aged(_ sinceLitter: Int, _ cubAge: Int = 0, _ f: Int = 0, _ m: Int = 0) -> FamilyUnit {
            FamilyUnit(sex: u.sex, age: u.age + 1, maturityIndex: u.maturityIndex, sinceLitter: sinceLitter,
                       cubAge: f + m > 0 ? cubAge : 0, cubFemales: f, cubMales: m)
        }
        if u.sex == .male {
            if sm > 0 { out.append((unit: aged(cap), weight: sm)) }
            return out
        }
        let nextSince = min(u.sinceLitter + 1, cap)
        let independence = species.independenceAge
        if u.cubAge > 0 {
            // A mother with dependent young does not breed; the young survive only with her.
            let sf = Self.binomialPMF(u.cubFemales, survival(.female, u.cubAge))
            let smc = Self.binomialPMF(u.cubMales, survival(.male, u.cubAge))
            let cubAge = u.cubAge + 1
            for f in 0...u.cubFemales {
                for m in 0...u.cubMales {
                    let mass = sm * sf[f] * smc[m]
                    guard mass > 0 else { continue }
                    if cubAge >= independence {
                        out.append((unit: aged(nextSince), weight: mass))
                        independent(.female, age: cubAge, weight: mass * Double(f), into: &out)
                        independent(.male, age: cubAge, weight: mass * Double(m), into: &out)
                    } else {
                        out.append((unit: aged(nextSince, cubAge, f, m), weight: mass))
                    }
                }
            }
            return out
        }
        let maturity = species.females.firstBreedingAge.ages[u.maturityIndex]
        let eligible = u.age >= maturity && u.age <= species.females.lastBreedingAge && u.sinceLitter >= species.breeding.minimumInterval
        let pBreed = eligible ? rates.breedingProbability * pLitter : 0
        if sm * (1 - pBreed) > 0 { out.append((unit: aged(nextSince), weight: sm * (1 - pBreed))) }
        guard pBreed > 0 else { return out }
        if species.usesDependency {
            for outcome in newborns {
                let mass = sm * pBreed * outcome.p
                guard mass > 0 else { continue }
                if 1 >= independence {
                    out.append((unit: aged(1), weight: mass))
                    independent(.female, age: 1, weight: mass * Double(outcome.f), into: &out)
                    independent(.male, age: 1, weight: mass * Double(outcome.m), into: &out)
                } else {
                    out.append((unit: aged(1, 1, outcome.f, outcome.m), weight: mass))
                }
            }
        } else {
            if sm > 0 { out.append((unit: aged(1), weight: sm * pBreed)) }
            independent(.female, age: 1, weight: pBreed * meanNewborns.f, into: &out)
            independent(.male, age: 1, weight: pBreed * meanNewborns.m, into: &out)
        }
        return out
    }

    /// Power iteration on M + I; returns λ, the stable unit vector (sum 1) and the iteration count.
    /// The edges are laid out flat (from-offsets, targets, weights) for the loop, which runs up
    /// to hundreds of thousands of times on every model built; the sums are taken in the same
    /// order as over the per-type edge lists.
    func dominantEigenpair() -> (Double, [Double], Int) {
        let n = types.count
        var offsets = [Int](repeating: 0, count: n + 1), targets: [Int] = [], weights: [Double] = []
        for from in 0..<n {
            for edge in edges[from] {
                targets.append(edge.to)
                weights.append(edge.weight)
            }
            offsets[from + 1] = targets.count
        }
        var v = [Double](repeating: 1 / Double(n), count: n)
        var next = v
        var estimate = 0.0
        var stable = 0
        var iteration = 0
        while iteration < 500_000 {
            iteration += 1
            for i in 0..<n { next[i] = v[i] }
            for from in 0..<n where v[from] != 0 {
                let x = v[from]
                for e in offsets[from]..<offsets[from + 1] { next[targets[e]] += weights[e] * x }
            }
            var total = 0.0
            for i in 0..<n { total += next[i] }
            let newEstimate = total - 1  // Σv = 1, so Σ(M+I)v = λ + 1 at the fixed point
            for i in 0..<n { v[i] = next[i] / total }
            // Converged when the estimate moves by no more than rounding noise (a few ulps).
            if abs(newEstimate - estimate) <= max(1e-15, 8 * (newEstimate + 1).ulp) { stable += 1 } else { stable = 0 }
            estimate = newEstimate
            if stable >= 20 && iteration >= 100 { break }
        }
        return (max(0, estimate), v, iteration)
    }
}

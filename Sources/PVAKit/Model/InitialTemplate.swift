/// The family units an initial group starts with, allocated deterministically
/// (the same in every replicate, as Vortex does) from the stable structure of
/// the model's own projection; or an explicit list.
struct InitialTemplate: Sendable {
    /// Family units (an independent animal and, for a mother, her dependent young) with counts.
    var units: [(unit: FamilyUnit, count: Int)] = []
    /// Explicitly listed animals (maturity drawn per replicate).
    var individuals: [AnimalCount] = []
    /// Placement region index (nil = anywhere on the map).
    var region: Int?

    var totalAnimals: Int {
        units.reduce(0) { $0 + $1.count * $1.unit.size } + individuals.reduce(0) { $0 + $1.count }
    }

    init(group: InitialGroup, species: Species, projection: FamilyProjection, region: Int?) {
        self.region = region
        switch group.composition {
        case .individuals(let list):
            individuals = list
        case .total(let n):
            units = Self.allocateTotal(n, projection.units)
        case .adults(let females, let males):
            units = Self.allocateAdults(females: females, males: males, projection.units, species: species)
        }
    }

    static func isAdult(_ u: FamilyUnit, species: Species) -> Bool {
        u.age >= species.lifeHistory(u.sex).firstBreedingAge.ages[u.maturityIndex]
    }

    /// Largest-remainder rounding of `targets` to integers summing to `total`
    /// (ties go to the earlier index).
    static func largestRemainder(_ targets: [Double], total: Int) -> [Int] {
        var counts = targets.map { Int($0.rounded(.down)) }
        var remaining = total - counts.reduce(0, +)
        let order = targets.indices.sorted {
            let a = targets[$0] - Double(counts[$0]), b = targets[$1] - Double(counts[$1])
            return a != b ? a > b : $0 < $1
        }
        var i = 0
        while remaining > 0 && !order.isEmpty {
            counts[order[i % order.count]] += 1
            remaining -= 1
            i += 1
        }
        return counts
    }

    /// Units at the stable proportions whose animals (young included) number exactly `n`.
    static func allocateTotal(_ n: Int, _ stable: [(unit: FamilyUnit, share: Double)]) -> [(unit: FamilyUnit, count: Int)] {
        let perUnit = stable.reduce(0) { $0 + $1.share * Double($1.unit.size) }
        guard perUnit > 0 else { return [] }
        let targets = stable.map { $0.share * Double(n) / perUnit }
        var counts = targets.map { Int($0.rounded(.down)) }
        var animals = zip(counts, stable).reduce(0) { $0 + $1.0 * $1.1.unit.size }
        let order = targets.indices.sorted {
            let a = targets[$0] - Double(counts[$0]), b = targets[$1] - Double(counts[$1])
            return a != b ? a > b : $0 < $1
        }
        for i in order where animals + stable[i].unit.size <= n {
            counts[i] += 1
            animals += stable[i].unit.size
        }
        // Top up with single animals (largest shortfall first) until the total is exact.
        let singles = stable.indices.filter { stable[$0].unit.size == 1 }
        while animals < n && !singles.isEmpty {
            let i = singles.max { (targets[$0] - Double(counts[$0])) < (targets[$1] - Double(counts[$1])) }!
            counts[i] += 1
            animals += 1
        }
        return zip(stable, counts).filter { $0.1 > 0 }.map { (unit: $0.0.unit, count: $0.1) }
    }

    static func allocateAdults(females: Int, males: Int, _ stable: [(unit: FamilyUnit, share: Double)],
                               species: Species) -> [(unit: FamilyUnit, count: Int)] {
        var counts = [Int](repeating: 0, count: stable.count)
        var extra: [(unit: FamilyUnit, count: Int)] = []
        var adultShare = 0.0
        for sex in Sex.allCases {
            let indices = stable.indices.filter { stable[$0].unit.sex == sex && isAdult(stable[$0].unit, species: species) }
            let shares = indices.map { stable[$0].share }
            let sum = shares.reduce(0, +)
            adultShare += sum
            let wanted = sex == .female ? females : males
            guard sum > 0 else {
                // The stable structure holds no adult of this sex (e.g. nobody survives to
                // breed): place them anyway, at their first breeding age, without young.
                if wanted > 0 { extra.append((unit: FamilyUnit(sex: sex, age: species.lifeHistory(sex).firstBreedingAge.ages[0], maturityIndex: 0, sinceLitter: max(1, species.breeding.minimumInterval), cubAge: 0, cubFemales: 0, cubMales: 0), count: wanted)) }
                continue
            }
            // Mothers with young first, then the rest, so a small group still gets its stable
            // share of mothers: rounding over the many kinds of family at once gave 10 or fewer
            // females no young at all (each kind of mother's share rounds down to nothing).
            let mother = indices.map { stable[$0].unit.cubFemales + stable[$0].unit.cubMales > 0 }
            let motherShare = zip(shares, mother).reduce(0.0) { $0 + ($1.1 ? $1.0 : 0) }
            let split = largestRemainder([motherShare / sum * Double(wanted), (sum - motherShare) / sum * Double(wanted)], total: wanted)
            for (k, isMother) in [true, false].enumerated() {
                let group = indices.indices.filter { mother[$0] == isMother }
                let groupSum = group.reduce(0.0) { $0 + shares[$1] }
                guard groupSum > 0 else { continue }
                let allocated = largestRemainder(group.map { shares[$0] / groupSum * Double(split[k]) }, total: split[k])
                for (j, c) in zip(group, allocated) { counts[indices[j]] = c }
            }
        }
        // Independent young in their stable ratio to adults.
        let young = stable.indices.filter { !isAdult(stable[$0].unit, species: species) }
        if adultShare > 0 && !young.isEmpty {
            let scale = Double(females + males) / adultShare
            let targets = young.map { stable[$0].share * scale }
            let allocated = largestRemainder(targets, total: Int(targets.reduce(0, +).rounded()))
            for (i, c) in zip(young, allocated) { counts[i] = c }
        }
        return zip(stable, counts).filter { $0.1 > 0 }.map { (unit: $0.0.unit, count: $0.1) } + extra
    }
}

import Foundation
import Testing
@testable import PVAKit

/// Genetics (MODEL.md §4.8): exact pedigree F, gene drop, lethals and purging,
/// inbreeding depression. Statistical tests state replicates, seed and a tolerance
/// from the Monte Carlo standard error.
@Suite struct GeneticsTests {
    /// A table and a genetic state with `founders` founders (sexes alternate f, m, f, m, …).
    static func pedigree(founderKinship: Double, founders: Int) -> (AnimalTable, GeneticState) {
        var settings = GeneticsSettings()
        settings.founderKinship = founderKinship
        let t = AnimalTable(features: [.pedigree, .genetics])
        let g = GeneticState(settings: settings, captive: [(settings.releaseSourceKinship, settings.releaseSourceKinship)])
        g.reset(masterSeed: 1, index: 0)
        for i in 0..<founders { t.append(sex: i % 2 == 0 ? .female : .male, age: 3, maturity: 3) }
        g.addFounders(t)
        return (t, g)
    }

    static func young(_ t: AnimalTable, _ g: GeneticState, mother: Int, father: Int, sex: Sex) -> Int {
        let row = t.append(sex: sex, age: 0, maturity: 3)
        g.addOffspring(row, mother: mother, father: father, table: t)
        return row
    }

    @Test func pedigreeInbreedingIsExact() {
        // Founders: A (0, f), B (1, m), C (2, f), D (3, m), E (4, f), unrelated.
        let (t, g) = Self.pedigree(founderKinship: 0, founders: 5)
        let (a, b, c, d, e) = (0, 1, 2, 3, 4)
        let x = Self.young(t, g, mother: a, father: b, sex: .female)   // full sibs x, y
        let y = Self.young(t, g, mother: a, father: b, sex: .male)
        #expect(g.inbreeding(ofRow: x, table: t) == 0, "offspring of unrelated founders")
        let sibs = Self.young(t, g, mother: x, father: y, sex: .female)
        #expect(g.inbreeding(ofRow: sibs, table: t) == 0.25, "offspring of full siblings")
        let parentOffspring = Self.young(t, g, mother: a, father: y, sex: .female)
        #expect(g.inbreeding(ofRow: parentOffspring, table: t) == 0.25, "offspring of parent × offspring")
        let z = Self.young(t, g, mother: c, father: b, sex: .female)    // half sib of y through B
        let halfSibs = Self.young(t, g, mother: z, father: y, sex: .male)
        #expect(g.inbreeding(ofRow: halfSibs, table: t) == 0.125, "offspring of half siblings")
        let p = Self.young(t, g, mother: x, father: d, sex: .female)    // cousins p, q
        let q = Self.young(t, g, mother: e, father: y, sex: .male)
        let cousins = Self.young(t, g, mother: p, father: q, sex: .female)
        #expect(g.inbreeding(ofRow: cousins, table: t) == 0.0625, "offspring of first cousins")
        // Kinship is symmetric and self-kinship is (1 + F)/2.
        #expect(g.kinship(x, y, table: t) == g.kinship(y, x, table: t))
        #expect(g.kinship(sibs, sibs, table: t) == 0.625)
    }

    /// (1e-5 and 1e-300: a kinship near 0 gives a capped allele pool, and once overflowed it.)
    @Test(arguments: [0.05, 0.1, 0.25, 1e-5, 1e-300])
    func foundersWithKinshipKHaveOffspringWithFK(_ k: Double) {
        let (t, g) = Self.pedigree(founderKinship: k, founders: 4)
        #expect(g.inbreeding(ofRow: 0, table: t) == Double(Float(k)), "a founder's own F is the founders' kinship")
        let young = Self.young(t, g, mother: 0, father: 1, sex: .female)
        #expect(g.inbreeding(ofRow: young, table: t) == Double(Float(k)))
        // Offspring of two founders' young (half of each pair unrelated through founders only):
        // k(young1, young2) = k when all four grandparents are distinct founders with kinship k.
        let other = Self.young(t, g, mother: 2, father: 3, sex: .male)
        let grandchild = Self.young(t, g, mother: young, father: other, sex: .female)
        #expect(abs(g.inbreeding(ofRow: grandchild, table: t) - k) < 1e-7)
    }

    /// A slot freed by a death is reused; the kinship of the survivors is untouched and the
    /// running mean kinship equals a direct sum over the living.
    @Test func deathsFreeSlotsAndKeepMeanKinshipExact() throws {
        let (t, g) = Self.pedigree(founderKinship: 0.1, founders: 6)
        var rng = RandomStream(seed: 5)
        for _ in 0..<40 {
            let mothers = (0..<t.count).filter { t.sex[$0] == Sex.female.rawValue }
            let fathers = (0..<t.count).filter { t.sex[$0] == Sex.male.rawValue }
            _ = Self.young(t, g, mother: mothers[rng.below(mothers.count)], father: fathers[rng.below(fathers.count)],
                           sex: rng.uniform() < 0.5 ? .female : .male)
            if t.count > 12 {
                t.fate[rng.below(t.count)] = DeathCause.natural.rawValue
                var removed = [Int](repeating: 0, count: DeathCause.count)
                removed.withUnsafeMutableBufferPointer { t.compact(countingInto: $0.baseAddress!) }
            }
        }
        let measures = try #require(g.measures(t))
        var direct = 0.0
        for i in 0..<t.count { for j in 0..<t.count { direct += g.kinship(i, j, table: t) } }
        direct /= Double(t.count * t.count)
        #expect(abs(measures[GeneticMeasure.meanKinship.rawValue] - direct) < 1e-6, "running \(measures[4]) vs direct \(direct)")
    }

    /// A pedigree of `years` batches of young (random parents among the living, a father
    /// unknown with probability `unknownFathers`) with deaths between them, the kinship kept in
    /// the lists from the start when `lists`.
    static func randomPedigree(lists: Bool, unknownFathers: Double, years: Int = 12) -> (AnimalTable, GeneticState) {
        let (t, g) = Self.pedigree(founderKinship: 0.1, founders: 10)
        if lists { g.convertToLists() }
        var rng = RandomStream(seed: 11)
        for _ in 0..<years {
            let mothers = (0..<t.count).filter { t.sex[$0] == Sex.female.rawValue }
            let fathers = (0..<t.count).filter { t.sex[$0] == Sex.male.rawValue }
            for _ in 0..<6 {
                let mother = mothers[rng.below(mothers.count)]
                let father = rng.uniform() < unknownFathers ? -1 : fathers[rng.below(fathers.count)]
                for _ in 0..<(1 + rng.below(3)) {
                    let row = t.append(sex: rng.uniform() < 0.5 ? .female : .male, age: 0, maturity: 3)
                    g.queueOffspring(row, mother: mother, father: father)
                }
            }
            g.addQueuedOffspring(t)
            for _ in 0..<(t.count / 4) { t.fate[rng.below(t.count)] = DeathCause.natural.rawValue }
            var removed = [Int](repeating: 0, count: DeathCause.count)
            removed.withUnsafeMutableBufferPointer { t.compact(countingInto: $0.baseAddress!) }
        }
        return (t, g)
    }

    /// The lists (a large map's storage) give the matrix's kinship and F, through batches of
    /// year-mates, deaths and reused slots: bit for bit when every animal descends from the
    /// wild founders alone; with unknown fathers (ancestry shares other than 1, so the
    /// background is k·p(a)·p(b)) within Float rounding, as the matrix's ½(b + b′) and the
    /// lists' k·p·p of an unrelated pair can differ in the last bit.
    @Test(arguments: [0.0, 0.3])
    func listsGiveTheMatrixKinship(unknownFathers: Double) throws {
        let (t, matrix) = Self.randomPedigree(lists: false, unknownFathers: unknownFathers)
        let (u, lists) = Self.randomPedigree(lists: true, unknownFathers: unknownFathers)
        #expect(matrix.usesMatrix && !lists.usesMatrix)
        #expect(t.count == u.count && t.count > 30)
        var related = 0
        let rounding = unknownFathers > 0 ? 1e-7 : 0
        for i in 0..<t.count {
            #expect(abs(matrix.inbreeding(ofRow: i, table: t) - lists.inbreeding(ofRow: i, table: u)) <= rounding)
            for j in 0..<t.count {
                #expect(abs(matrix.kinship(i, j, table: t) - lists.kinship(i, j, table: u)) <= rounding, "rows \(i), \(j)")
                related += abs(matrix.kinship(i, j, table: t) - 0.1) > 1e-6 ? 1 : 0
            }
        }
        #expect(related > t.count)
        let a = try #require(matrix.measures(t)), b = try #require(lists.measures(u))
        #expect(abs(a[GeneticMeasure.meanKinship.rawValue] - b[GeneticMeasure.meanKinship.rawValue]) < 1e-6)
        #expect(abs(a[GeneticMeasure.meanF.rawValue] - b[GeneticMeasure.meanF.rawValue]) <= rounding)
        // The running sum against a direct one: a pair of year-mates can hold values one Float
        // ulp apart in its two directions, and a death takes its own direction twice.
        var direct = 0.0
        for i in 0..<u.count { for j in 0..<u.count { direct += lists.kinship(i, j, table: u) } }
        #expect(abs(b[GeneticMeasure.meanKinship.rawValue] - direct / Double(u.count * u.count)) < 1e-8)
    }

    /// More founders than the matrix holds go straight to the lists (no matrix of them is built
    /// first), with their kinship: for n founders of kinship k and F = k, mean kinship
    /// is (n(n − 1)k + n·½(1 + k)) / n²; and a young of two founders has F = k.
    @Test func aFounderSetLargerThanTheMatrixStartsInTheLists() throws {
        let n = GeneticState.matrixSlots + 100, k = 0.1
        let (t, g) = Self.pedigree(founderKinship: k, founders: n)
        #expect(!g.usesMatrix)
        let measures = try #require(g.measures(t))
        let expected = (Double(n) * Double(n - 1) * k + Double(n) * 0.5 * (1 + k)) / (Double(n) * Double(n))
        // Kinship is kept in Float: k = 0.1 is held as 0.10000000149.
        #expect(abs(measures[GeneticMeasure.meanKinship.rawValue] - expected) < 1e-8)
        #expect(abs(measures[GeneticMeasure.meanF.rawValue] - k) < 1e-7)
        let young = Self.young(t, g, mother: 0, father: 1, sex: .female)
        #expect(abs(g.inbreeding(ofRow: young, table: t) - k) < 1e-7)
        #expect(abs(g.kinship(young, 0, table: t) - 0.5 * (0.5 * (1 + k) + k)) < 1e-7, "parent and young")
    }

    /// Full sibs, half sibs and cousins in the lists, as `pedigreeInbreedingIsExact` in the matrix.
    @Test func listsKeepPedigreeInbreedingExact() {
        let (t, g) = Self.pedigree(founderKinship: 0, founders: 5)
        g.convertToLists()
        let (a, b, c, d, e) = (0, 1, 2, 3, 4)
        let x = Self.young(t, g, mother: a, father: b, sex: .female)
        let y = Self.young(t, g, mother: a, father: b, sex: .male)
        let sibs = Self.young(t, g, mother: x, father: y, sex: .female)
        #expect(g.inbreeding(ofRow: sibs, table: t) == 0.25)
        let z = Self.young(t, g, mother: c, father: b, sex: .female)
        #expect(g.inbreeding(ofRow: Self.young(t, g, mother: z, father: y, sex: .male), table: t) == 0.125)
        let p = Self.young(t, g, mother: x, father: d, sex: .female)
        let q = Self.young(t, g, mother: e, father: y, sex: .male)
        #expect(g.inbreeding(ofRow: Self.young(t, g, mother: p, father: q, sex: .female), table: t) == 0.0625)
        #expect(g.kinship(x, y, table: t) == g.kinship(y, x, table: t))
        #expect(g.kinship(sibs, sibs, table: t) == 0.625)
        #expect(g.kinship(a, c, table: t) == 0, "unrelated founders: the background, no entry")
    }

    static func example(_ change: (inout Scenario) -> Void = { _ in }) throws -> (RunResult, Scenario) {
        var s = try TestSupport.loadScenario("genetics-example.json").scenario
        change(&s)
        return (MonteCarlo.run(EngineModel(scenario: s)), s)
    }

    /// The example's expected loss of gene diversity a generation, c = 1/(2Ne): two distinct
    /// gene copies of the new generation come from one parental copy with probability
    /// (2N − 2)/(2N − 1) · ⅛ · (S_f + S_m), where S_f and S_m are the probabilities that two
    /// distinct young share their mother or their father. Nf females each have 4 young (M = 4Nf),
    /// each father L litters (L ~ Binomial(Nf, 1/Nm)), and N of the M young are kept at random:
    /// S_f = 12 Nf / (M(M − 1)), S_m = Nm(16E[L²] − 4E[L]) / (M(M − 1)); averaged over the
    /// parents' sex ratio Nf ~ Binomial(N, ½).
    static func expectedLoss(n: Int) -> Double {
        var loss = 0.0, weight = 0.0
        let N = Double(n)
        for nf in 1..<n where 4 * nf >= n {
            let f = Double(nf), m = Double(n - nf), M = 4 * f
            let logP: Double = lgamma(N + 1) - lgamma(f + 1) - lgamma(N - f + 1) - N * log(2.0)
            let p: Double = exp(logP)
            let eL: Double = f / m
            let eL2: Double = eL * (1 - 1 / m) + eL * eL
            let pairs: Double = M * (M - 1)
            let sf: Double = 12 * f / pairs
            let sm: Double = m * (16 * eL2 - 4 * eL) / pairs
            let share: Double = (2 * N - 2) / (2 * N - 1) / 8
            loss += p * share * (sf + sm)
            weight += p
        }
        return loss / weight
    }

    @Test func geneDiversityStartsAt1Minus1Over2NAndFallsBy1Over2NePerGeneration() throws {
        // 500 replicates, seed 8 (the example's own), 50 generations of N = 100.
        let (result, s) = try Self.example()
        let census = result.census
        let n0 = 100
        let start = try #require(census.genetic(.geneDiversity, t: 0).mean)
        #expect(abs(start - (1 - 1 / Double(2 * n0))) < 1e-12, "unique founder alleles: \(start)")
        let c = Self.expectedLoss(n: n0)
        let ne = 1 / (2 * c)
        #expect(ne > 79 && ne < 81.5, "Ne \(ne)")
        let r = Double(s.run.replicates)
        for t in [10, 30, 50] {
            let (mean, sd) = census.genetic(.geneDiversity, t: t)
            let m = try #require(mean), se = try #require(sd) / r.squareRoot()
            let expected = start * pow(1 - c, Double(t))
            #expect(abs(m - expected) < 4 * se, "t \(t): gene diversity \(m) vs \(expected) (1/(2Ne) = \(c)), SE \(se)")
            // Gene diversity tracks 1 − mean kinship (the pedigree's own expectation).
            let mk = try #require(census.genetic(.meanKinship, t: t).mean)
            let mkSD = try #require(census.genetic(.meanKinship, t: t).sd)
            #expect(abs(m - (1 - mk)) < 4 * (sd! + mkSD) / r.squareRoot(), "t \(t): GD \(m) vs 1 − MK \(1 - mk)")
        }
    }

    @Test func recessiveLethalsArePurged() throws {
        // 200 replicates, seed 8, N = 100 for 50 generations; all inbreeding depression as lethals.
        let (result, _) = try Self.example { s in
            s.run.replicates = 200
            s.genetics!.lethalEquivalents = 6.29
            s.genetics!.lethalShare = 1
        }
        let c = result.census
        let start = try #require(c.genetic(.lethalAlleleFrequency, t: 0).mean)
        let (end, sd) = c.genetic(.lethalAlleleFrequency, t: 50)
        let se = try #require(sd) / (200.0).squareRoot()
        // Without selection the expected frequency would stay at its start (q = 6.29/13).
        #expect(abs(start - 6.29 / 13) < 0.02, "start \(start)")
        #expect(try #require(end) < start - 6 * se, "lethal frequency \(start) → \(end!) (SE \(se))")
        #expect(result.tallies.deaths.reduce(0, +) > 0)
    }

    @Test func inbreedingDepressionLowersFirstYearSurvivalByExpMinusBF() throws {
        // Founders with kinship 0.25: every young of the first year has F = 0.25 exactly. No
        // lethals, no base mortality in the first year: its survival must be exp(−6.29 · 0.25).
        // 4000 replicates × 50 females × 4 young, seed 8; binomial SE.
        let (result, _) = try Self.example { s in
            s.run.replicates = 4000
            s.run.years = 1
            s.genetics!.founderKinship = 0.25
            s.genetics!.lethalEquivalents = 6.29
            s.genetics!.lethalShare = 0
        }
        let rates = RealisedRates(result.tallies, classCount: result.model.classCount)
        let atRisk = rates.atRisk[0][0] + rates.atRisk[0][1]
        let survived = result.tallies.survived[0] + result.tallies.survived[1]
        let p = Double(survived) / Double(atRisk)
        let expected = exp(-6.29 * 0.25)
        let se = (expected * (1 - expected) / Double(atRisk)).squareRoot()
        #expect(atRisk == 4000 * 200)
        #expect(abs(p - expected) < 4 * se, "first-year survival \(p) vs \(expected), SE \(se)")
        #expect(result.tallies.deaths(.inbreeding, t: 1) == atRisk - survived, "every first-year death has cause inbreeding")
    }

    @Test func geneticsNeedsIndividuals() throws {
        let text = try String(contentsOf: TestSupport.scenarios.appendingPathComponent("genetics-example.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"seed\": 8", with: "\"seed\": 8, \"mode\": \"population\"")
        var message = "accepted"
        do {
            _ = try ScenarioDecoder.decode(bytes: Array(text.utf8), file: "g.json")
        } catch {
            message = error.description
        }
        #expect(message.contains("g.json: genetics: needs individuals"), "\(message)")
    }
}

@Suite struct RegionalGeneticsTests {
    @Test func regionalGeneDiversityAndFMatchADirectCount() throws {
        // The Amur default with genetics, 12 replicates × 15 years, seed 2025: stepping each
        // replicate here and computing, from the genotypes and F of the animals whose cell lies in
        // each region, gene diversity (1 − Σp² per locus, mean over loci) and mean F, their means
        // over the replicates with animals in the region equal regions.csv's.
        var loaded = try TestSupport.loadSpatial("amur-leopard.json")
        loaded.scenario.run.years = 15
        loaded.scenario.run.replicates = 12
        if loaded.scenario.genetics == nil { loaded.scenario.genetics = GeneticsSettings() }
        let model = EngineModel(scenario: loaded.scenario)
        let sp = try #require(model.spatial)
        let regions = sp.landscape.regions
        let loci = model.genetics!.neutralLoci
        var sums = [Double](repeating: 0, count: 16 * regions.count * 2), counts = [Int](repeating: 0, count: 16 * regions.count)
        let r = Replicate(model: model, space: Gridded(model: sp, lastMaleBreedingAge: model.lastBreedingAge[1]))
        let g = try #require(r.genetics)
        for replicate in 0..<12 {
            r.begin(replicate)
            for t in 0...15 {
                if t > 0 { r.year = t; Year.run(r) }
                for (k, region) in regions.enumerated() {
                    let members = Set(region.cells)
                    let rows = (0..<r.table.count).filter { members.contains(r.table.cell[$0]) }
                    guard !rows.isEmpty else { continue }
                    var diversity = 0.0
                    for l in 0..<loci {
                        var copies: [Int32: Int] = [:]
                        for row in rows {
                            let (a, b) = g.alleles(ofRow: row, locus: l, table: r.table)
                            copies[a, default: 0] += 1
                            copies[b, default: 0] += 1
                        }
                        let total = Double(2 * rows.count)
                        diversity += 1 - copies.values.reduce(0) { $0 + Double($1 * $1) } / (total * total)
                    }
                    let f = rows.reduce(0) { $0 + g.inbreeding(ofRow: $1, table: r.table) } / Double(rows.count)
                    let i = t * regions.count + k
                    sums[2 * i] += diversity / Double(loci)
                    sums[2 * i + 1] += f
                    counts[i] += 1
                }
            }
        }
        let summary = RunSummary(MonteCarlo.run(model))
        var compared = 0
        for t in 0...15 {
            for k in regions.indices {
                let i = t * regions.count + k
                let stats = summary.region(k, t: t).genetics
                guard counts[i] > 0 else { #expect(stats[0].mean == nil); continue }
                let gd = try #require(stats[GeneticMeasure.regional.firstIndex(of: .geneDiversity)!].mean)
                let f = try #require(stats[GeneticMeasure.regional.firstIndex(of: .meanF)!].mean)
                #expect(abs(gd - sums[2 * i] / Double(counts[i])) < 1e-9, "year \(t), \(regions[k].name): gene diversity")
                #expect(abs(f - sums[2 * i + 1] / Double(counts[i])) < 1e-6, "year \(t), \(regions[k].name): mean F")
                compared += 1
            }
        }
        #expect(compared > 50)
    }
}

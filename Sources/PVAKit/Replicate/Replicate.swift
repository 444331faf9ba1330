import Foundation

/// The state of the replicate a worker thread is running: its animals, its
/// random streams, this year's conditions, its space (territories, the
/// per-replicate landscape) and what it records. A worker owns one and reuses
/// it from replicate to replicate, so the year loop allocates nothing.
///
/// The year itself is `Year.run` (the stages in their canonical order, one
/// file each under `Year/`); `S` is chosen once per run: `Unstructured` for a
/// non-spatial model, `Gridded` for one with a landscape, and each stage is
/// specialised for it.
final class Replicate<S: Space> {
    // The replicate's state is touched by one worker thread only, and the stages never hold
    // two accesses to one property at once: its mutable state skips Swift's dynamic
    // exclusivity checks (`@exclusivity(unchecked)`; they cost 7 % of B0).
    let model: EngineModel
    let table: AnimalTable
    let space: S
    /// Kinship, F and genotypes (nil when the scenario has no genetics).
    let genetics: GeneticState?
    /// Demography (breeding, survival, dispersal, harvest) and father choice.
    @exclusivity(unchecked) var rng = RandomStream(seed: 0)
    @exclusivity(unchecked) var mates = RandomStream(seed: 0)
    /// Fire, conversion and prey variation; distemper outbreaks and vaccination (their own
    /// streams, so that a threat or intervention that never acts changes no other draw).
    @exclusivity(unchecked) var landscapeRNG = RandomStream(seed: 0)
    @exclusivity(unchecked) var diseaseRNG = RandomStream(seed: 0)
    @exclusivity(unchecked) var record: ReplicateRecord
    /// This worker's tallies and census statistics (over all its replicates).
    @exclusivity(unchecked) var tallies: Tallies
    @exclusivity(unchecked) var census: CensusAccumulator
    /// Simulation year being run (1…years; 0 is the initial census).
    @exclusivity(unchecked) var year = 0
    @exclusivity(unchecked) var index = 0
    /// Check the table and the space after every stage (`pva run --check-invariants`).
    @exclusivity(unchecked) var checksInvariants = false

    // This year's conditions, set by the Environment stage.
    /// Survival by [sex · (maxAge + 1) + age].
    @exclusivity(unchecked) var survival: [Double]
    @exclusivity(unchecked) var breedingProbability = 0.0
    @exclusivity(unchecked) var capacity = Int.max
    /// Values the scenario's functions read this year (`FunctionVariables`).
    @exclusivity(unchecked) var functionValues: [Double]
    /// A distemper outbreak this year; an intervention whose averted deaths are counted is in force.
    @exclusivity(unchecked) var outbreak = false
    @exclusivity(unchecked) var countsAvertedDeaths = false
    /// Per intervention, this replicate's `InterventionMeasure`s: [k · measures + measure].
    @exclusivity(unchecked) var interventionMeasures: [Double]

    // What the last census listed, for the next year's stages.
    @exclusivity(unchecked) var previousN = 0
    /// Rows of the breeding-age females and males at the last census (the first
    /// `breedingFemaleCount` / `matureMaleCount` entries).
    @exclusivity(unchecked) var breedingFemales: [Int32] = []
    @exclusivity(unchecked) var breedingFemaleCount = 0
    @exclusivity(unchecked) var matureMales: [Int32] = []
    @exclusivity(unchecked) var matureMaleCount = 0
    /// Per quasi-extinction threshold: N has been below it at some census.
    @exclusivity(unchecked) var everBelow: [Bool]

    // Scratch, reused every year.
    @exclusivity(unchecked) var scratch: [Int32] = []
    /// Own survival draws this year: at risk in [0, 2·classes), survived in [2·classes, 4·classes).
    @exclusivity(unchecked) var survivalCounts: [Int]
    @exclusivity(unchecked) var classCounts: [Int32]

    init(model: EngineModel, space: S) {
        self.model = model
        self.space = space
        genetics = model.genetics.map { GeneticState(settings: $0, captive: model.captiveSources) }
        table = AnimalTable(features: model.features)
        record = ReplicateRecord(index: 0, years: 0)
        tallies = Tallies(model: model)
        census = CensusAccumulator(model: model)
        survival = [Double](repeating: 0, count: 2 * (model.maxAge + 1))
        survivalCounts = [Int](repeating: 0, count: 4 * model.classCount)
        classCounts = [Int32](repeating: 0, count: 2 * model.classCount)
        everBelow = [Bool](repeating: false, count: model.quasiExtinctionThresholds.count)
        functionValues = model.variables.values()
        interventionMeasures = [Double](repeating: 0, count: model.interventions.count * InterventionMeasure.allCases.count)
    }

    /// `x` rounded at random to a whole number whose expectation is x (x ≥ 0): ⌊x⌋, plus one
    /// with probability x − ⌊x⌋ (what a count given as a function yields).
    func randomlyRounded(_ x: Double) -> Int {
        let x = max(0, x)
        let whole = x.rounded(.down)
        return Int(whole) + (rng.uniform() < x - whole ? 1 : 0)
    }

    /// The value of a function for this year (N, K and the year as the Environment stage set
    /// them; sex `sex` where given).
    func evaluate(_ f: CompiledExpression, sex: Sex? = nil) -> Double {
        if let sex { functionValues[FunctionVariables.Letter.s.rawValue] = Double(sex.rawValue) }
        return functionValues.withUnsafeBufferPointer { f.evaluate($0) }
    }

    /// Runs replicate `index` from its own streams (master seed, replicate index) and
    /// returns its record; the statistics go into `tallies` and `census`.
    func run(_ index: Int) -> ReplicateRecord {
        begin(index)
        for t in 1...model.years {
            if table.count == 0 && t > model.lastReleaseT {
                // Nothing can happen any more: the remaining censuses are empty.
                for rest in t...model.years {
                    year = rest
                    space.landscapeYear(self)  // the landscape goes on changing
                    Year.Census.run(self)
                }
                break
            }
            year = t
            Year.run(self)
        }
        census.addReplicate(record)
        census.addInterventions(interventionMeasures)
        return record
    }

    /// The start of replicate `index`: its streams, founders and the census of year 0.
    func begin(_ index: Int) {
        self.index = index
        rng = RandomStream(masterSeed: model.seed, stream: UInt64(index))
        mates = RandomStream(masterSeed: model.seed, stream: UInt64(index), purpose: .mates)
        landscapeRNG = RandomStream(masterSeed: model.seed, stream: UInt64(index), purpose: .landscape)
        diseaseRNG = RandomStream(masterSeed: model.seed, stream: UInt64(index), purpose: .disease)
        outbreak = false
        for i in interventionMeasures.indices { interventionMeasures[i] = 0 }
        record = ReplicateRecord(index: index, years: model.years, targets: model.targetRegions.count)
        table.reset()
        year = 0
        for k in everBelow.indices { everBelow[k] = false }
        space.reset(self)
        genetics?.reset(masterSeed: model.seed, index: index)
        Founders.place(self)
        genetics?.addFounders(table)
        Year.Census.run(self)
        check("founders")
    }

    var calendarYear: Int { model.startYear + year }

    /// Removes the animals marked dead, tallying them by cause for this year; keeps the
    /// territories' references to rows (in the table) and the mothers' counts of young current.
    func removeDead() {
        let base = year * DeathCause.count
        let before = table.count
        if let l = model.spatial?.landscape, !l.regions.isEmpty { tallyRegionDeaths(l) }
        tallies.deaths.withUnsafeMutableBufferPointer { deaths in
            table.compact(countingInto: deaths.baseAddress! + base)
        }
        guard table.count < before else { return }  // nobody died: no row moved
        table.recountDependents()
    }

    /// The dead of this stage by region of their cell and cause.
    private func tallyRegionDeaths(_ l: Landscape) {
        let fate = table.fate.base, cell = table.cell.base
        let base = year * l.regions.count
        for row in 0..<table.count where fate[row] != 0 {
            for region in l.regions(of: Int(cell[row])) {
                tallies.regionDeaths[(base + Int(region)) * DeathCause.count + Int(fate[row])] += 1
            }
        }
    }

    /// Moves `wanted` entries of `list` chosen at random without replacement to its front (all
    /// of them, with no draw, when there are no more than that) and returns how many.
    func drawWithoutReplacement(_ wanted: Int, from list: inout [Int32]) -> Int {
        guard list.count > wanted else { return list.count }
        for i in 0..<wanted { list.swapAt(i, i + rng.below(list.count - i)) }
        return wanted
    }

    /// The simulation year from which the animal in `row`, if released, is free: its release
    /// year, a year later when its release holds it in an enclosure (nil: never released).
    @inline(__always) func freedYear(_ row: Int) -> Int? {
        let g = table.releaseGroup.isActive ? Int(table.releaseGroup[row]) : -1
        guard g >= 0 else { return nil }
        return model.releases[g].freedYear(released: Int(table.releaseYear[row]))
    }

    /// Held in its release enclosure during this year's stages before Release (no breeding,
    /// no dispersal, base survival only).
    @inline(__always) func isEnclosed(_ row: Int) -> Bool {
        model.hasEnclosures && (freedYear(row).map { $0 >= year } ?? false)
    }

    /// Adds `value` to measure `m` of intervention `k` for this replicate.
    @inline(__always) func addToIntervention(_ k: Int, _ m: InterventionMeasure, _ value: Double) {
        interventionMeasures[k * InterventionMeasure.allCases.count + m.rawValue] += value
    }

    /// After stage `stage`, when asked: every invariant of the table and the space.
    func check(_ stage: @autoclosure () -> String) {
        guard checksInvariants else { return }
        let problems = table.invariantViolations(maximumAge: model.maxAge, dependentsCurrent: true) + space.invariantViolations(self)
            + (genetics?.invariantViolations(table) ?? [])
        precondition(problems.isEmpty, "replicate \(index), year \(year), after \(stage()): " + problems.prefix(5).joined(separator: "; "))
    }
}

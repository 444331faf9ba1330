import Foundation
import Testing
@testable import PVAKit

/// Stochastic agreement with Vortex 10 on the two smallest reference runs
/// (5,000 iterations × 100 years each, run twice by Vortex: `flat` and
/// `proportional` are independent runs of identical inputs).
///
/// Tolerance for a mean: 3·√(SE_ours² + SE_Vortex²) + the brood-rule allowance.
/// SE_Vortex = SD/√5000 for N at year 100 and SD_r/√(5000·100) for r (years at K
/// are nearly independent); ours is the replicate-level SE. The brood-size
/// rule settled (Normal(mean, SD) rounded to the nearest whole number,
/// negatives → 0, Vortex's maxBroodSize not applied) has realised mean
/// 2.5013 where Vortex's deterministic tables use 2.5: the allowance is the
/// deterministic r difference this makes, and that times N for N.
@Suite struct VortexStochasticTests {
    static func lifeTables() throws -> [VortexReferenceRow] {
        try TestSupport.csv(TestSupport.fixtures.appendingPathComponent("vortex-reference/life-tables.csv")).map(VortexReferenceRow.init)
    }

    static func summaries() throws -> [[String: String]] {
        try TestSupport.csv(TestSupport.fixtures.appendingPathComponent("vortex-reference/stochastic-summaries.csv"))
    }

    static func broodAllowance(_ row: VortexReferenceRow) -> Double {
        var realised = row.species_
        realised.litterSize = .discrete(sizes: LitterSize.normal(mean: 2.5, sd: 1).realisedDistribution.map(\.size),
                                        probabilities: LitterSize.normal(mean: 2.5, sd: 1).realisedDistribution.map(\.probability))
        return abs(VortexLifeTable(species: realised).r - VortexLifeTable(species: row.species_).r)
    }

    @Test(arguments: [("Leptosomus_discolor", UInt64(101)), ("Eutriorchis_astur", UInt64(103))])
    func stochasticRAndNAtYear100AgreeWithVortex(_ species: String, _ seed: UInt64) throws {
        let row = try #require(try Self.lifeTables().first { $0.species == species })
        let collector = RecordCollector()
        let result = MonteCarlo.run(EngineModel(scenario: row.scenario(replicates: 500, seed: seed)), sink: collector)
        let summary = RunSummary(result)
        let references = try Self.summaries().filter { $0["species"] == species }
        #expect(references.count == 2, "the fixture holds Vortex's two runs of \(species)")
        let allowanceR = Self.broodAllowance(row)
        #expect(allowanceR < 0.001, "allowance \(allowanceR)")
        #expect(summary.final.extinct.successes == 0, "Vortex saw no extinctions")
        let r = try #require(summary.growth.mean), rSE = try #require(summary.growth.se)
        let n = try #require(summary.final.nExtant.mean), nSE = try #require(summary.final.nExtant.se)
        let records = collector.records.filter { $0.rCount > 0 }
        let sd = try #require(summary.growth.sd)
        let sdSE = Stat.growthSDStandardError(records, sd: sd)
        for vortex in references {
            let vr = Double(vortex["stoch_r"]!)!, vrSD = Double(vortex["SD_r"]!)!
            let vn = Double(vortex["N_extant_100"]!)!, vnSD = Double(vortex["SD_N_extant"]!)!
            let runs = Double(vortex["nRuns"]!)!
            let rTolerance = 3 * (rSE * rSE + vrSD * vrSD / (runs * 100)).squareRoot() + allowanceR
            let nTolerance = 3 * (nSE * nSE + vnSD * vnSD / runs).squareRoot() + allowanceR * vn
            #expect(abs(r - vr) < rTolerance, "\(species) \(vortex["set"]!): r \(r) ± \(rSE) vs Vortex \(vr) (tolerance \(rTolerance))")
            #expect(abs(n - vn) < nTolerance, "\(species) \(vortex["set"]!): N \(n) ± \(nSE) vs Vortex \(vn) (tolerance \(nTolerance))")
            // The SD of r (demographic + environmental variation): within 4 combined SE.
            let vortexSE = sdSE * (Double(records.count) / runs).squareRoot()
            let sdTolerance = 4 * (sdSE * sdSE + vortexSE * vortexSE).squareRoot()
            #expect(abs(sd - vrSD) < sdTolerance, "\(species): SD(r) \(sd) ± \(sdSE) vs \(vrSD) (tolerance \(sdTolerance))")
        }
    }

    /// The evidence for the brood rule: Vortex's stochastic r sits at det r − SD²/2 (+0.0004 on
    /// average over the 78 runs, VORTEX.md). With the cap of 2 that the projects' maxBroodSize
    /// suggests, or with truncation instead of rounding, det r − SD²/2 misses Vortex's stochastic
    /// r by more than 0.03 in both test species — over 30 times the tolerance above — while the
    /// settled rule is within 0.002.
    @Test(arguments: ["Leptosomus_discolor", "Eutriorchis_astur"])
    func onlyTheSettledBroodRuleFitsVortex(_ species: String) throws {
        let row = try #require(try Self.lifeTables().first { $0.species == species })
        let vortex = try #require(try Self.summaries().first { $0["species"] == species })
        let stochasticR = Double(vortex["stoch_r"]!)!, sd = Double(vortex["SD_r"]!)!
        let normal = LitterSize.normal(mean: 2.5, sd: 1).realisedDistribution
        func predicted(_ sizes: [(size: Int, probability: Double)]) -> Double {
            var species = row.species_
            var merged: [Int: Double] = [:]
            for s in sizes { merged[s.size, default: 0] += s.probability }
            let keys = merged.keys.sorted()
            species.litterSize = .discrete(sizes: keys, probabilities: keys.map { merged[$0]! })
            return VortexLifeTable(species: species).r - sd * sd / 2
        }
        let settled = predicted(normal)
        let capped = predicted(normal.map { (size: min($0.size, 2), probability: $0.probability) })
        var floored: [(size: Int, probability: Double)] = []  // P(floor(X) = k) for X ~ N(2.5, 1), negatives → 0
        for k in 0...14 {
            let lo = k == 0 ? -Double.infinity : Double(k)
            floored.append((size: k, probability: SpecialFunctions.normalCDF((Double(k + 1) - 2.5)) - SpecialFunctions.normalCDF(lo - 2.5)))
        }
        let truncated = predicted(floored)
        print("brood rules for \(species): Vortex stochastic r \(stochasticR); det r − SD²/2 with rounding \(settled), cap at 2 \(capped), truncation \(truncated)")
        #expect(abs(settled - stochasticR) < 0.002, "settled rule: \(settled) vs \(stochasticR)")
        #expect(abs(capped - stochasticR) > 0.03, "cap at 2: \(capped) vs \(stochasticR)")
        #expect(abs(truncated - stochasticR) > 0.03, "truncation: \(truncated) vs \(stochasticR)")
    }
}

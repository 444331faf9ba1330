import Foundation
import Testing
@testable import PVAKit

/// `run.mode` "vortex-population" against Vortex 10's population-based runs: every
/// shared reference row (`stochastic-summaries.csv`: 78 Vortex runs of 40 species, 38 of
/// them run twice, 5,000 iterations × 100 years each, all in Vortex's population-based mode),
/// and the declining row that issue 7 reported.
///
/// Each comparison is a z-score against one Vortex run:
/// - mean r: SE_ours is the replicate-clustered SE; Vortex's is ours scaled by
///   √(R_ours / 5000) · SD_V / SD_ours (same design, 5,000 replicates);
/// - SD of r: SE_ours by the delta method with replicates as clusters, Vortex's scaled the same way;
/// - mean N at year 100 of extant runs: SE = SD/√runs on both sides.
/// There are 78 × 3 = 234 such checks: at |z| ≤ 4 the chance that any fails by
/// Monte Carlo noise alone is 234 × 6.3·10⁻⁵ ≈ 1.5 % (and the seed is fixed).
/// Vortex saw no extinction in any of these rows (0 of 5,000: P(E) ≤ 0.0006 at 95 %);
/// we accept at most 4 of our 2,000 (P(≥ 5 of 2,000 | p = 0.0006) ≈ 0.3 %).
@Suite struct VortexPopulationTests {
    static let replicates = 2000

    struct Agreement: CustomStringConvertible {
        var species: String
        var r: Double, sdR: Double, n100: Double, extinct: Int
        var zR: [Double], zSD: [Double], zN: [Double]
        var description: String {
            func z(_ v: [Double]) -> String { v.map { String(format: "%+.1f", $0) }.joined(separator: "/") }
            return "\(species): r \(String(format: "%.4f", r)) (z \(z(zR))), SD(r) \(String(format: "%.4f", sdR)) (z \(z(zSD))), "
                + "N100 \(String(format: "%.0f", n100)) (z \(z(zN))), extinct \(extinct)/\(VortexPopulationTests.replicates)"
        }
    }

    /// Runs `row` in `mode` and scores it against Vortex's runs of the same species.
    static func agreement(_ row: VortexReferenceRow, mode: SimulationMode, replicates: Int = replicates, seed: UInt64 = 2027) throws -> Agreement {
        let collector = RecordCollector()
        let result = MonteCarlo.run(EngineModel(scenario: row.scenario(replicates: replicates, seed: seed, mode: mode)), sink: collector)
        let summary = RunSummary(result)
        let r = try #require(summary.growth.mean), rSE = try #require(summary.growth.se)
        let sd = try #require(summary.growth.sd)
        let sdSE = Stat.growthSDStandardError(collector.records, sd: sd)
        let n = try #require(summary.final.nExtant.mean), nSE = try #require(summary.final.nExtant.se)
        var a = Agreement(species: row.species, r: r, sdR: sd, n100: n, extinct: summary.final.extinct.successes, zR: [], zSD: [], zN: [])
        for vortex in try VortexStochasticTests.summaries() where vortex["species"] == row.species {
            let runs = Double(vortex["nRuns"]!)!, scale = (Double(replicates) / runs).squareRoot()
            let vr = Double(vortex["stoch_r"]!)!, vsd = Double(vortex["SD_r"]!)!
            let vn = Double(vortex["N_extant_100"]!)!, vnSD = Double(vortex["SD_N_extant"]!)!
            let vrSE = rSE * scale * vsd / sd, vsdSE = sdSE * scale
            a.zR.append((r - vr) / (rSE * rSE + vrSE * vrSE).squareRoot())
            a.zSD.append((sd - vsd) / (sdSE * sdSE + vsdSE * vsdSE).squareRoot())
            a.zN.append((n - vn) / (nSE * nSE + vnSD * vnSD / runs).squareRoot())
        }
        return a
    }

    /// One row per species, from the life table of the set Vortex first ran it in (two
    /// species were run in the proportional set only; both sets' inputs are the same).
    static func sharedRows() throws -> [VortexReferenceRow] {
        let summaries = try VortexStochasticTests.summaries()
        let tables = try VortexStochasticTests.lifeTables()
        var rows: [VortexReferenceRow] = []
        for summary in summaries where !rows.contains(where: { $0.species == summary["species"] }) {
            rows.append(try #require(tables.first { $0.set == summary["set"] && $0.species == summary["species"] }))
        }
        return rows
    }

    @Test func everySharedReferenceRowAgreesInVortexPopulationMode() throws {
        let summaries = try VortexStochasticTests.summaries()
        let rows = try Self.sharedRows()
        #expect(rows.count == 40 && summaries.count == 78, "the fixture: 40 species, 78 Vortex runs")
        #expect(rows.contains { $0.species == "Treron_australis" }, "the declining row is among them")
        var worst = 0.0
        for row in rows {
            let a = try Self.agreement(row, mode: .vortexPopulation)
            print(a)
            #expect(a.zR.count == summaries.filter { $0["species"] == row.species }.count)
            for z in a.zR + a.zSD + a.zN {
                worst = max(worst, abs(z))
                #expect(abs(z) <= 4, "\(a)")
            }
            #expect(a.extinct <= 4, "\(a)")
        }
        print("largest |z| over the shared rows: \(worst)")
    }

    /// The row issue 7 reported as disagreeing (*Plegadis falcinellus*, N0 = K = 19,472, det r
    /// −0.056: the population falls to tens of animals): Vortex's P(E) at year 100 was 0.012
    /// and 0.009 in its two runs (the figures issue 7 quotes, rounded to 3 decimals: we allow
    /// ±0.0005), its SD(N) at year 100 about 54. Our tolerance for P(E): 3·√(p(1−p)/R +
    /// p(1−p)/5000) + 0.0005 at Vortex's p. Class counts with independent fates
    /// (`population`, the same distribution as `individual`) give 4–5 times Vortex's risk.
    @Test func theDecliningRowAgreesWithVortexOnlyWithItsRounding() throws {
        let row = try #require(try VortexStochasticTests.lifeTables().first { $0.species == "Plegadis_falcinellus" })
        let replicates = 5000
        func run(_ mode: SimulationMode) -> YearStatistics {
            RunSummary(MonteCarlo.run(EngineModel(scenario: row.scenario(replicates: replicates, seed: 11, mode: mode)))).final
        }
        let rounding = run(.vortexPopulation), binomial = run(.population)
        let pRounding = rounding.extinct.estimate ?? 0, pBinomial = binomial.extinct.estimate ?? 0
        print("Plegadis P(E)100: vortex-population \(pRounding), population \(pBinomial); SD(N) \(rounding.nAll.sd ?? 0) / \(binomial.nAll.sd ?? 0)")
        for vortex in [0.012, 0.009] {
            let tolerance = 3 * (vortex * (1 - vortex) / Double(replicates) + vortex * (1 - vortex) / 5000).squareRoot() + 0.0005
            #expect(abs(pRounding - vortex) < tolerance, "P(E) \(pRounding) vs Vortex \(vortex) ± \(tolerance)")
        }
        #expect(pBinomial > 3 * 0.012, "independent fates: P(E) \(pBinomial), several times Vortex's")
        let sdN = try #require(rounding.nAll.sd)
        // SE of an SD of 5,000 skewed values is about 1.5 % of it here; allow 10 % of Vortex's 54.
        #expect(abs(sdN - 54) < 5.4, "SD(N) at year 100 \(sdN) vs Vortex's 54")
    }

    /// Not part of CI (13 minutes on 2 cores): the agreement table of the closing note and
    /// ODD, every shared row in all three modes. `PVA_AGREEMENT_TABLE=path swift test -c release
    /// -Xswiftc -enable-testing --filter agreementTable` writes it as Markdown to `path`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PVA_AGREEMENT_TABLE"] != nil))
    func agreementTable() throws {
        let path = ProcessInfo.processInfo.environment["PVA_AGREEMENT_TABLE"]!
        var lines = ["| species | mode | replicates | r (z vs Vortex runs) | SD r (z) | N at 100 (z) | extinct |", "|---|---|---|---|---|---|---|"]
        for row in try Self.sharedRows() {
            for (mode, replicates) in [(SimulationMode.vortexPopulation, 2000), (.population, 2000), (.individual, 100)] {
                let a = try Self.agreement(row, mode: mode, replicates: replicates)
                func z(_ v: [Double]) -> String { v.map { String(format: "%+.1f", $0) }.joined(separator: "/") }
                lines.append("| \(row.species) | \(mode.rawValue) | \(replicates) | \(String(format: "%.4f", a.r)) (\(z(a.zR))) | "
                    + "\(String(format: "%.4f", a.sdR)) (\(z(a.zSD))) | \(String(format: "%.0f", a.n100)) (\(z(a.zN))) | \(a.extinct) |")
                try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
    }
}

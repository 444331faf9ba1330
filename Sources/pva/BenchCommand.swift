import Dispatch
import Foundation
import PVAKit

enum BenchCommand {
    static let help = """
    Usage: pva bench [--scenarios DIR] [--replicates N] [--rounds K] [--threads J]
           pva bench --b2 [--scenarios DIR] [--replicates N] [--years T] [--rounds K] [--threads J]

    Measures speed in individual-years per second (animals alive at the start
    of each year, summed over years and replicates, per wall-clock second of
    the whole run: model set-up, simulation, statistics and the text of every
    output file, without the disk). The models are measured in turn, round
    after round (B0, bare loop, B1, B0, bare loop, B1, …), so that a busy
    machine slows them alike, and the report gives medians over the rounds and
    the median of the per-round ratios:
      B0            scenarios/b0-benchmark.json (BENCHMARK.md)
      B0-bare-loop  B0 as the barest structure-of-arrays loop, for reference
      B1            scenarios/amur-leopard.json, the spatial default
    One JSON line per model and thread count, then one per ratio:
      B0/bare-loop  engine time over bare-loop time for the same work (1 = as fast)
      B0/B1         B1's individual-years per second as a share of B0's

    Options:
      --scenarios DIR  folder holding the benchmark scenarios (default: scenarios)
      --replicates N   replicates per measurement (default: each scenario's own)
      --rounds K       rounds (default 5)
      --threads J      thread count (default: 1 and then all cores; with --b2: 1)

    With --b2, B2 (BENCHMARK.md, scale) instead: the default (amur-leopard.json)
    on its landscape tiled 1×1, 2×2 and 4×4 (1×, 4×, 16× the area, the initial
    population × 1, 4, 16; built in memory, no file written), with genetics and
    without (its genetics section removed), measured round after round in the
    order 1×, 4×, 16×, 1×, 4×, 16× without genetics. Each k² × model runs
    N·16/k² replicates, so that every model does about the same work. One JSON
    line per model (individual-years, median seconds and µs per individual-year
    of the whole run, and of the simulation alone: the replicates without the
    model's set-up and the report, which grow with the map's area, once a run),
    then per genetics setting the ratios of µs per individual-year 4×/1× and
    16×/1×, whole run and simulation alone (median of the per-round ratios;
    1 = linear in animals × years), then the process's peak memory.
      --replicates N   replicates at 16× (default 4: 1× runs 64, 4× runs 16)
      --years T        years per replicate (default 25)
      --rounds K       rounds (default 3)

    """

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: ["--scenarios", "--replicates", "--rounds", "--threads", "--years"],
                                  flagOptions: ["--help", "--b2"], command: "bench")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        guard options.positional.isEmpty else { throw UsageError(message: "bench takes no file arguments (see pva bench --help)") }
        if options.flag("--b2") { return try scale(options, console: console) }
        guard options.string("--years") == nil else { throw UsageError(message: "--years is for --b2 only (see pva bench --help)") }
        let folder = options.string("--scenarios") ?? "scenarios"
        let replicates = try options.integer("--replicates", min: 1, max: 10_000_000)
        let rounds = try options.integer("--rounds", min: 1, max: 1000) ?? 5
        let cores = MonteCarlo.defaultThreads
        let threadCounts = try options.integer("--threads", min: 1, max: 4096).map { [$0] } ?? (cores > 1 ? [1, cores] : [1])

        let b0: ScenarioFile.Prepared, b1: ScenarioFile.Prepared
        do {
            b0 = try ScenarioFile.prepare(folder + "/b0-benchmark.json", overrides: RunOverrides(replicates: replicates))
            b1 = try ScenarioFile.prepare(folder + "/amur-leopard.json", overrides: RunOverrides(replicates: replicates))
        } catch {
            for issue in error.issues { console.err("\(issue)\n") }
            return ExitCode.usage
        }
        for threads in threadCounts {
            var seconds: [String: [Double]] = [:]
            var work: [String: Int] = [:]
            for _ in 0..<rounds {
                for (name, prepared) in [("B0", b0), ("B0-bare-loop", b0), ("B1", b1)] {
                    let start = DispatchTime.now()
                    let individualYears: Int
                    if name == "B0-bare-loop" {
                        individualYears = BareLoopB0.run(replicates: prepared.model.replicates, threads: threads)
                    } else {
                        individualYears = whole(prepared, threads: threads).individualYears
                    }
                    seconds[name, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
                    work[name] = individualYears
                }
            }
            for name in ["B0", "B0-bare-loop", "B1"] {
                let s = median(seconds[name]!)
                let replicatesRun = name == "B1" ? b1.model.replicates : b0.model.replicates
                console.out("{\"model\":\"\(name)\",\"threads\":\(threads),\"individualYearsPerSecond\":\(Int((Double(work[name]!) / s).rounded())),"
                            + "\"individualYears\":\(work[name]!),\"medianSeconds\":\(NumberFormatting.fixed(s, decimals: 3)),"
                            + "\"rounds\":\(rounds),\"replicates\":\(replicatesRun)}\n")
            }
            // Per round: engine over bare loop for the same work; B1's speed as a share of B0's.
            let engineOverBare = (0..<rounds).map { seconds["B0"]![$0] / seconds["B0-bare-loop"]![$0] * Double(work["B0-bare-loop"]!) / Double(work["B0"]!) }
            let b1OverB0 = (0..<rounds).map { (Double(work["B1"]!) / seconds["B1"]![$0]) / (Double(work["B0"]!) / seconds["B0"]![$0]) }
            for (name, values) in [("B0/bare-loop", engineOverBare), ("B1/B0", b1OverB0)] {
                console.out("{\"ratio\":\"\(name)\",\"threads\":\(threads),\"median\":\(NumberFormatting.fixed(median(values), decimals: 3)),"
                            + "\"perRound\":[\(values.map { NumberFormatting.fixed($0, decimals: 3) }.joined(separator: ","))]}\n")
            }
        }
        return ExitCode.success
    }

    /// B2: the default on its map tiled 1×1, 2×2, 4×4, with and without genetics, interleaved.
    static func scale(_ options: Options, console: Console) throws -> Int32 {
        let folder = options.string("--scenarios") ?? "scenarios"
        let replicates = try options.integer("--replicates", min: 1, max: 100_000) ?? 4
        let years = try options.integer("--years", min: 1, max: 10_000) ?? 25
        let rounds = try options.integer("--rounds", min: 1, max: 1000) ?? 3
        let threads = try options.integer("--threads", min: 1, max: 4096) ?? 1
        let tiles = [1, 2, 4]
        var models: [(name: String, genetics: Bool, prepared: ScenarioFile.Prepared)] = []
        do {
            for genetics in [true, false] {
                for k in tiles {
                    let overrides = RunOverrides(replicates: replicates * 16 / (k * k), years: years)
                    var prepared = try TiledScenario.prepare(folder + "/amur-leopard.json", tiles: k, overrides: overrides)
                    if !genetics { prepared.loaded.scenario.genetics = nil }
                    models.append(("B2-\(k * k)x" + (genetics ? "" : "-nogenetics"), genetics, prepared))
                }
            }
        } catch {
            for issue in error.issues { console.err("\(issue)\n") }
            return ExitCode.usage
        }
        var seconds = [[Double]](repeating: [], count: models.count), simulation = seconds
        var work = [Int](repeating: 0, count: models.count)
        for _ in 0..<rounds {
            for (i, m) in models.enumerated() {
                let start = DispatchTime.now()
                let run = whole(m.prepared, threads: threads)
                seconds[i].append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
                simulation[i].append(run.simulationSeconds)
                work[i] = run.individualYears
            }
        }
        func µs(_ s: Double, _ i: Int) -> String { NumberFormatting.fixed(s * 1e6 / Double(work[i]), decimals: 3) }
        for (i, m) in models.enumerated() {
            let s = median(seconds[i]), sim = median(simulation[i])
            console.out("{\"model\":\"\(m.name)\",\"genetics\":\(m.genetics),\"threads\":\(threads),\"individualYears\":\(work[i]),"
                        + "\"medianSeconds\":\(NumberFormatting.fixed(s, decimals: 3)),\"microsecondsPerIndividualYear\":\(µs(s, i)),"
                        + "\"simulationMedianSeconds\":\(NumberFormatting.fixed(sim, decimals: 3)),\"simulationMicrosecondsPerIndividualYear\":\(µs(sim, i)),"
                        + "\"rounds\":\(rounds),\"replicates\":\(m.prepared.model.replicates),\"years\":\(years)}\n")
        }
        // Per round, the cost per individual-year of k² × over 1 × (whole run, and simulation alone).
        for base in stride(from: 0, to: models.count, by: tiles.count) {
            for j in 1..<tiles.count {
                for (part, times) in [("", seconds), ("simulation ", simulation)] {
                    let values = (0..<rounds).map {
                        (times[base + j][$0] / Double(work[base + j])) / (times[base][$0] / Double(work[base]))
                    }
                    console.out("{\"ratio\":\"\(part)\(models[base + j].name)/\(models[base].name)\",\"genetics\":\(models[base].genetics),"
                                + "\"threads\":\(threads),\"median\":\(NumberFormatting.fixed(median(values), decimals: 3)),"
                                + "\"perRound\":[\(values.map { NumberFormatting.fixed($0, decimals: 3) }.joined(separator: ","))]}\n")
                }
            }
        }
        if let kib = PeakMemory.kibibytes { console.out("{\"peakMemoryMiB\":\(NumberFormatting.fixed(Double(kib) / 1024, decimals: 1))}\n") }
        return ExitCode.success
    }

    /// A whole run as `pva run` makes it, without the disk: simulation, statistics and the
    /// text of every output file. Returns the individual-years simulated and the seconds of
    /// the simulation alone (the replicates, without the model's set-up and the report).
    static func whole(_ prepared: ScenarioFile.Prepared, threads: Int) -> (individualYears: Int, simulationSeconds: Double) {
        let model = EngineModel(scenario: prepared.loaded.scenario)
        let sink = DiscardingSink(tables: ReplicateTables(model: model))
        let start = DispatchTime.now()
        let result = MonteCarlo.run(model, threads: threads, sink: sink)
        let simulation = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let report = RunReport(result: result, provenance: Provenance(loaded: prepared.loaded, files: prepared.loaded.files))
        var characters = 0
        for file in RunReport.files(model) where !file.perReplicate { characters += report.text(of: file).utf8.count }
        precondition(characters > 0)
        return (result.individualYears, simulation)
    }

    /// Formats every replicate's lines, as `pva run` does, and drops them.
    final class DiscardingSink: ReplicateSink, @unchecked Sendable {
        let tables: ReplicateTables
        init(tables: ReplicateTables) { self.tables = tables }
        func receive(_ record: ReplicateRecord) { _ = tables.lines(record) }
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

import Foundation
import PVAKit

enum BenchCommand {
    static let help = """
    Usage: pva bench [--scenarios DIR] [--replicates N]

    Measures speed in individual-years per second (animals alive at the start
    of each year, summed over years and replicates, per wall-clock second of
    the whole run: model set-up, simulation and statistics). Prints one JSON
    line per measurement, for 1 thread and for all cores:
      B0            scenarios/b0-benchmark.json (BENCHMARK.md)
      B0-bare-loop  B0 as the barest structure-of-arrays loop, for reference
      B1            scenarios/amur-leopard.json, the spatial default (1,000 replicates × 100 years)

    Options:
      --scenarios DIR  folder holding the benchmark scenarios (default: scenarios)
      --replicates N   replicates per measurement (default: each scenario's own)

    """

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: ["--scenarios", "--replicates"], flagOptions: ["--help"], command: "bench")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        guard options.positional.isEmpty else { throw UsageError(message: "bench takes no file arguments (see pva bench --help)") }
        let folder = options.string("--scenarios") ?? "scenarios"
        let replicates = try options.integer("--replicates", min: 1, max: 10_000_000)
        let cores = MonteCarlo.defaultThreads
        let threadCounts = cores > 1 ? [1, cores] : [1]

        var loadedB0: LoadedScenario?
        var loadedB1: LoadedScenario?
        do {
            loadedB0 = try ScenarioFile.load(folder + "/b0-benchmark.json", overrides: RunOverrides(replicates: replicates))
            loadedB1 = try ScenarioFile.load(folder + "/amur-leopard.json", overrides: RunOverrides(replicates: replicates))
        } catch {
            for issue in error.issues { console.err("\(issue)\n") }
            return ExitCode.usage
        }
        guard let loaded = loadedB0, let b1 = loadedB1 else { return ExitCode.failure }
        for (name, scenario) in [("B0", loaded), ("B1", b1)] {
            for threads in threadCounts {
                let start = DispatchTime.now()
                let model = EngineModel(scenario: scenario.scenario)
                let result = MonteCarlo.run(model, threads: threads)
                _ = RunSummary(result, threads: threads)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                console.out(line(model: name, threads: threads, individualYears: result.individualYears, seconds: seconds,
                                 replicates: scenario.scenario.run.replicates))
            }
        }
        for threads in threadCounts {
            let start = DispatchTime.now()
            let n = loaded.scenario.run.replicates
            let individualYears = BareLoopB0.run(replicates: n, threads: threads)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            console.out(line(model: "B0-bare-loop", threads: threads, individualYears: individualYears, seconds: seconds, replicates: n))
        }
        return ExitCode.success
    }

    static func line(model: String, threads: Int, individualYears: Int, seconds: Double, replicates: Int) -> String {
        let rate = Double(individualYears) / seconds
        return "{\"model\":\"\(model)\",\"threads\":\(threads),\"individualYearsPerSecond\":\(Int(rate.rounded())),"
            + "\"individualYears\":\(individualYears),\"seconds\":\(NumberFormatting.fixed(seconds, decimals: 3)),\"replicates\":\(replicates)}\n"
    }
}

import Foundation
import PVAKit

/// B2 (BENCHMARK.md): a scenario on its landscape tiled k × k, with k² times its initial
/// population, built in memory: every layer grid (ESRI ASCII) is read as the scenario names it
/// and handed to the decoder with each row repeated k times across and the whole block of rows
/// k times down (the header's ncols and nrows × k, its corner and cell size kept), so regions,
/// places and habitat repeat in each tile and the tiles touch edge to edge.
enum TiledScenario {
    /// The scenario at `path` (relative layer paths, as `pva run` reads it) on its map tiled
    /// `k` × `k`, each initial group × k²; k = 1 is the scenario as it stands.
    static func prepare(_ path: String, tiles k: Int, overrides: RunOverrides) throws(ScenarioErrors) -> ScenarioFile.Prepared {
        let file = path + (k == 1 ? "" : " (tiled \(k)×\(k))")
        let bytes = try ScenarioFile.input(path, what: "scenario")
        let read = ScenarioFile.loader(relativeTo: path)
        let loader: FileLoader = { relative in
            guard k > 1, case .bytes(let name, let grid) = read(relative) else { return read(relative) }
            return .bytes(path: name, tiled(grid, k))
        }
        var loaded = try ScenarioDecoder.decode(bytes: bytes, file: file, overrides: overrides, loader: loader)
        let factor = k * k
        for i in loaded.scenario.initialPopulation.indices {
            switch loaded.scenario.initialPopulation[i].composition {
            case .adults(let females, let males):
                loaded.scenario.initialPopulation[i].composition = .adults(females: females * factor, males: males * factor)
            case .total(let n):
                loaded.scenario.initialPopulation[i].composition = .total(n * factor)
            case .individuals(let animals):
                loaded.scenario.initialPopulation[i].composition = .individuals(animals.map {
                    var a = $0
                    a.count *= factor
                    return a
                })
            }
        }
        let model = try EngineModel.compile(loaded.scenario, file: file)
        return ScenarioFile.Prepared(loaded: loaded, model: model, inputs: [path] + loaded.files.map { $0.path })
    }

    /// An ESRI ASCII grid tiled `k` × `k`: header lines (those starting with a letter) kept,
    /// ncols and nrows × k; each data row written k times side by side, the rows k times over.
    static func tiled(_ grid: [UInt8], _ k: Int) -> [UInt8] {
        let text = String(decoding: grid, as: UTF8.self)
        var header: [String] = [], rows: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            if rows.isEmpty, let first = trimmed.unicodeScalars.first, first.properties.isAlphabetic {
                let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
                let key = fields[0].lowercased()
                if (key == "ncols" || key == "nrows"), fields.count == 2, let n = Int(fields[1]) {
                    header.append("\(fields[0]) \(n * k)")
                } else {
                    header.append(trimmed)
                }
            } else {
                rows.append(trimmed)
            }
        }
        var out = header.joined(separator: "\n") + "\n"
        for _ in 0..<k {
            for row in rows { out += Array(repeating: row, count: k).joined(separator: " ") + "\n" }
        }
        return Array(out.utf8)
    }
}

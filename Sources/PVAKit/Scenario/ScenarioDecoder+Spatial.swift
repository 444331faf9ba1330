import Foundation

/// A file a scenario refers to, as the command line read it.
public enum LoadedFile: Sendable {
    /// `path` is how to name the file in messages (relative to the working directory).
    case bytes(path: String, [UInt8])
    case failure(path: String, reason: String)
}

/// Reads a file named relative to the scenario. The engine does no I/O, so
/// the command line supplies this.
public typealias FileLoader = @Sendable (_ relativePath: String) -> LoadedFile

/// Collects the files read while decoding, for the provenance hash.
final class FileLog {
    var files: [(path: String, bytes: [UInt8])] = []
}

extension ScenarioDecoder {
    /// One layer as decoded: values per cell (nil = NODATA) and where they came from.
    struct LayerValues {
        /// Per cell, NaN where NODATA.
        var values: [Double]
        var columns: Int
        var rows: Int
        var header: ESRIASCIIGrid.Header?
        /// The file (for messages) and the line of each row, or nil for inline layers.
        var file: String?
        var rowLines: [Int]
        var path: String
    }

    /// The landscape's layer names and the range each layer's values must lie in.
    static let layerSpecs: [(name: String, range: ClosedRange<Double>, integer: Bool, fallback: Double)] = [
        ("suitability", 0...1, false, 0),
        ("prey", 0...1e6, false, 1),
        ("permeability", 0...1, false, 1),
        ("poaching", 0...1e6, false, 1),
        ("roads", 0...1, false, 0),
        ("protected", 0...1, true, 0),
        ("region", 0...1e9, true, 0),
        ("disease", 0...1e6, false, 1),
    ]

    static func decodeLayer(_ node: JSONNode, name: String, path: String, range: ClosedRange<Double>, integer: Bool,
                            diagnostics: Diagnostics, loader: FileLoader?, log: FileLog, resolved: inout JSONOutput,
                            missing: inout [(relative: String, shown: String, path: String)]) -> LayerValues? {
        switch node.value {
        case .string(let file):
            resolved = .string(file)
            guard let loader else {
                diagnostics.add(path, "layer files cannot be read here (no file access)", got: node.value)
                return nil
            }
            switch loader(file) {
            case .failure(let shown, let reason):
                if reason == "no such file" {
                    missing.append((relative: file, shown: shown, path: path))  // reported together (a copied scenario)
                } else {
                    diagnostics.add(path, "cannot read layer file \(shown): \(reason)", got: node.value)
                }
                return nil
            case .bytes(let shown, let bytes):
                log.files.append((path: file, bytes: bytes))
                let grid: ESRIASCIIGrid
                do {
                    grid = try ESRIASCIIGrid.parse(bytes, file: shown)
                } catch {
                    for issue in error.issues { diagnostics.add(issue) }
                    return nil
                }
                // Values outside the layer's range: name the file and line.
                for (i, v) in grid.values.enumerated() where !v.isNaN {
                    if !range.contains(v) || (integer && v != v.rounded()) {
                        let row = i / grid.header.columns
                        diagnostics.add(ScenarioIssue(file: shown, path: "line \(grid.rowLines[row])",
                                                      message: "value \(i % grid.header.columns + 1) of row \(row + 1) is not a valid \(name) (\(integer ? "a whole number " : "")\(NumberFormatting.shortest(range.lowerBound))…\(NumberFormatting.shortest(range.upperBound)))",
                                                      got: NumberFormatting.shortest(v)))
                        return nil
                    }
                }
                return LayerValues(values: grid.values, columns: grid.header.columns, rows: grid.header.rows,
                                   header: grid.header, file: shown, rowLines: grid.rowLines, path: path)
            }
        case .array(let rowsNodes):
            var values: [Double] = []
            var outputs: [JSONOutput] = []
            var columns = -1
            for (r, rowNode) in rowsNodes.enumerated() {
                guard case .array(let cells) = rowNode.value else {
                    diagnostics.add("\(path)[\(r)]", "must be an array of numbers (a row of the grid)", got: rowNode.value)
                    return nil
                }
                if columns < 0 { columns = cells.count }
                guard cells.count == columns, columns > 0 else {
                    diagnostics.add("\(path)[\(r)]", "row has \(cells.count) values, expected \(columns)", got: rowNode.value)
                    return nil
                }
                var rowOut: [JSONOutput] = []
                for (c, cell) in cells.enumerated() {
                    if case .null = cell.value {
                        values.append(.nan)
                        rowOut.append(.null)
                        continue
                    }
                    guard let v = ObjectReader.number(cell, path: "\(path)[\(r)][\(c)]", diagnostics: diagnostics,
                                                      min: range.lowerBound, max: range.upperBound) else { return nil }
                    if integer && v != v.rounded() {
                        diagnostics.add("\(path)[\(r)][\(c)]", "must be a whole number", got: cell.value)
                        return nil
                    }
                    values.append(v)
                    rowOut.append(.number(v))
                }
                outputs.append(.array(rowOut))
            }
            guard !rowsNodes.isEmpty else {
                diagnostics.add(path, "must not be empty", got: node.value)
                return nil
            }
            resolved = .array(outputs)
            return LayerValues(values: values, columns: columns, rows: rowsNodes.count, header: nil, file: nil, rowLines: [], path: path)
        case .number:
            guard let v = ObjectReader.number(node, path: path, diagnostics: diagnostics, min: range.lowerBound, max: range.upperBound) else { return nil }
            resolved = .number(v)
            return LayerValues(values: [v], columns: 0, rows: 0, header: nil, file: nil, rowLines: [], path: path)
        default:
            diagnostics.add(path, "must be a file name (.asc), an array of rows, or a number for the whole grid", got: node.value)
            return nil
        }
    }

    static func decodeSpatial(_ r: inout ObjectReader, loader: FileLoader?, log: FileLog) -> SpatialSettings? {
        let diagnostics = r.diagnostics
        let givenCellSize = r.has("cellSize") ? r.number("cellSize", min: 0.01, max: 100) : nil
        let unitsName = r.string("gridUnits", default: "metres", oneOf: ["metres", "kilometres"])
        var layers: [String: LayerValues] = [:]
        var failed = r.has("cellSize") && givenCellSize == nil
        var missing: [(relative: String, shown: String, path: String)] = []
        let layersPath = r.childPath("layers")
        _ = r.object("layers", required: true) { l -> Bool? in
            for spec in layerSpecs {
                guard let node = l.node(spec.name, required: spec.name == "suitability") else { continue }
                var out = JSONOutput.null
                if let layer = decodeLayer(node, name: spec.name, path: l.childPath(spec.name), range: spec.range, integer: spec.integer,
                                           diagnostics: diagnostics, loader: loader, log: log, resolved: &out, missing: &missing) {
                    layers[spec.name] = layer
                } else {
                    failed = true
                }
                l.setResolved(spec.name, out)
            }
            return true
        }
        if missing.count == 1 {
            diagnostics.add(missing[0].path, "cannot read layer file \(missing[0].shown): no such file (layer paths are relative to the scenario file's folder)",
                            gotText: "\"\(missing[0].relative)\"")
        } else if missing.count > 1 {
            diagnostics.add(layersPath, "cannot read \(missing.count) layer files: no such file (looked for \(missing[0].shown), …). "
                            + "Layer paths are relative to the scenario file's folder: a scenario copied elsewhere needs its layer folder "
                            + "beside it, or paths that lead to the layers",
                            gotText: missing.map(\.relative).joined(separator: ", "))
        }
        // One grid for all layers.
        guard let suitability = layers["suitability"], !failed, let unitsName else {
            skipRest(&r)
            return nil
        }
        // The header's cellsize is in the grid's units (a projected map's metres by default); the
        // scenario's cellSize is in km. Absent, it is read from the header; given, it must agree.
        let unitsPerKm = unitsName == "metres" ? 1000.0 : 1.0
        var cellSize = givenCellSize ?? 5
        if let header = suitability.header {
            let headerKm = header.cellSize / unitsPerKm
            if let given = givenCellSize {
                if abs(headerKm - given) > 1e-9 * given {
                    diagnostics.add(ScenarioIssue(file: suitability.file!, path: "line \(header.cellSizeLine)",
                                                  message: "cellsize \(NumberFormatting.shortest(header.cellSize)) (in \(unitsName), landscape.gridUnits) makes cells of \(NumberFormatting.shortest(headerKm)) km, "
                                                      + "but landscape.cellSize is \(NumberFormatting.shortest(given)) km: the map would be read at the wrong scale",
                                                  got: NumberFormatting.shortest(header.cellSize)))
                    skipRest(&r)
                    return nil
                }
            } else if headerKm < 0.01 || headerKm > 100 {
                diagnostics.add(ScenarioIssue(file: suitability.file!, path: "line \(header.cellSizeLine)",
                                              message: "cellsize \(NumberFormatting.shortest(header.cellSize)) \(unitsName) is \(NumberFormatting.shortest(headerKm)) km, outside 0.01–100 km (is landscape.gridUnits right?)",
                                              got: NumberFormatting.shortest(header.cellSize)))
                skipRest(&r)
                return nil
            } else {
                cellSize = headerKm
            }
        }
        r.setResolved("cellSize", .number(cellSize))
        guard suitability.columns > 0 else {
            diagnostics.add(suitability.path, "the suitability layer must be a grid (a file or rows), not one number")
            skipRest(&r)
            return nil
        }
        let columns = suitability.columns, rows = suitability.rows
        for spec in layerSpecs {
            guard let layer = layers[spec.name], layer.columns > 0, spec.name != "suitability" else { continue }
            if let h = layer.header, let h0 = suitability.header, let difference = h.difference(from: h0) {
                diagnostics.add(ScenarioIssue(file: layer.file!, path: "line 1", message: "header differs from \(suitability.file!) (\(difference))"))
                failed = true
            } else if layer.columns != columns || layer.rows != rows {
                diagnostics.add(layer.path, "grid is \(layer.columns) × \(layer.rows) cells, but suitability is \(columns) × \(rows)")
                failed = true
            }
        }
        if failed { skipRest(&r); return nil }
        let n = columns * rows
        /// A layer's values with NODATA as 0 ("none": no prey, impassable, no pressure, no road,
        /// unprotected, no region), converted to the type the landscape stores.
        func layer<T>(_ name: String, _ convert: (Double) -> T) -> [T] {
            guard let l = layers.removeValue(forKey: name) else {
                return [T](repeating: convert(layerSpecs.first { $0.name == name }!.fallback), count: n)
            }
            if l.columns == 0 { return [T](repeating: convert(l.values[0].isNaN ? 0 : l.values[0]), count: n) }
            return l.values.map { convert($0.isNaN ? 0 : $0) }
        }
        let onMap = suitability.values.map { !$0.isNaN }
        let suit = layer("suitability") { Float($0) }
        let prey = layer("prey") { Float($0) }
        let permeability = layer("permeability") { Float($0) }
        let poaching = layer("poaching") { Float($0) }
        let roads = layer("roads") { Float($0) }
        let protected = layer("protected") { $0 > 0 }
        let regionCode = layer("region") { Int32($0) }
        let disease = layers["disease"] == nil ? nil : layer("disease") { Float($0) }

        let regions = r.objects("regions", required: false) { g -> Region? in
            let name = g.string("name")
            var cells: [Int32]?
            switch (g.has("layerValues"), g.has("rectangle")) {
            case (true, false):
                if let values = g.integers("layerValues", required: true, allowEmpty: false, min: 1, max: 1_000_000_000) {
                    let wanted = Set(values.map(Int32.init))
                    cells = (0..<n).filter { onMap[$0] && wanted.contains(regionCode[$0]) }.map(Int32.init)
                }
            case (false, true):
                cells = g.object("rectangle", required: true) { decodeRectangle(&$0, columns: columns, rows: rows, onMap: onMap) }
            default:
                g.diagnostics.add(g.path, "give either \"layerValues\" or \"rectangle\"")
            }
            guard let name, let cells else { return nil }
            return Region(name: name, cells: cells)
        }
        if !r.has("regions") { r.setResolved("regions", .array([])) }
        if let regions {
            var seen: Set<String> = []
            for (i, region) in regions.enumerated() where !seen.insert(region.name).inserted {
                diagnostics.add(r.childPath("regions[\(i)].name"), "region names must be unique", gotText: "\"\(region.name)\"")
            }
        }
        let territories = r.object("territories", required: false) { t -> TerritorySettings? in
            let requirement = t.number("femaleRequirement", default: 45, min: 0, max: 100_000, exclusiveMin: true)
            let maximum = t.number("femaleMaximumArea", default: 300, min: 0, max: 100_000, exclusiveMin: true)
            let perMale = t.integer("femalesPerMale", default: 2, min: 1, max: 4)
            let mate = t.number("mateSearchDistance", default: 15, min: 0, max: 1000)
            let floater = t.probability("floaterSurvival", default: 0.9)
            guard let requirement, let maximum, let perMale, let mate, let floater else { return nil }
            return TerritorySettings(femaleRequirement: requirement, femaleMaximumArea: maximum, femalesPerMale: perMale,
                                     mateSearchDistance: mate, floaterSurvival: floater)
        }
        if !r.has("territories") { r.setResolved("territories", defaultTerritoriesJSON) }
        let dispersal = r.object("dispersal", required: false) { d -> DispersalSettings? in
            func kernel(_ key: String, _ mean: Double) -> DispersalKernel? {
                let k = d.object(key, required: false) { k -> DispersalKernel? in
                    let m = k.number("meanDistance", default: mean, min: 0, max: 2000, exclusiveMin: true)
                    let s = k.number("sigma", default: 0.8, min: 0, max: 5, exclusiveMin: true)
                    guard let m, let s else { return nil }
                    return DispersalKernel(meanDistance: m, sigma: s)
                }
                if !d.has(key) { d.setResolved(key, .object(["meanDistance": .number(mean), "sigma": .number(0.8)])); return DispersalKernel(meanDistance: mean, sigma: 0.8) }
                return k
            }
            let female = kernel("female", 30), male = kernel("male", 45)
            let radius = d.number("searchRadius", default: 15, min: 0, max: 1000)
            let persistence = d.number("persistence", default: 4, min: 0, max: 50)
            let correlation = d.number("correlationLength", default: 25, min: 0, max: 100_000, exclusiveMin: true)
            let budget = d.number("stepBudgetFactor", default: 4, min: 1, max: 100)
            let mortality = d.probability("nonHabitatStepMortality", default: 0.01)
            let onTheWay = d.bool("settleOnTheWay", default: true)
            let after = d.number("settleAfter", default: 10, min: 0, max: 2000)
            guard let female, let male, let radius, let persistence, let correlation, let budget, let mortality,
                  let onTheWay, let after else { return nil }
            return DispersalSettings(female: female, male: male, searchRadius: radius, persistence: persistence,
                                     correlationLength: correlation, stepBudgetFactor: budget, nonHabitatStepMortality: mortality,
                                     settleOnTheWay: onTheWay, settleAfter: after)
        }
        if !r.has("dispersal") { r.setResolved("dispersal", defaultDispersalJSON) }
        guard let regions = regions ?? (r.has("regions") ? nil : []),
              let territories = territories ?? (r.has("territories") ? nil : TerritorySettings()),
              let dispersal = dispersal ?? (r.has("dispersal") ? nil : DispersalSettings()) else { return nil }
        let landscape = Landscape(columns: columns, rows: rows, cellSize: cellSize, onMap: onMap, suitability: suit, prey: prey,
                                  permeability: permeability, poachingRaw: poaching, roads: roads, protected: protected,
                                  regionCode: regionCode, regions: regions, diseaseRaw: disease)
        if disease != nil && !(0..<landscape.cellCount).contains(where: { landscape.isHabitat($0) && disease![$0] > 0 }) {
            diagnostics.add(r.childPath("layers.disease"), "is 0 on every habitat cell: it says where spillover is raised, so some habitat must have it (leave the layer out for the same pressure everywhere)")
            return nil
        }
        if landscape.habitatCellCount == 0 {
            diagnostics.add(r.childPath("layers.suitability"), "the map has no habitat (every cell has suitability 0 or NODATA)")
            return nil
        }
        return SpatialSettings(landscape: landscape, territories: territories, dispersal: dispersal)
    }

    static let defaultTerritoriesJSON = JSONOutput.object([
        "femaleRequirement": .number(45), "femaleMaximumArea": .number(300), "femalesPerMale": .integer(2),
        "mateSearchDistance": .number(15), "floaterSurvival": .number(0.9),
    ])
    static let defaultDispersalJSON = JSONOutput.object([
        "female": .object(["meanDistance": .number(30), "sigma": .number(0.8)]),
        "male": .object(["meanDistance": .number(45), "sigma": .number(0.8)]),
        "searchRadius": .number(15), "persistence": .number(4), "correlationLength": .number(25), "stepBudgetFactor": .number(4),
        "nonHabitatStepMortality": .number(0.01), "settleOnTheWay": .bool(true), "settleAfter": .number(10),
    ])

    /// Marks the remaining keys as read so that a failed grid does not also report them as unknown.
    private static func skipRest(_ r: inout ObjectReader) {
        for key in ["regions", "territories", "dispersal"] { _ = r.node(key, required: false) }
    }

    /// A rectangle of cells {column, row, columns, rows} (row 0 the northern row), the cells
    /// on the map within it in ascending order.
    static func decodeRectangle(_ rect: inout ObjectReader, columns: Int, rows: Int, onMap: [Bool]) -> [Int32]? {
        let c0 = rect.integer("column", min: 0, max: columns - 1), r0 = rect.integer("row", min: 0, max: rows - 1)
        let w = rect.integer("columns", min: 1, max: columns), h = rect.integer("rows", min: 1, max: rows)
        guard let c0, let r0, let w, let h else { return nil }
        guard c0 + w <= columns, r0 + h <= rows else {
            rect.diagnostics.add(rect.path, "rectangle reaches beyond the \(columns) × \(rows) grid")
            return nil
        }
        var out: [Int32] = []
        for row in r0..<(r0 + h) { for col in c0..<(c0 + w) where onMap[row * columns + col] { out.append(Int32(row * columns + col)) } }
        return out
    }
}

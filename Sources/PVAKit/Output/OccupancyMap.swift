import Foundation

/// `occupancy.svg`: the final-year occupancy map, drawn by our own code.
///
/// Each habitat cell is coloured by the share of replicates in which a
/// resident's territory covered it in the final year, on a stated six-step
/// scale; cells off the map (NODATA: sea, outside the study area), barriers
/// (permeability 0) and passable non-habitat have their own colours; road
/// cells carry a mark. Region outlines are drawn in distinct colours and
/// numbered, with names in the legend; a scale bar and a north arrow give
/// distance and orientation.
extension RunReport {
    var occupancySVG: String? {
        guard let sp = model.spatial else { return nil }
        return OccupancyMap(landscape: sp.landscape, territoryOfCell: sp.layout.femaleOfCell, occupancy: result.tallies.occupancy,
                            replicates: summary.replicates, title: model.scenario.name,
                            year: model.startYear + model.years).svg
    }
}

struct OccupancyMap {
    let landscape: Landscape
    /// Female territory of each cell (−1: habitat left over by the layout).
    let territoryOfCell: [Int32]
    let occupancy: [Int]
    let replicates: Int
    let title: String
    let year: Int

    /// Upper bounds of the occupancy classes and their colours (light to dark).
    static let classes: [(upper: Double, colour: String, label: String)] = [
        (0, "#fffbe6", "0 (never)"),
        (0.1, "#fde7a5", "up to 0.1"),
        (0.25, "#f9b863", "0.1–0.25"),
        (0.5, "#ee7f3a", "0.25–0.5"),
        (0.75, "#cc4325", "0.5–0.75"),
        (1, "#7f1d12", "0.75–1"),
    ]
    static let offMap = "#d6e4ef"
    static let barrier = "#4d4d4d"
    static let nonHabitat = "#ece9e1"
    static let leftover = "#c9d8b6"
    static let road = "#222222"
    static let regionColours = ["#1b4fa0", "#168a55", "#7b2f9e", "#b0368c", "#0d8c9c", "#6b6b00", "#c25400", "#2f2f8f"]

    static func colour(for share: Double) -> String {
        for c in classes where share <= c.upper { return c.colour }
        return classes[classes.count - 1].colour
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func f(_ x: Double) -> String { NumberFormatting.fixed(x, decimals: 1) }

    var svg: String {
        let l = landscape
        let pixel = max(3.0, min(14.0, (900.0 / Double(l.columns)).rounded(.down)))
        let mapWidth = Double(l.columns) * pixel, mapHeight = Double(l.rows) * pixel
        let left = 20.0, top = 56.0, legendWidth = 330.0
        let width = left + mapWidth + 24 + legendWidth, height = max(top + mapHeight + 70, top + 40 + Double(Self.classes.count + l.regions.count + 6) * 20)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.f(width))\" height=\"\(Self.f(height))\" viewBox=\"0 0 \(Self.f(width)) \(Self.f(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(Self.f(left))\" y=\"24\" font-size=\"16\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
        out += "<text x=\"\(Self.f(left))\" y=\"44\" font-size=\"12\">Occupancy in \(year): share of \(replicates) replicates with a resident's territory on the cell</text>\n"
        // Cells.
        out += "<g shape-rendering=\"crispEdges\">\n"
        for c in 0..<l.cellCount {
            let x = left + Double(l.column(c)) * pixel, y = top + Double(l.row(c)) * pixel
            let fill: String
            if !l.onMap[c] {
                fill = Self.offMap
            } else if l.isHabitat(c) {
                fill = territoryOfCell[c] < 0 ? Self.leftover
                    : Self.colour(for: replicates > 0 ? Double(occupancy[c]) / Double(replicates) : 0)
            } else if l.permeability[c] <= 0 {
                fill = Self.barrier
            } else {
                fill = Self.nonHabitat
            }
            out += "<rect x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" width=\"\(Self.f(pixel))\" height=\"\(Self.f(pixel))\" fill=\"\(fill)\"/>\n"
        }
        out += "</g>\n"
        // Roads: a small dark square in the cell.
        out += "<g fill=\"\(Self.road)\">\n"
        for c in 0..<l.cellCount where l.onMap[c] && l.roads[c] > 0 {
            let x = left + (Double(l.column(c)) + 0.35) * pixel, y = top + (Double(l.row(c)) + 0.35) * pixel
            out += "<rect x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" width=\"\(Self.f(0.3 * pixel))\" height=\"\(Self.f(0.3 * pixel))\"/>\n"
        }
        out += "</g>\n"
        // Region outlines: every cell edge between a member and a non-member.
        for (r, region) in l.regions.enumerated() {
            var member = [Bool](repeating: false, count: l.cellCount)
            for c in region.cells { member[Int(c)] = true }
            var path = ""
            for c in region.cells.map(Int.init) {
                let col = l.column(c), row = l.row(c)
                let x0 = left + Double(col) * pixel, y0 = top + Double(row) * pixel
                let x1 = x0 + pixel, y1 = y0 + pixel
                if row == 0 || !member[c - l.columns] { path += "M\(Self.f(x0)) \(Self.f(y0))H\(Self.f(x1))" }
                if row == l.rows - 1 || !member[c + l.columns] { path += "M\(Self.f(x0)) \(Self.f(y1))H\(Self.f(x1))" }
                if col == 0 || !member[c - 1] { path += "M\(Self.f(x0)) \(Self.f(y0))V\(Self.f(y1))" }
                if col == l.columns - 1 || !member[c + 1] { path += "M\(Self.f(x1)) \(Self.f(y0))V\(Self.f(y1))" }
            }
            let colour = Self.regionColours[r % Self.regionColours.count]
            let dash = r < Self.regionColours.count ? "" : " stroke-dasharray=\"6 3\""
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>\n"
        }
        // Region numbers at the member cell nearest each region's centre.
        for (r, region) in l.regions.enumerated() where !region.cells.isEmpty {
            let points = region.cells.map { (col: Double(l.column(Int($0))), row: Double(l.row(Int($0)))) }
            let mc = points.reduce(0) { $0 + $1.col } / Double(points.count), mr = points.reduce(0) { $0 + $1.row } / Double(points.count)
            let best = points.min { ($0.col - mc) * ($0.col - mc) + ($0.row - mr) * ($0.row - mr) < ($1.col - mc) * ($1.col - mc) + ($1.row - mr) * ($1.row - mr) }!
            let x = left + (best.col + 0.5) * pixel, y = top + (best.row + 0.5) * pixel
            let colour = Self.regionColours[r % Self.regionColours.count]
            out += "<circle cx=\"\(Self.f(x))\" cy=\"\(Self.f(y))\" r=\"9\" fill=\"white\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            out += "<text x=\"\(Self.f(x))\" y=\"\(Self.f(y + 4))\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"\(colour)\">\(r + 1)</text>\n"
        }
        out += "<rect x=\"\(Self.f(left))\" y=\"\(Self.f(top))\" width=\"\(Self.f(mapWidth))\" height=\"\(Self.f(mapHeight))\" fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>\n"
        // North arrow.
        let nx = left + mapWidth - 18, ny = top + 14
        out += "<path d=\"M\(Self.f(nx)) \(Self.f(ny - 8))L\(Self.f(nx - 6)) \(Self.f(ny + 8))L\(Self.f(nx)) \(Self.f(ny + 4))L\(Self.f(nx + 6)) \(Self.f(ny + 8))Z\" fill=\"#333\"/>\n"
        out += "<text x=\"\(Self.f(nx))\" y=\"\(Self.f(ny + 22))\" font-size=\"11\" text-anchor=\"middle\">N</text>\n"
        // Scale bar: a round length near a fifth of the map width.
        let mapKm = Double(l.columns) * l.cellSize
        let target = mapKm / 5
        let magnitude = pow10(floor(log10(max(target, 1e-9))))
        let km = [1.0, 2, 5, 10].map { $0 * magnitude }.last { $0 <= target } ?? magnitude
        let barPixels = km / l.cellSize * pixel
        let by = top + mapHeight + 26
        out += "<g stroke=\"#333\" stroke-width=\"2\"><path d=\"M\(Self.f(left)) \(Self.f(by))H\(Self.f(left + barPixels))M\(Self.f(left)) \(Self.f(by - 5))V\(Self.f(by + 5))M\(Self.f(left + barPixels)) \(Self.f(by - 5))V\(Self.f(by + 5))M\(Self.f(left + barPixels / 2)) \(Self.f(by - 3))V\(Self.f(by + 3))\"/></g>\n"
        out += "<text x=\"\(Self.f(left + barPixels + 8))\" y=\"\(Self.f(by + 4))\" font-size=\"12\">\(NumberFormatting.shortest(km)) km (cells of \(NumberFormatting.shortest(l.cellSize)) km)</text>\n"
        // Legend.
        var ly = top + 8
        let lx = left + mapWidth + 24
        func swatch(_ fill: String, _ label: String, stroke: String = "#999") {
            out += "<rect x=\"\(Self.f(lx))\" y=\"\(Self.f(ly - 11))\" width=\"16\" height=\"14\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"0.5\"/>\n"
            out += "<text x=\"\(Self.f(lx + 24))\" y=\"\(Self.f(ly))\" font-size=\"12\">\(Self.escape(label))</text>\n"
            ly += 20
        }
        out += "<text x=\"\(Self.f(lx))\" y=\"\(Self.f(ly))\" font-size=\"13\" font-weight=\"bold\">Occupancy (habitat cells)</text>\n"
        ly += 20
        for c in Self.classes { swatch(c.colour, c.label) }
        ly += 6
        swatch(Self.leftover, "habitat in no territory (too little to make one)")
        swatch(Self.nonHabitat, "non-habitat, passable")
        swatch(Self.barrier, "barrier (permeability 0)")
        swatch(Self.offMap, "outside the map (sea, NODATA)")
        out += "<rect x=\"\(Self.f(lx + 5))\" y=\"\(Self.f(ly - 7))\" width=\"5\" height=\"5\" fill=\"\(Self.road)\"/>\n"
        out += "<text x=\"\(Self.f(lx + 24))\" y=\"\(Self.f(ly))\" font-size=\"12\">road (mortality &gt; 0)</text>\n"
        ly += 26
        out += "<text x=\"\(Self.f(lx))\" y=\"\(Self.f(ly))\" font-size=\"13\" font-weight=\"bold\">Regions</text>\n"
        ly += 20
        for (r, region) in l.regions.enumerated() {
            let colour = Self.regionColours[r % Self.regionColours.count]
            out += "<text x=\"\(Self.f(lx))\" y=\"\(Self.f(ly))\" font-size=\"12\" font-weight=\"bold\" fill=\"\(colour)\">\(r + 1)</text>\n"
            out += "<text x=\"\(Self.f(lx + 24))\" y=\"\(Self.f(ly))\" font-size=\"12\">\(Self.escape(region.name))</text>\n"
            ly += 20
        }
        out += "</svg>\n"
        return out
    }

    private func pow10(_ x: Double) -> Double { Foundation.pow(10, x) }
    private func floor(_ x: Double) -> Double { x.rounded(.down) }
    private func log10(_ x: Double) -> Double { Foundation.log10(x) }
}

import Foundation

extension RunReport {
    /// `occupancy.svg`: the final-year occupancy map (see `OccupancyMap`).
    var occupancySVG: String? { occupancySVG(id: nil) }

    /// The map, as a file (`id` nil) or to be placed in a page with that element id.
    func occupancySVG(id: String?) -> String? {
        guard let sp = model.spatial else { return nil }
        return OccupancyMap(landscape: sp.landscape, territoryOfCell: sp.layout.femaleOfCell,
                            occupancy: result.tallies.occupancy, occupancyExtant: result.tallies.occupancyExtant,
                            replicates: summary.replicates, extant: summary.replicates - summary.final.extinct.successes,
                            title: model.scenario.name, year: model.startYear + model.years, id: id).svg
    }
}

/// The final-year occupancy map, drawn by our own code: two panels side by
/// side, the share of all replicates and the share of replicates not extinct
/// in which a resident's territory covered each cell, on one stated scale.
///
/// - The scale is fitted to the data: "never" plus five equal classes up to a
///   round value just above the highest share, in a colour-blind-safe
///   sequential palette (viridis), so a map whose shares all lie between 0.25
///   and 0.5 still shows its contrasts.
/// - Habitat the layout left outside every territory is drawn as habitat that
///   was never occupied (it cannot be), not as a class of its own.
/// - Cells are one pixel each of an embedded PNG (`PNGImage`), scaled up
///   without smoothing, with roads as a transparent overlay, so a map of 10⁷
///   cells stays a few MB.
/// - Region outlines are drawn in distinct colours, each moved a few pixels
///   into its region by its own amount, so outlines that share an edge show
///   as parallel lines instead of hiding each other; each region is numbered
///   at its centre, with names in the legend.
/// - A scale bar and a north arrow give distance and orientation.
struct OccupancyMap {
    let landscape: Landscape
    /// Female territory of each cell (−1: habitat left over by the layout).
    let territoryOfCell: [Int32]
    let occupancy: [Int]
    let occupancyExtant: [Int]
    let replicates: Int
    let extant: Int
    let title: String
    let year: Int
    /// When the map is placed in a page (report.html): the `id` of its root element, which
    /// then carries `class="map"`, `role="img"` and `aria-labelledby` naming its title
    /// (nil: the stand-alone file, occupancy.svg).
    var id: String? = nil

    /// Viridis at five steps, light to dark (Smith & van der Walt 2015).
    static let classColours: [(r: UInt8, g: UInt8, b: UInt8)] = [
        (0xfd, 0xe7, 0x25), (0x5e, 0xc9, 0x62), (0x21, 0x91, 0x8c), (0x3b, 0x52, 0x8b), (0x44, 0x01, 0x54),
    ]
    static let never: (r: UInt8, g: UInt8, b: UInt8) = (0xe8, 0xec, 0xd9)
    static let offMap: (r: UInt8, g: UInt8, b: UInt8) = (0xd6, 0xe4, 0xef)
    static let barrier: (r: UInt8, g: UInt8, b: UInt8) = (0x4d, 0x4d, 0x4d)
    static let nonHabitat: (r: UInt8, g: UInt8, b: UInt8) = (0xfa, 0xf7, 0xf0)
    static let road: (r: UInt8, g: UInt8, b: UInt8) = (0xd6, 0x27, 0x28)
    static let regionColours = ["#1b4fa0", "#e66100", "#7b2f9e", "#1a9850", "#b0368c", "#0d8c9c", "#6b6b00", "#2f2f8f"]

    /// Palette indices of the cell image.
    enum Shade: UInt8 {
        case offMap = 0, barrier, nonHabitat, never
        /// Occupancy classes follow, 4…8.
        static let firstClass: UInt8 = 4
    }

    static func hex(_ c: (r: UInt8, g: UInt8, b: UInt8)) -> String {
        let digits = Array("0123456789abcdef")
        return "#" + String([c.r, c.g, c.b].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "\n", with: " ")
    }

    static func f(_ x: Double) -> String { NumberFormatting.fixed(x, decimals: 1) }

    /// The top of the scale: a round value at or above the highest share.
    static func top(_ highest: Double) -> Double {
        [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 0.8, 1].first { $0 >= highest - 1e-12 } ?? 1
    }

    /// Share of `count` in `of` replicates, per cell.
    func share(_ counts: [Int], _ of: Int, _ c: Int) -> Double { of > 0 ? Double(counts[c]) / Double(of) : 0 }

    var highest: Double {
        var h = 0.0
        for c in 0..<landscape.cellCount where territoryOfCell[c] >= 0 {
            h = max(h, share(occupancy, replicates, c), share(occupancyExtant, extant, c))
        }
        return h
    }

    /// The cell image of one panel.
    func image(_ counts: [Int], _ of: Int, top: Double) -> PNGImage {
        let l = landscape
        var pixels = [UInt8](repeating: 0, count: l.cellCount)
        for c in 0..<l.cellCount {
            let shade: UInt8
            if !l.onMap[c] {
                shade = Shade.offMap.rawValue
            } else if l.isHabitat(c) {
                let s = territoryOfCell[c] >= 0 ? share(counts, of, c) : 0
                shade = s <= 0 ? Shade.never.rawValue : Shade.firstClass + UInt8(min(4, max(0, Int((s / top * 5).rounded(.up)) - 1)))
            } else {
                shade = l.permeability[c] <= 0 ? Shade.barrier.rawValue : Shade.nonHabitat.rawValue
            }
            pixels[c] = shade
        }
        return PNGImage(width: l.columns, height: l.rows, pixels: pixels,
                        palette: [Self.offMap, Self.barrier, Self.nonHabitat, Self.never] + Self.classColours)
    }

    /// Road cells over a transparent image.
    var roadImage: PNGImage? {
        let l = landscape
        guard l.roads.contains(where: { $0 > 0 }) else { return nil }
        let pixels = (0..<l.cellCount).map { c -> UInt8 in l.onMap[c] && l.roads[c] > 0 ? 1 : 0 }
        return PNGImage(width: l.columns, height: l.rows, pixels: pixels, palette: [(0, 0, 0), Self.road], transparent: [0])
    }

    static func dataURI(_ image: PNGImage) -> String { "data:image/png;base64," + Data(image.data).base64EncodedString() }

    /// Every cell edge between a region's member and a non-member, in map pixels, moved
    /// `inset` pixels into the region (so that regions sharing an edge draw parallel lines).
    func outline(_ region: Region, x0: Double, y0: Double, pixel: Double, inset: Double) -> String {
        let l = landscape
        var member = [Bool](repeating: false, count: l.cellCount)
        for c in region.cells { member[Int(c)] = true }
        var path = ""
        for c in region.cells.map(Int.init) {
            let col = l.column(c), row = l.row(c)
            let left = x0 + Double(col) * pixel, top = y0 + Double(row) * pixel
            let right = left + pixel, bottom = top + pixel
            if row == 0 || !member[c - l.columns] { path += "M\(Self.f(left)),\(Self.f(top + inset))H\(Self.f(right))" }
            if row == l.rows - 1 || !member[c + l.columns] { path += "M\(Self.f(left)),\(Self.f(bottom - inset))H\(Self.f(right))" }
            if col == 0 || !member[c - 1] { path += "M\(Self.f(left + inset)),\(Self.f(top))V\(Self.f(bottom))" }
            if col == l.columns - 1 || !member[c + 1] { path += "M\(Self.f(right - inset)),\(Self.f(top))V\(Self.f(bottom))" }
        }
        return path
    }

    var svg: String {
        let l = landscape
        let top = Self.top(highest)
        let panelWidth = 440.0
        let pixel = panelWidth / Double(l.columns)
        let mapWidth = panelWidth, mapHeight = Double(l.rows) * pixel
        let left = 20.0, gap = 30.0, mapTop = 76.0, legendWidth = 330.0
        let legendX = left + 2 * mapWidth + gap + 24
        let rowsInLegend = Double(5 + 6 + l.regions.count + 4)
        let width = legendX + legendWidth, height = max(mapTop + mapHeight + 60, mapTop + rowsInLegend * 20)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        if let id { out += "class=\"map\" id=\"\(Self.escape(id))\" role=\"img\" aria-labelledby=\"\(Self.escape(id))-title\" " }
        out += "width=\"\(Self.f(width))\" height=\"\(Self.f(height))\" viewBox=\"0 0 \(Self.f(width)) \(Self.f(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        out += "<title\(id.map { " id=\"\(Self.escape($0))-title\"" } ?? "")>\(Self.escape(title)): occupancy in \(year)</title>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(Self.f(left))\" y=\"24\" font-size=\"16\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
        out += "<text x=\"\(Self.f(left))\" y=\"44\" font-size=\"12\">Occupancy in \(year): share of replicates with a resident's territory on the cell (\(replicates) replicates, \(extant) not extinct)</text>\n"
        // Roads are defined once and used in both panels (under an id of the map's own in a page).
        let roadsID = id.map { Self.escape($0) + "-roads" } ?? "roads"
        if let roads = roadImage {
            out += "<defs>\n<image id=\"\(roadsID)\" width=\"\(l.columns)\" height=\"\(l.rows)\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"\(Self.dataURI(roads))\"/>\n</defs>\n"
        }
        for (panel, (counts, of, label)) in [(occupancy, replicates, "All \(replicates) replicates"),
                                              (occupancyExtant, extant, "The \(extant) replicates not extinct in \(year)")].enumerated() {
            let x0 = left + Double(panel) * (mapWidth + gap)
            out += "<text x=\"\(Self.f(x0))\" y=\"\(Self.f(mapTop - 10))\" font-size=\"13\" font-weight=\"bold\">\(Self.escape(label))</text>\n"
            out += "<g transform=\"translate(\(Self.f(x0)) \(Self.f(mapTop))) scale(\(pixel))\">\n"
            out += "<image width=\"\(l.columns)\" height=\"\(l.rows)\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"\(Self.dataURI(image(counts, of, top: top)))\"/>\n"
            if roadImage != nil { out += "<use href=\"#\(roadsID)\"/>\n" }
            out += "</g>\n"
            // Region outlines, each moved inwards by its own amount so none hides another.
            out += "<g fill=\"none\" stroke-width=\"1.6\">\n"
            for (r, region) in l.regions.enumerated() where !region.cells.isEmpty {
                let colour = Self.regionColours[r % Self.regionColours.count]
                let dash = r < Self.regionColours.count ? "" : " stroke-dasharray=\"6 3\""
                let inset = 0.8 + 1.7 * Double(r % 5)
                out += "<path d=\"\(outline(region, x0: x0, y0: mapTop, pixel: pixel, inset: inset))\" stroke=\"\(colour)\"\(dash)/>\n"
            }
            out += "</g>\n"
            // Region numbers at the member cell nearest each region's centre.
            for (r, region) in l.regions.enumerated() where !region.cells.isEmpty {
                let points = region.cells.map { (col: Double(l.column(Int($0))), row: Double(l.row(Int($0)))) }
                let mc = points.reduce(0) { $0 + $1.col } / Double(points.count), mr = points.reduce(0) { $0 + $1.row } / Double(points.count)
                let best = points.min { ($0.col - mc) * ($0.col - mc) + ($0.row - mr) * ($0.row - mr) < ($1.col - mc) * ($1.col - mc) + ($1.row - mr) * ($1.row - mr) }!
                let x = x0 + (best.col + 0.5) * pixel, y = mapTop + (best.row + 0.5) * pixel
                let colour = Self.regionColours[r % Self.regionColours.count]
                out += "<circle cx=\"\(Self.f(x))\" cy=\"\(Self.f(y))\" r=\"8\" fill=\"white\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
                out += "<text x=\"\(Self.f(x))\" y=\"\(Self.f(y + 4))\" font-size=\"10\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"\(colour)\">\(r + 1)</text>\n"
            }
            out += "<rect x=\"\(Self.f(x0))\" y=\"\(Self.f(mapTop))\" width=\"\(Self.f(mapWidth))\" height=\"\(Self.f(mapHeight))\" fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>\n"
        }
        // North arrow (on the first panel).
        let nx = left + mapWidth - 18, ny = mapTop + 14
        out += "<path d=\"M\(Self.f(nx)) \(Self.f(ny - 8))L\(Self.f(nx - 6)) \(Self.f(ny + 8))L\(Self.f(nx)) \(Self.f(ny + 4))L\(Self.f(nx + 6)) \(Self.f(ny + 8))Z\" fill=\"#333\"/>\n"
        out += "<text x=\"\(Self.f(nx))\" y=\"\(Self.f(ny + 22))\" font-size=\"11\" text-anchor=\"middle\">N</text>\n"
        // Scale bar: a round length near a fifth of the map width.
        let mapKm = Double(l.columns) * l.cellSize
        let target = mapKm / 5
        let magnitude = Foundation.pow(10, Foundation.log10(max(target, 1e-9)).rounded(.down))
        let km = [1.0, 2, 5, 10].map { $0 * magnitude }.last { $0 <= target } ?? magnitude
        let barPixels = km / l.cellSize * pixel
        let by = mapTop + mapHeight + 26
        out += "<g stroke=\"#333\" stroke-width=\"2\"><path d=\"M\(Self.f(left)) \(Self.f(by))H\(Self.f(left + barPixels))M\(Self.f(left)) \(Self.f(by - 5))V\(Self.f(by + 5))M\(Self.f(left + barPixels)) \(Self.f(by - 5))V\(Self.f(by + 5))\"/></g>\n"
        out += "<text x=\"\(Self.f(left + barPixels + 8))\" y=\"\(Self.f(by + 4))\" font-size=\"12\">\(NumberFormatting.shortest(km)) km (cells of \(NumberFormatting.shortest(l.cellSize)) km)</text>\n"
        // Legend.
        var ly = mapTop
        func swatch(_ fill: String, _ label: String) {
            out += "<rect x=\"\(Self.f(legendX))\" y=\"\(Self.f(ly - 11))\" width=\"16\" height=\"14\" fill=\"\(fill)\" stroke=\"#999\" stroke-width=\"0.5\"/>\n"
            out += "<text x=\"\(Self.f(legendX + 24))\" y=\"\(Self.f(ly))\" font-size=\"12\">\(Self.escape(label))</text>\n"
            ly += 20
        }
        out += "<text x=\"\(Self.f(legendX))\" y=\"\(Self.f(ly))\" font-size=\"13\" font-weight=\"bold\">Occupancy (habitat cells)</text>\n"
        ly += 20
        swatch(Self.hex(Self.never), "never (habitat, incl. any outside territories)")
        func number(_ x: Double) -> String { NumberFormatting.fixed(x, decimals: top < 0.1 ? 3 : 2) }
        for k in 0..<5 {
            swatch(Self.hex(Self.classColours[k]), "\(number(top * Double(k) / 5))–\(number(top * Double(k + 1) / 5))")
        }
        out += "<text x=\"\(Self.f(legendX))\" y=\"\(Self.f(ly))\" font-size=\"11\" fill=\"#555\">scale fitted to the highest share, \(NumberFormatting.fixed(highest, decimals: 3))</text>\n"
        ly += 24
        swatch(Self.hex(Self.nonHabitat), "non-habitat, passable")
        swatch(Self.hex(Self.barrier), "barrier (permeability 0)")
        swatch(Self.hex(Self.offMap), "outside the map (sea, NODATA)")
        if roadImage != nil { swatch(Self.hex(Self.road), "road (mortality > 0)") }
        ly += 6
        out += "<text x=\"\(Self.f(legendX))\" y=\"\(Self.f(ly))\" font-size=\"13\" font-weight=\"bold\">Regions</text>\n"
        ly += 20
        for (r, region) in l.regions.enumerated() {
            let colour = Self.regionColours[r % Self.regionColours.count]
            out += "<text x=\"\(Self.f(legendX))\" y=\"\(Self.f(ly))\" font-size=\"12\" font-weight=\"bold\" fill=\"\(colour)\">\(r + 1)</text>\n"
            out += "<text x=\"\(Self.f(legendX + 24))\" y=\"\(Self.f(ly))\" font-size=\"12\">\(Self.escape(region.name))</text>\n"
            ly += 20
        }
        out += "</svg>\n"
        return out
    }
}

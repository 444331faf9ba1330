import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// The occupancy map: readable, honest about its scale, and compact.
@Suite struct OccupancyMapTests {
    /// A small DEFLATE decoder (fixed-Huffman and stored blocks, what our writer emits), written
    /// here from RFC 1951 so the map's images are checked by code other than the code that
    /// wrote them.
    static func inflate(_ data: [UInt8]) throws -> [UInt8] {
        struct Bits {
            let data: [UInt8]; var position = 0
            mutating func bit() throws -> Int {
                guard position / 8 < data.count else { throw FileSystem.Failure("out of data") }
                defer { position += 1 }
                return Int(data[position / 8] >> UInt8(position % 8)) & 1
            }
            mutating func bits(_ n: Int) throws -> Int { var v = 0; for i in 0..<n { v |= try bit() << i }; return v }
            mutating func code(_ n: Int) throws -> Int { var v = 0; for _ in 0..<n { v = v << 1 | (try bit()) }; return v }
        }
        let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
        let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
        var b = Bits(data: data)
        var out: [UInt8] = []
        var final = 0
        repeat {
            final = try b.bit()
            let type = try b.bits(2)
            if type == 0 {
                b.position = (b.position + 7) / 8 * 8
                let length = try b.bits(16)
                _ = try b.bits(16)
                for _ in 0..<length { out.append(UInt8(try b.bits(8))) }
                continue
            }
            guard type == 1 else { throw FileSystem.Failure("block type \(type)") }
            while true {
                // Fixed literal/length code: read 7 bits, extend to 8 or 9 by range.
                var symbol = try b.code(7)
                if symbol <= 0b0010111 { symbol += 256 } else {
                    symbol = symbol << 1 | (try b.bit())
                    if symbol >= 0b00110000 && symbol <= 0b10111111 { symbol -= 0b00110000 }
                    else if symbol >= 0b11000000 && symbol <= 0b11000111 { symbol = symbol - 0b11000000 + 280 }
                    else { symbol = (symbol << 1 | (try b.bit())) - 0b110010000 + 144 }
                }
                if symbol < 256 { out.append(UInt8(symbol)); continue }
                if symbol == 256 { break }
                let l = symbol - 257
                let length = lengthBase[l] + (try b.bits(lengthExtra[l]))
                let d = try b.code(5)
                let distance = distanceBase[d] + (try b.bits(distanceExtra[d]))
                for _ in 0..<length { out.append(out[out.count - distance]) }
            }
        } while final == 0
        return out
    }

    /// The pixels of an embedded PNG (zlib checked by its Adler-32; filters None and Up undone).
    static func pixels(ofPNG png: [UInt8]) throws -> (width: Int, height: Int, pixels: [UInt8], palette: Int) {
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var i = 8, width = 0, height = 0, palette = 0
        var idat: [UInt8] = []
        func u32(_ k: Int) -> Int { Int(png[k]) << 24 | Int(png[k + 1]) << 16 | Int(png[k + 2]) << 8 | Int(png[k + 3]) }
        while i < png.count {
            let length = u32(i), type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
            let body = Array(png[(i + 8)..<(i + 8 + length)])
            if type == "IHDR" { width = u32(i + 8); height = u32(i + 12); #expect(body[8] == 8 && body[9] == 3) }
            if type == "PLTE" { palette = length / 3 }
            if type == "IDAT" { idat += body }
            i += 12 + length
        }
        let raw = try inflate(Array(idat.dropFirst(2).dropLast(4)))
        var a: UInt32 = 1, s: UInt32 = 0
        for x in raw { a = (a + UInt32(x)) % 65521; s = (s + a) % 65521 }
        #expect(Array(idat.suffix(4)) == [UInt8(s >> 8), UInt8(s & 0xFF), UInt8(a >> 8), UInt8(a & 0xFF)], "Adler-32")
        #expect(raw.count == (width + 1) * height)
        var pixels: [UInt8] = []
        for y in 0..<height {
            let filter = raw[y * (width + 1)]
            for x in 0..<width {
                let v = raw[y * (width + 1) + 1 + x]
                pixels.append(filter == 2 && y > 0 ? v &+ pixels[(y - 1) * width + x] : v)
            }
        }
        return (width, height, pixels, palette)
    }

    @Test func theMapShowsBothSharesOnAFittedScaleFromCompactImages() throws {
        // The default, 40 replicates × 30 years: the SVG holds two panels (all replicates, and
        // those not extinct), the scale tops at a round value at or above the highest share, and
        // each panel's image decodes to the right shade of every cell: never-occupied habitat,
        // including habitat outside every territory, drawn as habitat; classes by share.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let outcome = CLI.run(["run", TestSupport.scenarios.appendingPathComponent("amur-leopard.json").path,
                               "--replicates", "40", "--years", "30", "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let svg = try String(contentsOf: out.appendingPathComponent("occupancy.svg"), encoding: .utf8)
        #expect(svg.contains("All 40 replicates") && svg.contains("replicates not extinct in 2055"))
        // The shares, read back from occupancy.csv.
        let loaded = try TestSupport.loadSpatial("amur-leopard.json")
        let sp = SpatialModel(settings: loaded.scenario.spatial!)
        let l = sp.landscape
        var all = [Double](repeating: 0, count: l.cellCount), extant = all
        for row in try TestSupport.csv(out.appendingPathComponent("occupancy.csv")) {
            let c = Int(row["row"]!)! * l.columns + Int(row["column"]!)!
            all[c] = Double(row["occupancy"]!)!
            extant[c] = Double(row["occupancyExtant"]!) ?? 0
        }
        let highest = max(all.max()!, extant.max()!)
        let top = OccupancyMap.top(highest)
        #expect(top >= highest && top < 2 * highest + 0.02, "scale top \(top) for highest share \(highest)")
        #expect(svg.contains("scale fitted to the highest share, \(NumberFormatting.fixed(highest, decimals: 3))"))
        let images = svg.components(separatedBy: "data:image/png;base64,").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(images.count == 3, "roads, and one image per panel")
        for (panel, shares) in [(1, all), (2, extant)] {
            let png = try Self.pixels(ofPNG: Array(try #require(Data(base64Encoded: images[panel]))))
            #expect(png.width == l.columns && png.height == l.rows)
            for c in 0..<l.cellCount {
                let expected: UInt8
                if !l.onMap[c] { expected = OccupancyMap.Shade.offMap.rawValue }
                else if !l.isHabitat(c) { expected = l.permeability[c] <= 0 ? OccupancyMap.Shade.barrier.rawValue : OccupancyMap.Shade.nonHabitat.rawValue }
                else if shares[c] == 0 { expected = OccupancyMap.Shade.never.rawValue }
                else { expected = OccupancyMap.Shade.firstClass + UInt8(min(4, Int((shares[c] / top * 5 - 1e-9).rounded(.up)) - 1)) }
                #expect(png.pixels[c] == expected, "panel \(panel), cell \(c): \(png.pixels[c]) vs \(expected) (share \(shares[c]))")
            }
        }
        #expect(svg.utf8.count < 100_000, "\(svg.utf8.count) bytes for a 4,000-cell map")
    }
}

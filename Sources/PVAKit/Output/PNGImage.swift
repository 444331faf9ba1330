/// A palette image written as PNG by our own code (no zlib at hand in the
/// toolchain's Foundation on Linux): 8-bit palette indices, each row
/// filtered with "Up" when that is smaller, compressed with DEFLATE using the
/// fixed Huffman codes and LZ77 matches found through hash chains (RFC 1950,
/// 1951; PNG spec §11–12). A map of large uniform areas compresses to a small
/// fraction of a byte per cell, which is what keeps a 10⁷-cell occupancy map
/// a few MB.
struct PNGImage {
    let width: Int
    let height: Int
    /// Row-major palette indices, northern row first.
    var pixels: [UInt8]
    /// RGB colours; entries in `transparent` are fully transparent.
    var palette: [(r: UInt8, g: UInt8, b: UInt8)]
    var transparent: Set<UInt8> = []

    var data: [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        Self.append32(UInt32(width), to: &header)
        Self.append32(UInt32(height), to: &header)
        header += [8, 3, 0, 0, 0]  // 8-bit depth, palette colour, deflate, standard filters, no interlace
        Self.chunk("IHDR", header, into: &out)
        Self.chunk("PLTE", palette.flatMap { [$0.r, $0.g, $0.b] }, into: &out)
        if !transparent.isEmpty {
            let last = Int(transparent.max()!)
            Self.chunk("tRNS", (0...last).map { transparent.contains(UInt8($0)) ? 0 : 255 }, into: &out)
        }
        Self.chunk("IDAT", Self.zlib(filteredRows()), into: &out)
        Self.chunk("IEND", [], into: &out)
        return out
    }

    /// Each row with its filter byte: 0 (None) or 2 (Up, the difference from the row above),
    /// whichever has the smaller sum of absolute values.
    func filteredRows() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((width + 1) * height)
        for y in 0..<height {
            let row = pixels[(y * width)..<((y + 1) * width)]
            if y == 0 {
                out.append(0)
                out += row
                continue
            }
            var up = [UInt8](repeating: 0, count: width)
            var costNone = 0, costUp = 0
            for x in 0..<width {
                let v = pixels[y * width + x], above = pixels[(y - 1) * width + x]
                up[x] = v &- above
                costNone += Int(Int8(bitPattern: v).magnitude)
                costUp += Int(Int8(bitPattern: up[x]).magnitude)
            }
            if costUp < costNone { out.append(2); out += up } else { out.append(0); out += row }
        }
        return out
    }

    static func append32(_ v: UInt32, to out: inout [UInt8]) {
        out += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        append32(UInt32(data.count), to: &out)
        let body = Array(type.utf8) + data
        out += body
        append32(crc32(body), to: &out)
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for chunk in stride(from: 0, to: bytes.count, by: 5552) {
            for i in chunk..<min(bytes.count, chunk + 5552) { a += UInt32(bytes[i]); b += a }
            a %= 65521
            b %= 65521
        }
        return (b << 16) | a
    }

    /// A zlib stream (RFC 1950) holding one fixed-Huffman DEFLATE block.
    static func zlib(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var writer = BitWriter()
        writer.write(1, bits: 1)  // final block
        writer.write(1, bits: 2)  // fixed Huffman codes
        deflate(bytes, into: &writer)
        writeLiteral(256, into: &writer)  // end of block
        out += writer.finish()
        append32(adler32(bytes), to: &out)
        return out
    }

    struct BitWriter {
        var bytes: [UInt8] = []
        var buffer: UInt64 = 0
        var count = 0

        /// Appends the low `bits` bits of `value`, least significant first.
        mutating func write(_ value: UInt32, bits: Int) {
            buffer |= UInt64(value) << UInt64(count)
            count += bits
            while count >= 8 {
                bytes.append(UInt8(buffer & 0xFF))
                buffer >>= 8
                count -= 8
            }
        }

        /// Appends a Huffman code, most significant bit first.
        mutating func writeCode(_ code: UInt32, bits: Int) {
            var reversed: UInt32 = 0
            for i in 0..<bits { reversed |= ((code >> UInt32(i)) & 1) << UInt32(bits - 1 - i) }
            write(reversed, bits: bits)
        }

        mutating func finish() -> [UInt8] {
            if count > 0 { bytes.append(UInt8(buffer & 0xFF)) }
            return bytes
        }
    }

    /// The fixed code of literal/length symbol `symbol` (RFC 1951 §3.2.6).
    static func writeLiteral(_ symbol: Int, into w: inout BitWriter) {
        switch symbol {
        case 0...143: w.writeCode(UInt32(0x30 + symbol), bits: 8)
        case 144...255: w.writeCode(UInt32(0x190 + symbol - 144), bits: 9)
        case 256...279: w.writeCode(UInt32(symbol - 256), bits: 7)
        default: w.writeCode(UInt32(0xC0 + symbol - 280), bits: 8)
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                               4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// Greedy LZ77 over a 32 KiB window with hash chains of three-byte prefixes.
    static func deflate(_ data: [UInt8], into w: inout BitWriter) {
        let n = data.count
        let window = 32_768, maxChain = 48, hashSize = 1 << 15
        var head = [Int](repeating: -1, count: hashSize)
        var previous = [Int](repeating: -1, count: window)
        func hash(_ i: Int) -> Int {
            (Int(data[i]) << 10 ^ Int(data[i + 1]) << 5 ^ Int(data[i + 2])) & (hashSize - 1)
        }
        func insert(_ i: Int) {
            guard i + 2 < n else { return }
            let h = hash(i)
            previous[i % window] = head[h]
            head[h] = i
        }
        var i = 0
        while i < n {
            var bestLength = 0, bestDistance = 0
            if i + 2 < n {
                var candidate = head[hash(i)]
                var chain = 0
                while candidate >= 0 && i - candidate <= window && chain < maxChain {
                    var length = 0
                    let limit = min(258, n - i)
                    while length < limit && data[candidate + length] == data[i + length] { length += 1 }
                    if length > bestLength {
                        bestLength = length
                        bestDistance = i - candidate
                        if length == limit { break }
                    }
                    let next = previous[candidate % window]
                    if next >= candidate { break }
                    candidate = next
                    chain += 1
                }
            }
            if bestLength >= 3 {
                var code = 0
                while code + 1 < lengthBase.count && lengthBase[code + 1] <= bestLength { code += 1 }
                writeLiteral(257 + code, into: &w)
                if lengthExtra[code] > 0 { w.write(UInt32(bestLength - lengthBase[code]), bits: lengthExtra[code]) }
                var d = 0
                while d + 1 < distanceBase.count && distanceBase[d + 1] <= bestDistance { d += 1 }
                w.writeCode(UInt32(d), bits: 5)
                if distanceExtra[d] > 0 { w.write(UInt32(bestDistance - distanceBase[d]), bits: distanceExtra[d]) }
                for k in 0..<bestLength { insert(i + k) }
                i += bestLength
            } else {
                writeLiteral(Int(data[i]), into: &w)
                insert(i)
                i += 1
            }
        }
    }
}

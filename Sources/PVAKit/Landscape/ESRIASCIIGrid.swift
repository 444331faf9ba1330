/// An ESRI ASCII raster (`.asc`, as QGIS, GDAL and ArcGIS export it):
///
///     ncols         70
///     nrows         50
///     xllcorner     0.0        (or xllcenter)
///     yllcorner     0.0        (or yllcenter)
///     cellsize      5000
///     NODATA_value  -9999      (optional)
///     v v v …                  nrows lines of ncols values, the northern row first
///
/// Header keys are case-insensitive. Each row must be on its own line (as
/// those programs write them). The header's cell size is in the GIS's map
/// units; the scenario's `landscape.cellSize` gives the scale in km.
public struct ESRIASCIIGrid: Sendable {
    public struct Header: Sendable, Equatable {
        public var columns: Int
        public var rows: Int
        /// Lower-left corner of the lower-left cell (a centre is converted).
        public var xllCorner: Double
        public var yllCorner: Double
        public var cellSize: Double
        public var noData: Double?
        /// The file line of the cellsize key (for messages).
        public var cellSizeLine = 0

        /// The first difference from `other` as text, or nil when they describe the same grid.
        public func difference(from other: Header) -> String? {
            if columns != other.columns { return "ncols \(columns) vs \(other.columns)" }
            if rows != other.rows { return "nrows \(rows) vs \(other.rows)" }
            let tolerance = 1e-9 * max(1, abs(cellSize))
            if abs(cellSize - other.cellSize) > tolerance { return "cellsize \(NumberFormatting.shortest(cellSize)) vs \(NumberFormatting.shortest(other.cellSize))" }
            if abs(xllCorner - other.xllCorner) > tolerance { return "lower-left x \(NumberFormatting.shortest(xllCorner)) vs \(NumberFormatting.shortest(other.xllCorner))" }
            if abs(yllCorner - other.yllCorner) > tolerance { return "lower-left y \(NumberFormatting.shortest(yllCorner)) vs \(NumberFormatting.shortest(other.yllCorner))" }
            return nil
        }
    }

    public var header: Header
    /// Values row by row, northern row first; NaN where NODATA (a data value is never NaN).
    public var values: [Double]
    /// The file line of each data row (for messages about values).
    public var rowLines: [Int]

    /// The most cells a grid may have; larger grids are refused before any allocation.
    public static let maximumCells = 10_000_000

    /// Parses `bytes`; every problem is an issue naming `file` and the line.
    public static func parse(_ bytes: [UInt8], file: String) throws(ScenarioErrors) -> ESRIASCIIGrid {
        func fail(_ line: Int, _ message: String, got: String? = nil) -> ScenarioErrors {
            ScenarioErrors([ScenarioIssue(file: file, path: "line \(line)", message: message, got: got)])
        }
        // Split into lines without copying the whole file into a String.
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for i in 0..<bytes.count where bytes[i] == UInt8(ascii: "\n") {
            lines.append(bytes[start..<i])
            start = i + 1
        }
        if start < bytes.count { lines.append(bytes[start..<bytes.count]) }
        func tokens(_ line: ArraySlice<UInt8>) -> [Substring] {
            String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        }

        var fields: [String: (value: Substring, line: Int)] = [:]
        var lineIndex = 0
        let known = ["ncols", "nrows", "xllcorner", "xllcenter", "yllcorner", "yllcenter", "cellsize", "nodata_value"]
        while lineIndex < lines.count {
            let parts = tokens(lines[lineIndex])
            if parts.isEmpty { lineIndex += 1; continue }
            let key = parts[0].lowercased()
            guard let first = key.first, first.isLetter else { break }  // the data begin
            guard known.contains(key) else {
                throw fail(lineIndex + 1, "unknown header key '\(parts[0])' (expected ncols, nrows, xllcorner or xllcenter, yllcorner or yllcenter, cellsize, NODATA_value)")
            }
            guard parts.count == 2 else { throw fail(lineIndex + 1, "header line must be a key and one value", got: String(decoding: lines[lineIndex], as: UTF8.self)) }
            if fields[key] != nil { throw fail(lineIndex + 1, "header key '\(parts[0])' given twice") }
            fields[key] = (parts[1], lineIndex + 1)
            lineIndex += 1
        }
        let headerEnd = lineIndex
        func integer(_ key: String) throws(ScenarioErrors) -> Int {
            guard let field = fields[key] else { throw fail(max(1, headerEnd), "header lacks '\(key)'") }
            guard let value = Int(field.value), value > 0 else { throw fail(field.line, "\(key) must be a positive whole number", got: String(field.value)) }
            return value
        }
        func real(_ key: String) throws(ScenarioErrors) -> Double? {
            guard let field = fields[key] else { return nil }
            guard let value = DecimalNumber.parse(Array(field.value.utf8)), value.isFinite else {
                throw fail(field.line, "\(key) must be a decimal number", got: String(field.value))
            }
            return value
        }
        let columns = try integer("ncols")
        let rows = try integer("nrows")
        guard let cellSize = try real("cellsize") else { throw fail(max(1, headerEnd), "header lacks 'cellsize'") }
        guard cellSize > 0 else { throw fail(fields["cellsize"]!.line, "cellsize must be positive", got: String(fields["cellsize"]!.value)) }
        func corner(_ axis: String) throws(ScenarioErrors) -> Double {
            let c = try real(axis + "llcorner"), m = try real(axis + "llcenter")
            switch (c, m) {
            case (let c?, nil): return c
            case (nil, let m?): return m - cellSize / 2
            case (nil, nil): throw fail(max(1, headerEnd), "header lacks '\(axis)llcorner' or '\(axis)llcenter'")
            case (_?, _?): throw fail(fields[axis + "llcenter"]!.line, "header gives both \(axis)llcorner and \(axis)llcenter")
            }
        }
        let x = try corner("x"), y = try corner("y")
        let noData = try real("nodata_value")
        // Refuse before allocating.
        guard columns <= maximumCells / rows, columns * rows <= maximumCells else {
            throw fail(fields["nrows"]!.line, "grid of \(columns) × \(rows) cells exceeds the limit of \(maximumCells) cells")
        }
        // The data: scanned byte by byte, each value a strict decimal number.
        var values = [Double]()
        values.reserveCapacity(columns * rows)
        var rowLines: [Int] = []
        var row = 0
        try bytes.withUnsafeBufferPointer { (all: UnsafeBufferPointer<UInt8>) throws(ScenarioErrors) in
            while lineIndex < lines.count {
                let line = lines[lineIndex]
                var inRow = 0
                var i = line.startIndex
                while i < line.endIndex {
                    let b = all[i]
                    if b == 0x20 || b == 0x09 || b == 0x0D { i += 1; continue }
                    var j = i
                    while j < line.endIndex && all[j] != 0x20 && all[j] != 0x09 && all[j] != 0x0D { j += 1 }
                    if inRow == 0 {
                        guard row < rows else { throw fail(lineIndex + 1, "more data rows than nrows (\(rows))") }
                    }
                    guard inRow < columns else {
                        throw fail(lineIndex + 1, "row \(row + 1) has more than ncols = \(columns) values")
                    }
                    let token = UnsafeBufferPointer(rebasing: all[i..<j])
                    guard let v = DecimalNumber.parse(token) else {
                        throw fail(lineIndex + 1, "value \(inRow + 1) of row \(row + 1) is not a decimal number", got: String(decoding: token, as: UTF8.self))
                    }
                    guard v.isFinite else {
                        throw fail(lineIndex + 1, "value \(inRow + 1) of row \(row + 1) is not finite", got: String(decoding: token, as: UTF8.self))
                    }
                    values.append(v == noData ? .nan : v)
                    inRow += 1
                    i = j
                }
                if inRow > 0 {
                    guard inRow == columns else {
                        throw fail(lineIndex + 1, "row \(row + 1) has \(inRow) values, expected ncols = \(columns)")
                    }
                    rowLines.append(lineIndex + 1)
                    row += 1
                }
                lineIndex += 1
            }
        }
        guard row == rows else { throw fail(max(1, lines.count), "found \(row) data rows, expected nrows = \(rows)") }
        return ESRIASCIIGrid(header: Header(columns: columns, rows: rows, xllCorner: x, yllCorner: y, cellSize: cellSize, noData: noData,
                                            cellSizeLine: fields["cellsize"]!.line),
                             values: values, rowLines: rowLines)
    }
}

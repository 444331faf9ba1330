import Foundation
import Testing
@testable import PVAKit
@testable import pva

/// The ESRI ASCII grid reader: valid files in their variants, and each
/// malformed case with its own message naming the file and line.
@Suite struct ESRIASCIIGridTests {
    func parse(_ text: String) throws(ScenarioErrors) -> ESRIASCIIGrid {
        try ESRIASCIIGrid.parse(Array(text.utf8), file: "g.asc")
    }

    func message(_ text: String) -> String {
        do {
            _ = try parse(text)
            return "accepted"
        } catch {
            return error.issues.map(\.description).joined(separator: "\n")
        }
    }

    @Test func readsCornerGridWithNoData() throws {
        let g = try parse("ncols 3\nnrows 2\nxllcorner 100\nyllcorner 200\ncellsize 5000\nNODATA_value -9999\n1 0.5 -9999\n0 2e-1 1\n")
        #expect(g.header == ESRIASCIIGrid.Header(columns: 3, rows: 2, xllCorner: 100, yllCorner: 200, cellSize: 5000, noData: -9999, cellSizeLine: 5))
        #expect(g.values.map { $0.isNaN ? nil : $0 } == [1, 0.5, nil, 0, 0.2, 1])
        #expect(g.rowLines == [7, 8])
    }

    @Test func readsCentreGridWithoutNoDataAndMixedCaseKeys() throws {
        let g = try parse("NCOLS 2\r\nNROWS 2\r\nXLLCENTER 2.5\r\nYLLCENTER 2.5\r\nCELLSIZE 5\r\n1 2\r\n3 4\r\n")
        #expect(g.header.xllCorner == 0 && g.header.yllCorner == 0 && g.header.noData == nil)
        #expect(g.values == [1, 2, 3, 4])
        // A corner file and a centre file describing the same grid have the same header.
        let corner = try parse("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 5\n1 2\n3 4\n")
        #expect(corner.header.difference(from: g.header) == nil)
    }

    @Test(arguments: [
        ("nrows 2\nxllcorner 0\nyllcorner 0\ncellsize 5\n1 2\n3 4\n", "g.asc: line 4: header lacks 'ncols'"),
        ("ncols 2\nnrows two\nxllcorner 0\nyllcorner 0\ncellsize 5\n1 2\n3 4\n", "g.asc: line 2: nrows must be a positive whole number (got two)"),
        ("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 5\nrotation 3\n1 2\n3 4\n", "g.asc: line 6: unknown header key 'rotation' (expected ncols, nrows, xllcorner or xllcenter, yllcorner or yllcenter, cellsize, NODATA_value)"),
        ("ncols 2\nnrows 2\nxllcorner 0\nxllcenter 2.5\nyllcorner 0\ncellsize 5\n1 2\n3 4\n", "g.asc: line 4: header gives both xllcorner and xllcenter"),
        ("ncols 2\nnrows 2\nyllcorner 0\ncellsize 5\n1 2\n3 4\n", "g.asc: line 4: header lacks 'xllcorner' or 'xllcenter'"),
        ("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize -5\n1 2\n3 4\n", "g.asc: line 5: cellsize must be positive (got -5)"),
        ("ncols 100000\nnrows 200\nxllcorner 0\nyllcorner 0\ncellsize 5\n", "g.asc: line 2: grid of 100000 × 200 cells exceeds the limit of 10000000 cells"),
        ("ncols 3\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 5\n1 2 3\n4 5\n", "g.asc: line 7: row 2 has 2 values, expected ncols = 3"),
        ("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 5\n1 x\n3 4\n", "g.asc: line 6: value 2 of row 1 is not a decimal number (got x)"),
        ("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 5\n1 nan\n3 4\n", "g.asc: line 6: value 2 of row 1 is not a decimal number (got nan)"),
        ("ncols 2\nnrows 3\nxllcorner 0\nyllcorner 0\ncellsize 5\n1 2\n3 4\n", "g.asc: line 7: found 2 data rows, expected nrows = 3"),
        ("ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 5\n1 2\n3 4\n", "g.asc: line 7: more data rows than nrows (1)"),
        ("ncols 2\nnrows 1\nxllcorner 0\nxllcorner 1\nyllcorner 0\ncellsize 5\n1 2\n", "g.asc: line 4: header key 'xllcorner' given twice"),
    ] as [(String, String)])
    func malformedGridsGetTheirOwnMessage(_ text: String, _ expected: String) {
        #expect(message(text) == expected)
    }

    /// Through the scenario: missing files, mismatched headers and values out of a layer's
    /// range are reported with the file and line, and `pva validate` exits with 2.
    @Test func layerErrorsThroughTheCommandLine() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = "ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 5000\n1 1\n1 0.5\n"
        try CLI.write(good, to: dir.appendingPathComponent("suit.asc"))
        try CLI.write("ncols 3\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 5000\n1 1 1\n1 1 1\n", to: dir.appendingPathComponent("wide.asc"))
        try CLI.write("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 5000\n1 1\n1 1.5\n", to: dir.appendingPathComponent("high.asc"))
        func scenario(_ layers: String) -> String {
            SampleScenario.with("\"carryingCapacity\": {\"K\": 150},", "\"landscape\": {\"cellSize\": 5, \"layers\": {\(layers)}},")
                .replacingOccurrences(of: "\"initialPopulation\": {\"total\": 60}", with: "\"initialPopulation\": {\"total\": 6}")
        }
        let cases: [(String, String)] = [
            ("\"suitability\": \"suit.asc\"", ""),
            ("\"suitability\": \"suit.asc\", \"prey\": \"none.asc\"",
             "s.json: landscape.layers.prey: cannot read layer file \(dir.path)/none.asc: no such file (layer paths are relative to the scenario file's folder) (got \"none.asc\")"),
            ("\"suitability\": \"suit.asc\", \"prey\": \"wide.asc\"",
             "\(dir.path)/wide.asc: line 1: header differs from \(dir.path)/suit.asc (ncols 3 vs 2)"),
            ("\"suitability\": \"high.asc\"",
             "\(dir.path)/high.asc: line 7: value 2 of row 2 is not a valid suitability (0…1) (got 1.5)"),
        ]
        for (layers, expected) in cases {
            let file = dir.appendingPathComponent("s.json")
            try CLI.write(scenario(layers), to: file)
            let outcome = CLI.run(["validate", file.path])
            if expected.isEmpty {
                #expect(outcome.status == 0, "\(outcome.stderr)")
            } else {
                #expect(outcome.status == 2)
                #expect(outcome.stderr.replacingOccurrences(of: file.path, with: "s.json").contains(expected), "\(outcome.stderr)")
            }
        }
    }
}

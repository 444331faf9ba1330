import Foundation
import Testing
@testable import PVAKit
@testable import pva
#if canImport(Glibc)
import Glibc
#endif

/// What a new user hit, each as a test that failed before its fix: wrong
/// results given silently, and messages that did not name the real cause.
@Suite struct NewUserTests {
    // MARK: wrong results, silently

    @Test func aGridCellSizeThatDisagreesWithTheScenarioIsRefused() throws {
        // Layers at cellsize 1000 (a 1-km grid in metres) with the scenario's cellSize 5 gave
        // byte-identical results to the 5-km run. Now: an error naming the file, the line and
        // the value; without landscape.cellSize the header's own size is used.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: TestSupport.scenarios, to: dir.appendingPathComponent("scenarios"))
        for layer in ["suitability", "prey", "permeability", "poaching", "roads", "protected", "regions", "disease"] {
            let url = dir.appendingPathComponent("scenarios/amur/\(layer).asc")
            let text = try String(contentsOf: url, encoding: .utf8)
            try CLI.write(text.replacingOccurrences(of: "cellsize 5000", with: "cellsize 1000"), to: url)
        }
        let path = dir.appendingPathComponent("scenarios/amur-leopard.json").path
        let outcome = CLI.run(["validate", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("amur/suitability.asc: line 5: cellsize 1000 (in metres, landscape.gridUnits) makes cells of 1 km, but landscape.cellSize is 5 km"),
                "\(outcome.stderr)")
        // Without cellSize in the scenario, the 1-km header is honoured.
        let text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        try CLI.write(text.replacingOccurrences(of: "\"cellSize\": 5,", with: ""), to: URL(fileURLWithPath: path))
        let loaded = try ScenarioFile.load(path)
        #expect(loaded.scenario.spatial?.landscape.cellSize == 1)
    }

    @Test func adultsArePlacedWhateverTheirSurvival() throws {
        // `adults` with every mortality rate 1 started with N = 0 (the stable structure holds no
        // adult); now the adults asked for are there at year 0, as `total` and `individuals` are.
        var scenario = try EngineTests.amur(replicates: 5, years: 2, seed: 3)
        for i in scenario.species.mortality.indices {
            scenario.species.mortality[i].female = 1
            scenario.species.mortality[i].male = 1
            scenario.species.mortality[i].evSD = 0
        }
        scenario.species.breeding.evSD = 0
        scenario.initialPopulation = [InitialGroup(.adults(females: 7, males: 4))]
        let summary = RunSummary(MonteCarlo.run(EngineModel(scenario: scenario)))
        #expect(summary.years[0].femalesAllMean == 7 && summary.years[0].malesAllMean == 4)
    }

    @Test func regionNamesAreQuotedAndGridNumbersAreDecimal() throws {
        // A region name holding a line break, a comma and a quote keeps regions.csv one row per
        // line (RFC 4180 quoting); `0x10` in a grid is not read as 16.
        #expect(CSVTable.quoted("a\nb") == "\"a\nb\"")
        #expect(CSVTable.quoted("say \"hi\", twice") == "\"say \"\"hi\"\", twice\"")
        #expect(CSVTable.quoted("plain") == "plain")
        let names = ["North\nridge", "A, \"B\""]
        let table = RunReport.regionsTable(names: names, startYear: 0)
        let empty = Descriptive([Double]())
        let rows = names.indices.map { RegionYearStatistics(t: 0, region: $0, n: empty, territorialAdults: empty, subadultHolders: empty, floaters: empty,
                                                           extinct: Proportion(0, of: 1), persisting: Proportion(1, of: 1)) }
        let text = table.text(rows)
        // Parse it back as RFC 4180: fields split on commas outside quotes, records on line breaks outside quotes.
        var records: [[String]] = [[]], field = "", quoted = false, previous: Character = " "
        for ch in text {
            if quoted {
                if ch == "\"" { quoted = false } else { field.append(ch) }
            } else if ch == "\"" {
                if previous == "\"" { field.append("\"") }
                quoted = true
            } else if ch == "," { records[records.count - 1].append(field); field = "" }
            else if ch == "\n" { records[records.count - 1].append(field); field = ""; records.append([]) }
            else { field.append(ch) }
            previous = ch
        }
        #expect(records.count == 4 && records[3].isEmpty)
        #expect(records[1][2] == names[0] && records[2][2] == names[1])
        #expect(Set(records.prefix(3).map(\.count)).count == 1)
        for bad in ["0x10", "inf", "nan", "1e", "--1", "1.2.3", ".", "+"] {
            #expect(DecimalNumber.parse(Array(bad.utf8)) == nil, "\(bad) was read as a number")
        }
        for (good, value) in [("16", 16.0), ("-0.25", -0.25), ("1e3", 1000), ("2.5E-2", 0.025), (".5", 0.5), ("5.", 5), ("+7", 7),
                              ("0.1", 0.1), ("123456789012345678901", 123456789012345678901.0)] {
            #expect(DecimalNumber.parse(Array(good.utf8)) == value, "\(good)")
        }
        let grid = "ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 5\n1 0x10\n"
        #expect(throws: ScenarioErrors.self) { try ESRIASCIIGrid.parse(Array(grid.utf8), file: "g.asc") }
        do {
            _ = try ESRIASCIIGrid.parse(Array(grid.utf8), file: "g.asc")
        } catch {
            #expect(error.description == "g.asc: line 6: value 2 of row 1 is not a decimal number (got 0x10)")
        }
    }

    @Test func theLargestReplicateCountNeedsNoMemoryUpFront() throws {
        // --replicates 100000000 allocated 7.2 GB before the first replicate and aborted under a
        // memory limit. Now memory does not depend on the count: after two seconds of such a
        // run its resident memory is below 100 MiB (the run is then interrupted).
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["run", TestSupport.scenarios.appendingPathComponent("b0-benchmark.json").path, "--replicates", "100000000",
                       "--quiet", "--out", dir.appendingPathComponent("out").path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }
        usleep(2_000_000)
        let status = try String(contentsOfFile: "/proc/\(p.processIdentifier)/status", encoding: .utf8)
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kib = try #require(Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1]))
        #expect(kib < 100 * 1024, "resident memory \(kib) KiB")
        #expect(p.terminationStatus == 130)
    }

    @Test func aTenMillionCellClassMapIsFastAndItsOutputsSmall() throws {
        // A 3000 × 3000 grid (1-km cells) took 18.5 s and 1 GB to validate; 2 replicates × 3
        // years took 243 s and 4 GB and wrote a 628 MB occupancy.svg and a 349 MB
        // occupancy.csv. Bounds here (generous for a busy machine): validate and run under 60 s
        // each, under 2 GB, the map under 5 MB, the cell table only cells that were occupied.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let n = 3000
        var suitability = "ncols \(n)\nnrows \(n)\nxllcorner 0\nyllcorner 0\ncellsize 1000\nNODATA_value -9999\n"
        var regions = suitability
        suitability.reserveCapacity(n * n * 4)
        regions.reserveCapacity(n * n * 2)
        for r in 0..<n {
            var line = "", codes = ""
            for c in 0..<n {
                let v = 0.5 + 0.5 * sin(Double(c) / 150) * cos(Double(r) / 200)
                line += c == 0 ? "" : " "
                line += v < 0.3 ? "0" : String(Double(Int(v * 10)) / 10)
                codes += c == 0 ? (c < n / 2 ? "1" : "2") : (c < n / 2 ? " 1" : " 2")
            }
            suitability += line + "\n"
            regions += codes + "\n"
        }
        try CLI.write(suitability, to: dir.appendingPathComponent("suitability.asc"))
        try CLI.write(regions, to: dir.appendingPathComponent("regions.asc"))
        // The non-spatial Amur scenario on this landscape instead of K.
        let data = try Data(contentsOf: TestSupport.scenarios.appendingPathComponent("amur-leopard-nonspatial.json"))
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        json["carryingCapacity"] = nil
        json["initialPopulation"] = ["region": "west", "adults": ["females": 300, "males": 300]] as [String: Any]
        json["landscape"] = ["cellSize": 1, "layers": ["suitability": "suitability.asc", "region": "regions.asc"],
                             "regions": [["name": "west", "layerValues": [1]], ["name": "east", "layerValues": [2]]],
                             "territories": ["femaleRequirement": 25]] as [String: Any]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
        try CLI.write(text, to: dir.appendingPathComponent("huge.json"))
        var start = Date()
        var outcome = try CLI.measured(["validate", dir.appendingPathComponent("huge.json").path])
        #expect(outcome.status == 0)
        #expect(Date().timeIntervalSince(start) < 60)
        #expect(outcome.peakKiB < 2 * 1024 * 1024, "validate peak \(outcome.peakKiB) KiB")
        start = Date()
        let out = dir.appendingPathComponent("out")
        outcome = try CLI.measured(["run", dir.appendingPathComponent("huge.json").path, "--replicates", "2", "--years", "3", "--out", out.path, "--quiet"])
        #expect(outcome.status == 0)
        #expect(Date().timeIntervalSince(start) < 60)
        #expect(outcome.peakKiB < 2 * 1024 * 1024, "run peak \(outcome.peakKiB) KiB")
        let svg = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("occupancy.svg").path)[.size] as! Int
        #expect(svg < 5_000_000, "occupancy.svg \(svg) bytes")
        let csv = try String(contentsOf: out.appendingPathComponent("occupancy.csv"), encoding: .utf8)
        #expect(!csv.split(separator: "\n").dropFirst().contains { $0.hasSuffix(",0.000000,0.000000") }, "a never-occupied cell was listed")
    }

    // MARK: what the console says

    @Test func theSummaryLeadsWithWhatMovesAndGivesInitialN() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = TestSupport.scenarios.appendingPathComponent("amur-leopard-nonspatial.json").path
        var lines: [String] = []
        for p in ["0.015", "0.05"] {
            let outcome = CLI.run(["run", path, "--set", "threats.poaching.probability=\(p)", "--replicates", "10", "--years", "5",
                                   "--quiet", "--out", dir.appendingPathComponent(p).path])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            lines = outcome.stdout.split(separator: "\n").map(String.init)
            #expect(lines[1].contains("initial N "), "\(lines[1])")
            #expect(lines[2].hasPrefix("  growth: model λ ") && lines[2].contains("with this scenario's threats"), "\(lines[2])")
        }
    }

    // MARK: messages that name the real cause

    @Test func fileMessagesNameTheRealCause() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("fifo.json").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let loop = dir.appendingPathComponent("loop.json").path
        #expect(symlink(loop, loop) == 0)
        for (path, cause) in [("/dev/null", "it is a character device, not a file"), (fifo, "it is a FIFO (named pipe), not a file"),
                              (loop, "too many levels of symbolic links"), (dir.path, "it is a directory")] {
            let outcome = CLI.run(["validate", path])
            #expect(outcome.status == 2)
            #expect(outcome.stderr == "\(path): (document): cannot read the scenario: \(cause)\n", "\(outcome.stderr)")
        }
        // An empty layer file says so (it used to say "header lacks 'ncols'").
        try FileManager.default.copyItem(at: TestSupport.scenarios, to: dir.appendingPathComponent("scenarios"))
        try CLI.write("", to: dir.appendingPathComponent("scenarios/amur/roads.asc"))
        let outcome = CLI.run(["validate", dir.appendingPathComponent("scenarios/amur-leopard.json").path])
        #expect(outcome.stderr.contains("cannot read layer file \(dir.path)/scenarios/amur/roads.asc: the file is empty (0 bytes)"), "\(outcome.stderr)")
    }

    @Test func outIntoAPlaceThatCannotHoldFilesNamesWhy() throws {
        let outcome = CLI.run(["run", TestSupport.scenarios.appendingPathComponent("b0-benchmark.json").path, "--replicates", "2",
                               "--years", "2", "--quiet", "--out", "/proc/pva-results"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "pva: cannot write results to /proc/pva-results: creating /proc/.pva-results.pva-lock failed: no such file or directory\n",
                "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func aMisspeltRegionIsOneMessage() throws {
        let text = SpatialScenarioTests.spatial(SpatialScenarioTests.map, initial: "{\"adults\": {\"females\": 2, \"males\": 2}, \"region\": \"wset\"}")
        do {
            _ = try ScenarioDecoder.decode(text: text, file: "s.json")
            Issue.record("accepted")
        } catch {
            #expect(error.issues.map(\.description) == [
                "s.json: initialPopulation.region: no region of this name in landscape.regions (\"corner\", \"west\") (got \"wset\")",
            ])
        }
    }

    @Test func helpListsEveryOutputFileAndTheCopiedScenarioGetsOneLine() throws {
        let help = CLI.run(["run", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ")
        for file in RunReport.outputFiles { #expect(help.contains(file.name), "run --help does not name \(file.name)") }
        // A scenario copied out of scenarios/ without its layer folder: one message saying where
        // layers are looked for, not one per layer.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: TestSupport.scenarios.appendingPathComponent("amur-leopard.json"), to: dir.appendingPathComponent("my.json"))
        let outcome = CLI.run(["validate", dir.appendingPathComponent("my.json").path])
        #expect(outcome.status == 2)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("landscape.layers: cannot read 8 layer files: no such file (looked for \(dir.path)/amur/suitability.asc, …). Layer paths are relative to the scenario file's folder"),
                "\(outcome.stderr)")
    }
}

import Foundation
@testable import PVAKit
@testable import pva

/// Runs the command line in-process with captured output, or as a real process.
enum CLI {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) -> Outcome {
        let console = Console(capture: true)
        let status = CommandLineTool.main(arguments, console: console)
        return Outcome(status: status, stdout: console.capturedOut, stderr: console.capturedErr)
    }

    /// The built `pva` binary, next to the test bundle in the build folder.
    static var binary: URL {
        Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("pva")
    }

    static func process(_ arguments: [String], in directory: URL) throws -> Outcome {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pva-tests-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }
}

/// A small valid scenario as text, for tests that break one thing at a time.
enum SampleScenario {
    static let text = """
    {
      "format": 1,
      "name": "sample",
      "run": {"years": 10, "replicates": 20, "seed": 9},
      "species": {
        "convention": "vortex",
        "maximumAge": 10,
        "females": {"firstBreedingAge": 2},
        "males": {"firstBreedingAge": 2},
        "breeding": {"probability": 0.5, "evSD": 0.1},
        "litterSize": {"distribution": "discrete", "sizes": [1, 2, 3], "probabilities": [0.3, 0.5, 0.2]},
        "mortality": [
          {"fromAge": 0, "female": 0.4, "male": 0.4, "evSD": 0.05},
          {"fromAge": 1, "female": 0.2, "male": 0.2},
          {"fromAge": 2, "female": 0.1, "male": 0.15}
        ]
      },
      "carryingCapacity": {"K": 150},
      "initialPopulation": {"total": 60}
    }
    """

    /// The sample with `old` replaced by `new` (which must occur exactly once).
    static func with(_ old: String, _ new: String) -> String {
        precondition(text.components(separatedBy: old).count == 2, "\(old) must occur once")
        return text.replacingOccurrences(of: old, with: new)
    }
}

extension CLI {
    /// Runs the built `pva` as a child process and returns its exit status and peak resident
    /// memory (KiB), which `pva` reports itself when PVA_REPORT_PEAK_MEMORY is set: the
    /// kernel's own figure for its address space (VmHWM), which a parent's memory cannot
    /// leak into (wait4's ru_maxrss can, after posix_spawn).
    static func measured(_ arguments: [String]) throws -> (status: Int32, peakKiB: Int) {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PVA_REPORT_PEAK_MEMORY"] = "1"
        p.environment = environment
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let line = text.split(separator: "\n").first { $0.hasPrefix("pva: peak memory ") }
        let kib = line.flatMap { Int($0.split(separator: " ")[3]) } ?? -1
        return (p.terminationStatus, kib)
    }
}

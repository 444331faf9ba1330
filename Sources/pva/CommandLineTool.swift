import Foundation
import PVAKit

/// A usage error: printed as one line, exit code 2.
struct UsageError: Error {
    var message: String
}

/// A failure of the environment (a file that cannot be written): one line, exit code 1.
struct RuntimeFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Exit codes: 0 success, 1 runtime failure, 2 usage or validation error.
enum ExitCode {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
}

/// Where the tool writes; tests substitute buffers.
final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var capturedOut = ""
    private(set) var capturedErr = ""
    let capture: Bool

    init(capture: Bool = false) { self.capture = capture }

    func out(_ text: String) {
        if capture { lock.withLock { capturedOut += text } } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    func err(_ text: String) {
        if capture { lock.withLock { capturedErr += text } } else { FileHandle.standardError.write(Data(text.utf8)) }
    }

    var errorIsTerminal: Bool { !capture && isatty(STDERR_FILENO) == 1 }
}

enum CommandLineTool {
    static let usage = """
    pva — stochastic, individual-based population viability analysis

    Usage:
      pva run SCENARIO [--replicates N] [--years T] [--seed S] [--set PATH=VALUE]... [--threads J] [--out DIR] [--shard K/N] [--quiet]
      pva merge SHARD|FOLDER... --out DIR [--quiet]
      pva run-set DIR|SCENARIO... [--replicates N] [--years T] [--seed S] [--set PATH=VALUE]... [--threads J] [--out DIR] [--quiet] [--compare NAME]
      pva validate FILE... [--set PATH=VALUE]...
      pva calibrate CALIBRATION [--draws N] [--replicates N] [--threads J] [--out DIR] [--shard K/N] [--quiet]
      pva sensitivity STUDY [--draws N] [--replicates N] [--threads J] [--out DIR] [--shard K/N] [--quiet]
      pva compare RESULT_DIR... [--baseline DIR] [--out DIR]
      pva check SCENARIO --against RESULT_DIR [--statistical] [--seed S] [--threads J] [--quiet]
      pva bench [--scenarios DIR] [--replicates N] [--rounds K] [--threads J]
      pva --help | pva COMMAND --help | pva --version

    Exit codes: 0 success, 1 runtime failure or a failed check, 2 usage or validation error.

    """

    static func main(_ arguments: [String], console: Console = Console()) -> Int32 {
        do {
            guard let command = arguments.first else {
                console.err(usage)
                return ExitCode.usage
            }
            let rest = Array(arguments.dropFirst())
            switch command {
            case "--help", "-h", "help":
                if let topic = rest.first { return main([topic, "--help"], console: console) }
                console.out(usage)
                return ExitCode.success
            case "--version":
                console.out("pva \(Provenance.engineVersion)\n")
                return ExitCode.success
            case "run": return try RunCommand.main(rest, console: console)
            case "merge": return try MergeCommand.main(rest, console: console)
            case "run-set": return try RunSetCommand.main(rest, console: console)
            case "validate": return try ValidateCommand.main(rest, console: console)
            case "bench": return try BenchCommand.main(rest, console: console)
            case "compare": return try CompareCommand.main(rest, console: console)
            case "calibrate": return try CalibrateCommand.main(rest, console: console)
            case "sensitivity": return try SensitivityCommand.main(rest, console: console)
            case "check": return try CheckCommand.main(rest, console: console)
            default:
                throw UsageError(message: "unknown command '\(command)' (commands: run, merge, run-set, validate, calibrate, sensitivity, compare, check, bench; see pva --help)")
            }
        } catch let error as UsageError {
            console.err("pva: \(error.message)\n")
            return ExitCode.usage
        } catch {
            console.err("pva: \(error)\n")
            return ExitCode.failure
        }
    }
}

/// A tiny option parser: `--name value` options and `--flag` flags.
struct Options {
    var positional: [String] = []
    private var values: [String: String] = [:]
    private var repeated: [String: [String]] = [:]
    private var flags: Set<String> = []

    init(_ arguments: [String], valueOptions: Set<String>, repeatableOptions: Set<String> = [], flagOptions: Set<String>,
         command: String) throws {
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a.hasPrefix("--") {
                var name = a
                var inlineValue: String?
                if let eq = a.firstIndex(of: "=") {
                    name = String(a[..<eq])
                    inlineValue = String(a[a.index(after: eq)...])
                }
                if valueOptions.contains(name) || repeatableOptions.contains(name) {
                    var value: String
                    if let inlineValue {
                        value = inlineValue
                    } else {
                        guard i + 1 < arguments.count else { throw UsageError(message: "\(name) needs a value (see pva \(command) --help)") }
                        value = arguments[i + 1]
                        i += 1
                    }
                    if repeatableOptions.contains(name) {
                        repeated[name, default: []].append(value)
                    } else {
                        guard values[name] == nil else { throw UsageError(message: "\(name) given twice") }
                        values[name] = value
                    }
                } else if flagOptions.contains(name) && inlineValue == nil {
                    flags.insert(name)
                } else {
                    throw UsageError(message: "unknown option '\(a)' for pva \(command) (see pva \(command) --help)")
                }
            } else {
                positional.append(a)
            }
            i += 1
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }
    func string(_ name: String) -> String? { values[name] }
    func strings(_ name: String) -> [String] { repeated[name] ?? [] }

    func integer(_ name: String, min: Int, max: Int = Int.max) throws -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text), value >= min, value <= max else {
            throw UsageError(message: "\(name) must be a whole number from \(min) to \(max) (got '\(text)')")
        }
        return value
    }
}

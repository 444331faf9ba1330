import Foundation
import PVAKit

enum ValidateCommand {
    static let help = """
    Usage: pva validate FILE...

    Reads each scenario file and reports every problem it finds, one per line:
      FILE: JSON.PATH: message (got VALUE)
    Exit code 0 when all files are valid, 2 otherwise.

    """

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: [], flagOptions: ["--help"], command: "validate")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        guard !options.positional.isEmpty else { throw UsageError(message: "validate needs at least one scenario file (see pva validate --help)") }
        var failed = false
        for path in options.positional {
            do {
                _ = try ScenarioFile.prepare(path)
                console.out("\(path): valid\n")
            } catch {
                failed = true
                for issue in error.issues { console.err("\(issue)\n") }
            }
        }
        return failed ? ExitCode.usage : ExitCode.success
    }
}

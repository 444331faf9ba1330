import Foundation
import PVAKit

enum ValidateCommand {
    static let help = """
    Usage: pva validate FILE... [--set PATH=VALUE ...]

    Reads each scenario file, with any --set overrides, and reports every
    problem it finds, one per line:
      FILE: JSON.PATH: message (got VALUE)
    It runs exactly the checks pva run makes before simulating (the scenario
    and its layer files decoded, the model compiled), so a scenario it calls
    valid is one pva run runs. A calibration file (one with "observations") is
    checked as pva calibrate checks it, with its hindcast scenario, and a
    sensitivity study (one with "design") as pva sensitivity checks it, with
    its scenario. Exit code 0
    when all files are valid, 2 otherwise.

    """

    static func main(_ arguments: [String], console: Console) throws -> Int32 {
        let options = try Options(arguments, valueOptions: [], repeatableOptions: ["--set"], flagOptions: ["--help"], command: "validate")
        if options.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        guard !options.positional.isEmpty else { throw UsageError(message: "validate needs at least one scenario file (see pva validate --help)") }
        let overrides = try RunCommand.overridesOption(options)
        var failed = false
        for path in options.positional {
            do {
                if CalibrateCommand.isCalibration(path) {
                    _ = try CalibrateCommand.prepare(path)
                } else if SensitivityCommand.isStudy(path) {
                    _ = try SensitivityCommand.prepare(StudyRequest(path: path))
                } else {
                    _ = try ScenarioFile.prepare(path, overrides: overrides)
                }
                console.out("\(path): valid\n")
            } catch {
                failed = true
                for issue in error.issues { console.err("\(issue)\n") }
            }
        }
        return failed ? ExitCode.usage : ExitCode.success
    }
}

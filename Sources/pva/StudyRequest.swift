import Foundation

/// What a study command (`pva calibrate`, `pva sensitivity`) runs: its file and the options
/// that change the result, and the same as arguments in a fixed order (stored in shard
/// files, from which `pva merge` prepares the study again).
struct StudyRequest {
    var path: String
    var draws: Int?
    var replicates: Int?
    var arguments: [String]

    /// Options that change a study's result.
    static let resultOptions = ["--draws", "--replicates"]

    init(_ options: Options, command: String) throws {
        let file = command == "calibrate" ? "calibration file" : "study file"
        guard options.positional.count == 1 else {
            throw UsageError(message: options.positional.isEmpty ? "\(command) needs a \(file) (see pva \(command) --help)"
                                                                : "\(command) takes one \(file), got \(options.positional.count)")
        }
        path = options.positional[0]
        draws = try options.integer("--draws", min: 2, max: 1_000_000)
        replicates = try options.integer("--replicates", min: 1, max: 100_000)
        arguments = [path]
        for name in Self.resultOptions {
            if let value = options.string(name) { arguments += [name, value] }
        }
    }

    /// The request a shard file's arguments name.
    init(arguments: [String]) throws {
        try self.init(try Options(arguments, valueOptions: Set(Self.resultOptions), flagOptions: [], command: "merge"), command: "merge")
    }

    /// The file as it is (`pva validate`).
    init(path: String) {
        self.path = path
        arguments = [path]
    }
}

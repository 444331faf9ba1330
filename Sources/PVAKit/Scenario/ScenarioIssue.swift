/// One problem found in a scenario file, printed as
/// `FILE: JSON.PATH: message (got VALUE)`.
public struct ScenarioIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// A JSON path such as `species.mortality[2].female`; for a syntax error,
    /// `line L, column C`.
    public var path: String
    public var message: String
    /// The offending value as written, when there is one.
    public var got: String?

    public init(file: String, path: String, message: String, got: String? = nil) {
        self.file = file
        self.path = path
        self.message = message
        self.got = got
    }

    public var description: String {
        var text = "\(file): \(path.isEmpty ? "(document)" : path): \(message)"
        if let got { text += " (got \(got))" }
        return text
    }
}

/// All problems found in one scenario.
public struct ScenarioErrors: Error, Sendable, CustomStringConvertible {
    public var issues: [ScenarioIssue]

    public init(_ issues: [ScenarioIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Collects issues while a scenario is decoded, so that `pva validate` can
/// report every problem at once.
final class Diagnostics {
    let file: String
    private(set) var issues: [ScenarioIssue] = []

    init(file: String) { self.file = file }

    /// Parses an input file (scenario, calibration, study): malformed JSON is thrown as one
    /// issue with its line and column; duplicate keys start the diagnostics of the decoding.
    static func parse(_ bytes: [UInt8], file: String) throws(ScenarioErrors) -> (JSONNode, Diagnostics) {
        var parser = JSONParser(bytes: bytes)
        let root: JSONNode
        do {
            root = try parser.parse()
        } catch {
            throw ScenarioErrors([ScenarioIssue(file: file, path: "line \(error.line), column \(error.column)",
                                                message: "malformed JSON: \(error.message)")])
        }
        let diagnostics = Diagnostics(file: file)
        for duplicate in parser.duplicateKeys {
            diagnostics.add(duplicate.path, "duplicate key (line \(duplicate.line); first given on line \(duplicate.firstLine))")
        }
        return (root, diagnostics)
    }

    /// Whether `bytes` hold a JSON object with the member `key` (which kind of input file it is).
    static func hasTopLevelKey(_ bytes: [UInt8], _ key: String) -> Bool {
        var parser = JSONParser(bytes: bytes)
        guard let root = try? parser.parse(), case .object(let members) = root.value else { return false }
        return members.contains { $0.key == key }
    }

    func add(_ path: String, _ message: String, got: JSONValue? = nil) {
        issues.append(ScenarioIssue(file: file, path: path, message: message, got: got?.shortDescription))
    }

    func add(_ issue: ScenarioIssue) { issues.append(issue) }

    func add(_ path: String, _ message: String, gotText: String) {
        issues.append(ScenarioIssue(file: file, path: path, message: message, got: gotText))
    }

    var isEmpty: Bool { issues.isEmpty }
}

/// Levenshtein distance, for "did you mean" suggestions on unknown keys.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// Values given on the command line that replace the scenario's own:
/// `--replicates`, `--years` and `--seed`, and any number of `--set PATH=VALUE`
/// for a scalar anywhere in the scenario (`threats.poaching.probability=0.05`,
/// `species.mortality[2].female=0.1`). They are written into the JSON before it
/// is decoded, so they are validated like values from the file, are part of the
/// resolved scenario and its hash, and are listed in the provenance.
public struct RunOverrides: Sendable, Equatable {
    public var replicates: Int?
    public var years: Int?
    public var seed: UInt64?
    /// `--set` settings in the order given: a JSON path and the value as typed.
    public var settings: [Setting]

    public struct Setting: Sendable, Equatable {
        public var path: String
        public var value: String

        public init(path: String, value: String) {
            self.path = path
            self.value = value
        }

        /// Parses `PATH=VALUE`; nil when there is no `=` or the path is empty.
        public init?(argument: String) {
            guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex else { return nil }
            path = String(argument[..<eq])
            value = String(argument[argument.index(after: eq)...])
        }

        public var text: String { path + "=" + value }
    }

    public init(replicates: Int? = nil, years: Int? = nil, seed: UInt64? = nil, settings: [Setting] = []) {
        self.replicates = replicates
        self.years = years
        self.seed = seed
        self.settings = settings
    }

    /// Every override as `PATH=VALUE`, the run options first (for the provenance).
    public var all: [Setting] {
        var out: [Setting] = []
        if let replicates { out.append(Setting(path: "run.replicates", value: String(replicates))) }
        if let years { out.append(Setting(path: "run.years", value: String(years))) }
        if let seed { out.append(Setting(path: "run.seed", value: String(seed))) }
        return out + settings
    }

    /// `root` with every override written in; an issue for a path that names nothing
    /// settable or a value that is not a JSON scalar.
    func apply(to root: JSONNode, file: String) -> (JSONNode, [ScenarioIssue]) {
        var node = root
        var issues: [ScenarioIssue] = []
        for setting in all {
            let where_ = "--set \(setting.text)"
            guard let steps = Self.steps(setting.path) else {
                issues.append(ScenarioIssue(file: file, path: where_, message: "PATH must be keys and [index]es separated by dots, e.g. species.mortality[2].female"))
                continue
            }
            let value = Self.scalar(setting.value)
            if let problem = Self.set(value, at: steps[...], in: &node, prefix: "") {
                issues.append(ScenarioIssue(file: file, path: where_, message: problem))
            }
        }
        return (node, issues)
    }

    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    static func steps(_ path: String) -> [Step]? {
        var out: [Step] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var text = Substring(part)
            var key = ""
            while let c = text.first, c != "[" { key.append(c); text.removeFirst() }
            guard !key.isEmpty else { return nil }
            out.append(.key(key))
            while !text.isEmpty {
                guard text.first == "[", let close = text.firstIndex(of: "]"),
                      let i = Int(text[text.index(after: text.startIndex)..<close]), i >= 0 else { return nil }
                out.append(.index(i))
                text = text[text.index(after: close)...]
            }
        }
        return out.isEmpty ? nil : out
    }

    /// A JSON scalar from its command-line text: a JSON number, true, false, null or a
    /// quoted string; anything else is taken as a string (`definition=belowThreshold`).
    static func scalar(_ text: String) -> JSONValue {
        var parser = JSONParser(text: text)
        if let node = try? parser.parse() {
            switch node.value {
            case .object, .array: break
            default: return node.value
            }
        }
        return .string(text)
    }

    private static func set(_ value: JSONValue, at steps: ArraySlice<Step>, in node: inout JSONNode, prefix: String) -> String? {
        guard let step = steps.first else {
            switch node.value {
            case .object, .array:
                return "\(prefix) is \(node.value.typeName), not a single value; set the values inside it"
            default:
                node.value = value
                return nil
            }
        }
        let rest = steps.dropFirst()
        switch (step, node.value) {
        case (.key(let key), .object(var members)):
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let i = members.firstIndex(where: { $0.key == key }) {
                let problem = set(value, at: rest, in: &members[i].value, prefix: path)
                node.value = .object(members)
                return problem
            }
            // A key (or a section) the file leaves out: add it, with objects on the way (the
            // decoder then checks that every key exists).
            if case .index = rest.first { return "\(path) is not in the scenario, so it has no entries to set" }
            var child = JSONNode(rest.isEmpty ? value : .object([]))
            if !rest.isEmpty, let problem = set(value, at: rest, in: &child, prefix: path) { return problem }
            members.append(JSONMember(key: key, value: child))
            node.value = .object(members)
            return nil
        case (.index(let i), .array(var items)):
            let path = prefix + "[\(i)]"
            guard i < items.count else { return "\(prefix) has \(items.count) entries, so there is no \(path)" }
            let problem = set(value, at: rest, in: &items[i], prefix: path)
            node.value = .array(items)
            return problem
        case (.key(let key), _):
            return "\(prefix.isEmpty ? "the document" : prefix) is \(node.value.typeName), so it has no key \(key)"
        case (.index(let i), _):
            return "\(prefix) is \(node.value.typeName), not an array, so it has no [\(i)]"
        }
    }
}

extension JSONOutput {
    /// The number at a `--set` path (`species.mortality[2].female`) of a resolved scenario;
    /// nil when the path names no number.
    public func number(at path: String) -> Double? {
        guard let steps = RunOverrides.steps(path) else { return nil }
        var node = self
        for step in steps {
            switch (step, node) {
            case (.key(let key), .object(let members)):
                guard let child = members[key] else { return nil }
                node = child
            case (.index(let i), .array(let items)):
                guard i < items.count else { return nil }
                node = items[i]
            default:
                return nil
            }
        }
        switch node {
        case .integer(let v): return Double(v)
        case .number(let v), .fixed(let v, _): return v
        default: return nil
        }
    }
}

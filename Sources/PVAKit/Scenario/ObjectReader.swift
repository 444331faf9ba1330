/// Reads one JSON object strictly: each key is taken at most once through a
/// typed accessor that checks the JSON type and range and records an issue
/// with the key's path on failure; `finish()` reports every key nobody asked
/// for. As it reads, it builds the *resolved* object (values given or
/// defaulted), which is what the provenance hash covers.
struct ObjectReader {
    let path: String
    let diagnostics: Diagnostics
    private let members: [JSONMember]
    private var used: Set<String> = []
    private(set) var resolved: [String: JSONOutput] = [:]
    private var knownKeys: [String] = []

    /// nil (with an issue recorded) when `node` is not an object.
    init?(_ node: JSONNode, path: String, diagnostics: Diagnostics) {
        guard case .object(let members) = node.value else {
            diagnostics.add(path, "must be an object", got: node.value)
            return nil
        }
        self.path = path
        self.diagnostics = diagnostics
        self.members = members
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool { members.contains { $0.key == key } }

    /// Every key of the object, in file order.
    var keys: [String] { members.map(\.key) }

    /// The raw node of `key`, marking it as read (unless `markRead` is false); records
    /// "missing" when required.
    mutating func node(_ key: String, required: Bool, markRead: Bool = true) -> JSONNode? {
        if markRead {
            knownKeys.append(key)
            used.insert(key)
        }
        guard let member = members.first(where: { $0.key == key }) else {
            if required { diagnostics.add(childPath(key), "required key is missing") }
            return nil
        }
        return member.value
    }

    mutating func setResolved(_ key: String, _ value: JSONOutput) { resolved[key] = value }

    // MARK: Scalars

    mutating func number(_ key: String, default defaultValue: Double? = nil,
                         min: Double? = nil, max: Double? = nil, exclusiveMin: Bool = false) -> Double? {
        guard let node = node(key, required: defaultValue == nil) else {
            if let defaultValue { resolved[key] = .number(defaultValue) }
            return defaultValue
        }
        guard let value = Self.number(node, path: childPath(key), diagnostics: diagnostics,
                                      min: min, max: max, exclusiveMin: exclusiveMin) else { return nil }
        resolved[key] = .number(value)
        return value
    }

    mutating func probability(_ key: String, default defaultValue: Double? = nil) -> Double? {
        number(key, default: defaultValue, min: 0, max: 1)
    }

    mutating func integer(_ key: String, default defaultValue: Int? = nil, min: Int? = nil, max: Int? = nil) -> Int? {
        guard let node = node(key, required: defaultValue == nil) else {
            if let defaultValue { resolved[key] = .integer(defaultValue) }
            return defaultValue
        }
        guard let value = Self.integer(node, path: childPath(key), diagnostics: diagnostics, min: min, max: max) else {
            return nil
        }
        resolved[key] = .integer(value)
        return value
    }

    mutating func string(_ key: String, default defaultValue: String? = nil, oneOf choices: [String]? = nil) -> String? {
        guard let node = node(key, required: defaultValue == nil) else {
            if let defaultValue { resolved[key] = .string(defaultValue) }
            return defaultValue
        }
        guard case .string(let text) = node.value else {
            diagnostics.add(childPath(key), "must be a string", got: node.value)
            return nil
        }
        if let choices, !choices.contains(text) {
            diagnostics.add(childPath(key), "must be one of " + choices.map { "\"\($0)\"" }.joined(separator: ", "), got: node.value)
            return nil
        }
        resolved[key] = .string(text)
        return text
    }

    mutating func bool(_ key: String, default defaultValue: Bool) -> Bool? {
        guard let node = node(key, required: false) else {
            resolved[key] = .bool(defaultValue)
            return defaultValue
        }
        guard case .bool(let value) = node.value else {
            diagnostics.add(childPath(key), "must be true or false", got: node.value)
            return nil
        }
        resolved[key] = .bool(value)
        return value
    }

    // MARK: Containers

    /// Decodes the object at `key` with `body`; nil when missing (an issue if
    /// required) or malformed.
    mutating func object<T>(_ key: String, required: Bool, _ body: (inout ObjectReader) -> T?) -> T? {
        guard let node = node(key, required: required) else { return nil }
        guard var child = ObjectReader(node, path: childPath(key), diagnostics: diagnostics) else { return nil }
        let value = body(&child)
        resolved[key] = child.finish()
        return value
    }

    /// Decodes each element of the array at `key`; nil when missing, not an
    /// array, or any element fails.
    mutating func array<T>(_ key: String, required: Bool, allowEmpty: Bool = true,
                           _ element: (JSONNode, String, inout JSONOutput) -> T?) -> [T]? {
        guard let node = node(key, required: required) else { return nil }
        guard case .array(let items) = node.value else {
            diagnostics.add(childPath(key), "must be an array", got: node.value)
            return nil
        }
        if !allowEmpty && items.isEmpty {
            diagnostics.add(childPath(key), "must not be empty", got: node.value)
            return nil
        }
        var values: [T] = []
        var outputs: [JSONOutput] = []
        var failed = false
        for (i, item) in items.enumerated() {
            var output = JSONOutput.null
            if let value = element(item, "\(childPath(key))[\(i)]", &output) { values.append(value) } else { failed = true }
            outputs.append(output)
        }
        resolved[key] = .array(outputs)
        return failed ? nil : values
    }

    /// Array of objects, each decoded by `body`.
    mutating func objects<T>(_ key: String, required: Bool, allowEmpty: Bool = true,
                             _ body: (inout ObjectReader) -> T?) -> [T]? {
        let diagnostics = self.diagnostics
        return array(key, required: required, allowEmpty: allowEmpty) { node, path, output in
            guard var child = ObjectReader(node, path: path, diagnostics: diagnostics) else { return nil }
            let value = body(&child)
            output = child.finish()
            return value
        }
    }

    mutating func numbers(_ key: String, required: Bool, min: Double? = nil, max: Double? = nil) -> [Double]? {
        let diagnostics = self.diagnostics
        return array(key, required: required, allowEmpty: false) { node, path, output in
            guard let value = Self.number(node, path: path, diagnostics: diagnostics, min: min, max: max) else { return nil }
            output = .number(value)
            return value
        }
    }

    mutating func integers(_ key: String, required: Bool, allowEmpty: Bool = true, min: Int? = nil, max: Int? = nil) -> [Int]? {
        let diagnostics = self.diagnostics
        return array(key, required: required, allowEmpty: allowEmpty) { node, path, output in
            guard let value = Self.integer(node, path: path, diagnostics: diagnostics, min: min, max: max) else { return nil }
            output = .integer(value)
            return value
        }
    }

    /// A section a later version will implement: present → "not supported yet".
    mutating func unsupported(_ key: String, reason: String = "not supported yet") {
        if let node = node(key, required: false) {
            diagnostics.add(childPath(key), reason, got: node.value)
        }
    }

    /// Records every key that no accessor asked for and returns the resolved object.
    func finish() -> JSONOutput {
        for member in members where !used.contains(member.key) {
            var message = "unknown key"
            let close = knownKeys.filter { editDistance($0, member.key) <= 2 }.sorted { editDistance($0, member.key) < editDistance($1, member.key) }
            if let suggestion = close.first { message += " (did you mean \"\(suggestion)\"?)" }
            diagnostics.add(childPath(member.key), message, got: member.value.value)
        }
        return .object(resolved)
    }

    // MARK: Node-level checks

    /// The value of a JSON number that is finite; otherwise records `typeMessage`
    /// (not a number) or "must be a finite number" (NaN, ±Infinity, overflow).
    private static func finiteNumber(_ node: JSONNode, path: String, diagnostics: Diagnostics, typeMessage: String) -> Double? {
        guard case .number(let value, _) = node.value else {
            diagnostics.add(path, typeMessage, got: node.value)
            return nil
        }
        guard value.isFinite else {
            diagnostics.add(path, "must be a finite number", got: node.value)
            return nil
        }
        return value
    }

    static func number(_ node: JSONNode, path: String, diagnostics: Diagnostics,
                       min: Double? = nil, max: Double? = nil, exclusiveMin: Bool = false) -> Double? {
        guard let value = finiteNumber(node, path: path, diagnostics: diagnostics, typeMessage: "must be a number") else { return nil }
        let belowMin = min.map { exclusiveMin ? value <= $0 : value < $0 } ?? false
        let aboveMax = max.map { value > $0 } ?? false
        if (belowMin || aboveMax) && min == 0 && max == 1 && !exclusiveMin {
            diagnostics.add(path, "must be a probability between 0 and 1", got: node.value)
            return nil
        }
        if belowMin, let min {
            diagnostics.add(path, exclusiveMin ? "must be greater than \(NumberFormatting.shortest(min))"
                                               : "must be at least \(NumberFormatting.shortest(min))", got: node.value)
            return nil
        }
        if aboveMax, let max {
            diagnostics.add(path, "must be at most \(NumberFormatting.shortest(max))", got: node.value)
            return nil
        }
        return value
    }

    static func integer(_ node: JSONNode, path: String, diagnostics: Diagnostics, min: Int? = nil, max: Int? = nil) -> Int? {
        guard let value = finiteNumber(node, path: path, diagnostics: diagnostics, typeMessage: "must be a whole number") else { return nil }
        guard value == value.rounded(), abs(value) <= 9_007_199_254_740_991 else {
            diagnostics.add(path, "must be a whole number", got: node.value)
            return nil
        }
        let integer = Int(value)
        if let min, integer < min {
            diagnostics.add(path, min == 0 ? "must not be negative" : "must be at least \(min)", got: node.value)
            return nil
        }
        if let max, integer > max {
            diagnostics.add(path, "must be at most \(max)", got: node.value)
            return nil
        }
        return integer
    }
}

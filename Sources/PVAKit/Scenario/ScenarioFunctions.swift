import Foundation

/// Rates and amounts given as functions (`"0.1 + 0.2*(N/K)"`), in the
/// expression language of `CompiledExpression` (Vortex's syntax). The values a
/// function may read, by slot:
///
/// | name   | value |
/// |--------|-------|
/// | `N`    | animals alive at the start of the year |
/// | `K`    | this year's carrying capacity (not in K itself, and not with a landscape) |
/// | `Y`    | simulation year (0 at the initial census) |
/// | `YEAR` | calendar year |
/// | `A`    | age (mortality functions only) |
/// | `S`    | sex: 0 female, 1 male (mortality and harvest functions) |
/// | named  | the scenario's `variables` |
///
/// A function is checked and compiled when the scenario is read; an unknown
/// name or a syntax error names the JSON path and the position in the text.
/// Functions give proportions where the key holds a proportion: a Vortex
/// formula for a percentage must be divided by 100.
public struct FunctionVariables: Sendable, Equatable {
    public enum Letter: Int, CaseIterable, Sendable {
        case n = 0, k, y, year, a, s
        public var name: String {
            switch self {
            case .n: return "N"
            case .k: return "K"
            case .y: return "Y"
            case .year: return "YEAR"
            case .a: return "A"
            case .s: return "S"
            }
        }
    }

    /// The scenario's named variables and their values, in the order given.
    public var named: [(name: String, value: Double)]

    public init(named: [(name: String, value: Double)] = []) { self.named = named }

    public static func == (a: FunctionVariables, b: FunctionVariables) -> Bool {
        a.named.map(\.name) == b.named.map(\.name) && a.named.map(\.value) == b.named.map(\.value)
    }

    public var slotCount: Int { Letter.allCases.count + named.count }

    /// The declaration of a context offering `letters` and every named variable.
    func declaration(_ letters: Set<Letter>) throws(ExpressionError) -> ExpressionVariables {
        var slots: [String: Int] = [:]
        for letter in letters { slots[letter.name] = letter.rawValue }
        for (i, v) in named.enumerated() { slots[v.name] = Letter.allCases.count + i }
        return try ExpressionVariables(slots: slots)
    }

    /// A value buffer with the named variables filled in.
    public func values() -> [Double] {
        [Double](repeating: 0, count: Letter.allCases.count) + named.map(\.value)
    }
}

/// A number given directly or as a function.
public enum Quantity: Sendable {
    case constant(Double)
    case function(CompiledExpression)

    /// The constant, or the function's value for `values`.
    public func value(_ values: UnsafeBufferPointer<Double>) -> Double {
        switch self {
        case .constant(let v): return v
        case .function(let f): return f.evaluate(values)
        }
    }

    public var function: CompiledExpression? {
        if case .function(let f) = self { return f }
        return nil
    }
}

extension ObjectReader {
    /// A number in [min, max], or a string holding a function of the context's `letters` and
    /// the scenario's variables; nil (an issue recorded) when neither. A missing key takes
    /// `defaultValue` (required when nil).
    mutating func quantity(_ key: String, default defaultValue: Double? = nil, letters: Set<FunctionVariables.Letter>,
                           variables: FunctionVariables, min: Double, max: Double, exclusiveMin: Bool = false) -> Quantity? {
        guard let node = node(key, required: defaultValue == nil) else {
            if let defaultValue { setResolved(key, .number(defaultValue)); return .constant(defaultValue) }
            return nil
        }
        let path = childPath(key)
        guard case .string(let text) = node.value else {
            guard let value = Self.number(node, path: path, diagnostics: diagnostics, min: min, max: max, exclusiveMin: exclusiveMin) else { return nil }
            setResolved(key, .number(value))
            return .constant(value)
        }
        // A quoted plain number is a mistake of type, not a function: the strict reading a
        // number key had before functions existed stays.
        if Double(text.trimmingCharacters(in: .whitespaces)) != nil {
            diagnostics.add(path, "must be a number (a function must be more than a number: write it without quotes)", got: node.value)
            return nil
        }
        do {
            let compiled = try CompiledExpression.compile(text, variables: try variables.declaration(letters))
            if let constant = compiled.constantValue, constant < min || (exclusiveMin && constant == min) || constant > max {
                diagnostics.add(path, "the function is the constant \(NumberFormatting.shortest(constant)), outside \(NumberFormatting.shortest(min))…\(NumberFormatting.shortest(max))", got: node.value)
                return nil
            }
            setResolved(key, .string(text))
            return .function(compiled)
        } catch {
            let offered = letters.sorted { $0.rawValue < $1.rawValue }.map(\.name) + variables.named.map(\.name)
            diagnostics.add(path, "in the function: \(error.message) (this value may use \(offered.joined(separator: ", ")))", got: node.value)
            return nil
        }
    }
}

/// The built-in functions of the expression language (see
/// ``CompiledExpression`` for the language and the domain rules of each).
/// Names are matched case-insensitively; `FLOOR` and `TRUNC` differ for
/// negative arguments (towards −∞, towards 0), as in C and Excel.
enum ExpressionFunction: Sendable, CaseIterable {
    case minimum, maximum, power
    case exponential, naturalLogarithm, decimalLogarithm, squareRoot, absolute
    case round, floor, truncate, ceiling
    case conditional

    /// The upper-case name a user writes.
    var name: String {
        switch self {
        case .minimum: "MIN"
        case .maximum: "MAX"
        case .power: "POW"
        case .exponential: "EXP"
        case .naturalLogarithm: "LN"
        case .decimalLogarithm: "LOG10"
        case .squareRoot: "SQRT"
        case .absolute: "ABS"
        case .round: "ROUND"
        case .floor: "FLOOR"
        case .truncate: "TRUNC"
        case .ceiling: "CEIL"
        case .conditional: "IF"
        }
    }

    /// Exact number of arguments, or nil for MIN and MAX (2 or more).
    var arity: Int? {
        switch self {
        case .minimum, .maximum: nil
        case .power: 2
        case .conditional: 3
        default: 1
        }
    }

    static func named(_ upperCaseName: String) -> ExpressionFunction? {
        byName[upperCaseName]
    }

    private static let byName: [String: ExpressionFunction] = {
        var table: [String: ExpressionFunction] = [:]
        for function in allCases { table[function.name] = function }
        table["CEILING"] = .ceiling
        return table
    }()

    /// Vortex's random draws. Refused wherever they appear (with or without
    /// arguments): a draw inside a rate would take numbers from a stream the
    /// engine does not control, and results would no longer follow from the
    /// seed alone.
    static let randomNames: Set<String> = ["RAND", "SRAND", "NRAND", "SNRAND", "SCHOOSE", "RANDOM"]

    /// Names refused because their meaning differs between tools: Vortex, Excel
    /// and C disagree on whether LOG is the natural or the decimal logarithm,
    /// and a guess would silently change a rate by a factor of ln 10 ≈ 2.3.
    static let ambiguousNames: [String: String] = ["LOG": "LN (natural) or LOG10 (decimal)"]

    /// Words that are operators, not names.
    static let operatorWords: Set<String> = ["AND", "OR", "NOT"]

    /// True if `upperCaseName` cannot be declared as a variable.
    static func isReserved(_ upperCaseName: String) -> Bool {
        named(upperCaseName) != nil || randomNames.contains(upperCaseName)
            || ambiguousNames[upperCaseName] != nil || operatorWords.contains(upperCaseName)
    }
}

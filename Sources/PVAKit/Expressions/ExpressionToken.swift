/// One token of an expression: what it is, how it was written, and where.
struct ExpressionToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        /// A variable or function name, upper-cased.
        case name(String)
        case plus, minus, times, divide, caret
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
        /// `AND`/`&&`, `OR`/`||`, `NOT`/`!`.
        case and, or, not
        case open(ExpressionBracket), close(ExpressionBracket)
        /// `;` or `,` between function arguments.
        case separator
        case end
    }

    let kind: Kind
    /// The text as written ("" at the end).
    let text: String
    /// 1-based position of its first character in the original text.
    let position: Int

    /// How a message quotes it: `'text'`, or `end of expression`.
    var quoted: String { kind == .end ? "end of expression" : "'\(text)'" }

    var isComparison: Bool {
        switch kind {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }
}

/// `()`, `[]` and `{}` are all brackets, as in Vortex; each must be closed by
/// its own kind.
enum ExpressionBracket: Sendable, Equatable {
    case round, square, curly

    var opening: Character {
        switch self {
        case .round: "("
        case .square: "["
        case .curly: "{"
        }
    }

    var closing: Character {
        switch self {
        case .round: ")"
        case .square: "]"
        case .curly: "}"
        }
    }
}

/// Recursive-descent parser from tokens to a folded ``ExpressionNode``, one
/// function per precedence level (lowest first; the table is in
/// ``CompiledExpression``):
///
///     or         := and (("OR" | "||") and)*
///     and        := not (("AND" | "&&") not)*
///     not        := ("NOT" | "!") not | comparison
///     comparison := additive (compareOp additive)?     -- a second compareOp is an error
///     additive   := term (("+" | "-") term)*
///     term       := unary (("*" | "/") unary)*
///     unary      := ("-" | "+") unary | power
///     power      := primary ("^" unary)?               -- right-associative; 2^-1 allowed
///     primary    := number | variable | name bracket arguments close | bracket or close
///
/// so `-2^2` = −(2²) = −4, `2^3^2` = 2⁹, `2^-2` = 0.25, and `NOT A = B` is
/// NOT (A = B).
struct ExpressionParser {
    private let tokens: [ExpressionToken]
    private let variables: ExpressionVariables
    private var index = 0
    private var nesting = 0

    /// Deepest nesting of brackets, calls and prefix operators; beyond it the
    /// parser's own recursion (and the evaluator's fixed stack) could overflow.
    static let maximumNesting = 100

    init(tokens: [ExpressionToken], variables: ExpressionVariables) {
        self.tokens = tokens
        self.variables = variables
    }

    static func parse(_ text: String, variables: ExpressionVariables) throws(ExpressionError) -> ExpressionNode {
        let tokens = try ExpressionLexer.tokens(of: text)
        var parser = ExpressionParser(tokens: tokens, variables: variables)
        if tokens[0].kind == .end {
            throw ExpressionError("empty expression", position: tokens[0].position, token: "")
        }
        let node = try parser.parseOr()
        let rest = parser.current
        switch rest.kind {
        case .end:
            return node
        case .close(let bracket):
            throw ExpressionError("unmatched '\(bracket.closing)' at position \(rest.position)",
                                  position: rest.position, token: rest.text)
        case .separator:
            throw Self.separatorOutsideCall(rest)
        default:
            throw ExpressionError("unexpected \(rest.quoted) at position \(rest.position) after a complete expression",
                                  position: rest.position, token: rest.text)
        }
    }

    private var current: ExpressionToken { tokens[index] }

    private mutating func advance() -> ExpressionToken {
        let token = tokens[index]
        if token.kind != .end { index += 1 }
        return token
    }

    private mutating func enter(_ token: ExpressionToken) throws(ExpressionError) {
        nesting += 1
        if nesting > Self.maximumNesting {
            throw ExpressionError("expression nested more than \(Self.maximumNesting) levels deep at position \(token.position)",
                                  position: token.position, token: token.text)
        }
    }

    private mutating func leave() { nesting -= 1 }

    // MARK: Levels, lowest precedence first

    private mutating func parseOr() throws(ExpressionError) -> ExpressionNode {
        var node = try parseAnd()
        while current.kind == .or {
            _ = advance()
            node = ExpressionNode.foldedOr(node, try parseAnd())
        }
        return node
    }

    private mutating func parseAnd() throws(ExpressionError) -> ExpressionNode {
        var node = try parseNot()
        while current.kind == .and {
            _ = advance()
            node = ExpressionNode.foldedAnd(node, try parseNot())
        }
        return node
    }

    private mutating func parseNot() throws(ExpressionError) -> ExpressionNode {
        guard current.kind == .not else { return try parseComparison() }
        let token = advance()
        try enter(token)
        defer { leave() }
        return ExpressionNode.foldedNot(try parseNot())
    }

    private mutating func parseComparison() throws(ExpressionError) -> ExpressionNode {
        let left = try parseAdditive()
        guard current.isComparison else { return left }
        let token = advance()
        let right = try parseAdditive()
        if current.isComparison {
            let second = current
            throw ExpressionError(
                "comparison \(second.quoted) at position \(second.position) follows another comparison; "
                    + "comparisons do not chain (write A < B AND B < C)",
                position: second.position, token: second.text)
        }
        let op: ExpressionNode.Binary = switch token.kind {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        default: .greaterOrEqual
        }
        return try ExpressionNode.foldedBinary(op, left, right, token: token)
    }

    private mutating func parseAdditive() throws(ExpressionError) -> ExpressionNode {
        var node = try parseTerm()
        while current.kind == .plus || current.kind == .minus {
            let token = advance()
            let right = try parseTerm()
            node = try ExpressionNode.foldedBinary(token.kind == .plus ? .add : .subtract, node, right, token: token)
        }
        return node
    }

    private mutating func parseTerm() throws(ExpressionError) -> ExpressionNode {
        var node = try parseUnary()
        while current.kind == .times || current.kind == .divide {
            let token = advance()
            let right = try parseUnary()
            node = try ExpressionNode.foldedBinary(token.kind == .times ? .multiply : .divide, node, right, token: token)
        }
        return node
    }

    private mutating func parseUnary() throws(ExpressionError) -> ExpressionNode {
        guard current.kind == .minus || current.kind == .plus else { return try parsePower() }
        let token = advance()
        try enter(token)
        defer { leave() }
        let operand = try parseUnary()
        return token.kind == .minus ? ExpressionNode.foldedNegation(operand) : operand
    }

    private mutating func parsePower() throws(ExpressionError) -> ExpressionNode {
        let base = try parsePrimary()
        guard current.kind == .caret else { return base }
        let token = advance()
        try enter(token)
        defer { leave() }
        let exponent = try parseUnary()
        return try ExpressionNode.foldedBinary(.power, base, exponent, token: token)
    }

    private mutating func parsePrimary() throws(ExpressionError) -> ExpressionNode {
        let token = current
        switch token.kind {
        case .number(let value):
            _ = advance()
            return .constant(value)
        case .name(let name):
            _ = advance()
            return try parseName(name, token: token)
        case .open(let bracket):
            _ = advance()
            try enter(token)
            defer { leave() }
            let inner = try parseOr()
            try close(bracket, openedBy: token)
            return inner
        default:
            throw Self.expectedValue(got: token)
        }
    }

    private mutating func parseName(_ name: String, token: ExpressionToken) throws(ExpressionError) -> ExpressionNode {
        let at = "at position \(token.position)"
        if ExpressionFunction.randomNames.contains(name) {
            throw ExpressionError(
                "random draws in expressions are not supported ('\(token.text)' \(at)): "
                    + "results must follow from the scenario's seed alone",
                position: token.position, token: token.text)
        }
        if let suggestion = ExpressionFunction.ambiguousNames[name] {
            throw ExpressionError("'\(token.text)' \(at) is ambiguous (natural or decimal logarithm); write \(suggestion)",
                                  position: token.position, token: token.text)
        }
        let isCall: Bool = if case .open = current.kind { true } else { false }
        if let slot = variables.slot(of: name) {
            if isCall {
                throw ExpressionError("variable '\(token.text)' \(at) is not a function",
                                      position: token.position, token: token.text)
            }
            return .variable(slot: slot)
        }
        guard let function = ExpressionFunction.named(name) else {
            let kind = isCall ? "function" : "variable"
            throw ExpressionError("unknown \(kind) '\(token.text)' \(at)", position: token.position, token: token.text)
        }
        guard isCall, case .open(let bracket) = current.kind else {
            throw ExpressionError("function \(function.name) \(at) needs its arguments in brackets",
                                  position: token.position, token: token.text)
        }
        let opening = advance()
        try enter(opening)
        defer { leave() }
        let arguments = try parseArguments(closing: bracket, openedBy: opening)
        return try call(function, arguments, token: token)
    }

    /// Arguments up to and including the closing bracket.
    private mutating func parseArguments(closing bracket: ExpressionBracket,
                                         openedBy opening: ExpressionToken) throws(ExpressionError) -> [ExpressionNode] {
        if case .close = current.kind {
            try close(bracket, openedBy: opening)
            return []
        }
        var arguments = [try parseOr()]
        while current.kind == .separator {
            _ = advance()
            arguments.append(try parseOr())
        }
        try close(bracket, openedBy: opening)
        return arguments
    }

    private func call(_ function: ExpressionFunction, _ arguments: [ExpressionNode],
                      token: ExpressionToken) throws(ExpressionError) -> ExpressionNode {
        let at = "at position \(token.position)"
        if let arity = function.arity, arguments.count != arity {
            throw ExpressionError(
                "\(function.name) takes \(arity) argument\(arity == 1 ? "" : "s") \(at) (got \(arguments.count))",
                position: token.position, token: token.text)
        }
        if function.arity == nil, arguments.count < 2 {
            throw ExpressionError("\(function.name) needs at least 2 arguments \(at) (got \(arguments.count))",
                                  position: token.position, token: token.text)
        }
        switch function {
        case .minimum, .maximum:
            var node = arguments[0]
            for argument in arguments.dropFirst() {
                node = try ExpressionNode.foldedBinary(function == .minimum ? .minimum : .maximum, node, argument, token: token)
            }
            return node
        case .power:
            return try ExpressionNode.foldedBinary(.power, arguments[0], arguments[1], token: token)
        case .conditional:
            return ExpressionNode.foldedConditional(arguments[0], arguments[1], arguments[2])
        case .exponential: return try ExpressionNode.foldedFunction(.exponential, arguments[0], token: token)
        case .naturalLogarithm: return try ExpressionNode.foldedFunction(.naturalLogarithm, arguments[0], token: token)
        case .decimalLogarithm: return try ExpressionNode.foldedFunction(.decimalLogarithm, arguments[0], token: token)
        case .squareRoot: return try ExpressionNode.foldedFunction(.squareRoot, arguments[0], token: token)
        case .absolute: return try ExpressionNode.foldedFunction(.absolute, arguments[0], token: token)
        case .round: return try ExpressionNode.foldedFunction(.round, arguments[0], token: token)
        case .floor: return try ExpressionNode.foldedFunction(.floor, arguments[0], token: token)
        case .truncate: return try ExpressionNode.foldedFunction(.truncate, arguments[0], token: token)
        case .ceiling: return try ExpressionNode.foldedFunction(.ceiling, arguments[0], token: token)
        }
    }

    /// Consumes the bracket closing `opening`, or explains why it is not there.
    private mutating func close(_ bracket: ExpressionBracket, openedBy opening: ExpressionToken) throws(ExpressionError) {
        let token = current
        switch token.kind {
        case .close(let found) where found == bracket:
            _ = advance()
        case .close(let found):
            throw ExpressionError(
                "'\(bracket.opening)' at position \(opening.position) closed by '\(found.closing)' at position \(token.position)",
                position: token.position, token: token.text)
        case .end:
            throw ExpressionError(
                "expected '\(bracket.closing)' to close '\(bracket.opening)' at position \(opening.position) (got end of expression)",
                position: opening.position, token: opening.text)
        case .separator:
            throw Self.separatorOutsideCall(token)
        default:
            throw ExpressionError(
                "expected '\(bracket.closing)' to close '\(bracket.opening)' at position \(opening.position) "
                    + "(got \(token.quoted) at position \(token.position))",
                position: token.position, token: token.text)
        }
    }

    private static func expectedValue(got token: ExpressionToken) -> ExpressionError {
        ExpressionError("expected a number, name or bracket at position \(token.position) (got \(token.quoted))",
                        position: token.position, token: token.text)
    }

    private static func separatorOutsideCall(_ token: ExpressionToken) -> ExpressionError {
        ExpressionError("unexpected \(token.quoted) at position \(token.position): separators belong between function arguments",
                        position: token.position, token: token.text)
    }
}

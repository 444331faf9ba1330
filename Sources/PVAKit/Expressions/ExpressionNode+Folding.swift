/// Building nodes with constant folding: an operation whose operands are all
/// constants is computed once, at compile time, with the same arithmetic as
/// the evaluator. A domain rule that would fire on constants — `1/0`,
/// `N/(2-2)`, `LN(0)`, `SQRT(-1)`, `(-8)^0.5`, `EXP(1000)` — is a compile
/// error naming the position, since it can only be a mistake in the formula.
/// IF, AND and OR with a constant condition keep only what can be reached, so
/// `IF(1; 5; N)` is the constant 5 and does not refer to N.
extension ExpressionNode {
    static func foldedNegation(_ x: ExpressionNode) -> ExpressionNode {
        if let value = x.constantValue { return .constant(-value) }
        return .negate(x)
    }

    /// `token` is the operator (or the function name for MIN, MAX, POW).
    static func foldedBinary(_ op: Binary, _ l: ExpressionNode, _ r: ExpressionNode,
                       token: ExpressionToken) throws(ExpressionError) -> ExpressionNode {
        if op == .divide, r.constantValue == 0 {
            throw ExpressionError("division by zero at position \(token.position)",
                                  position: token.position, token: token.text)
        }
        guard let a = l.constantValue, let b = r.constantValue else { return .binary(op, l, r) }
        var events: ExpressionDomainEvents = []
        let value = op.apply(a, b, &events)
        if events.isEmpty { return .constant(value) }
        let at = "at position \(token.position)"
        let message: String
        if events.contains(.undefinedPower) {
            message = "\(op.render(a, b)) \(at) is undefined (a negative number to a fractional power)"
        } else if events.contains(.divisionByZero) {
            message = "\(op.render(a, b)) \(at) is a division by zero"
        } else {
            message = "\(op.render(a, b)) \(at) overflows (beyond ±1.8e308)"
        }
        throw ExpressionError(message, position: token.position, token: token.text)
    }

    static func foldedFunction(_ f: Unary, _ x: ExpressionNode, token: ExpressionToken) throws(ExpressionError) -> ExpressionNode {
        guard let a = x.constantValue else { return .function(f, x) }
        var events: ExpressionDomainEvents = []
        let value = f.apply(a, &events)
        if events.isEmpty { return .constant(value) }
        let call = "\(f.name)(\(ExpressionNode.format(a))) at position \(token.position)"
        let message = if events.contains(.logarithmOfNonPositive) {
            "\(call) is undefined (the argument must be greater than 0)"
        } else if events.contains(.squareRootOfNegative) {
            "\(call) is undefined (the argument must not be negative)"
        } else {
            "\(call) overflows (beyond ±1.8e308)"
        }
        throw ExpressionError(message, position: token.position, token: token.text)
    }

    static func foldedNot(_ x: ExpressionNode) -> ExpressionNode {
        if let value = x.constantValue { return .constant(value == 0 ? 1 : 0) }
        return .not(x)
    }

    static func foldedTruth(of x: ExpressionNode) -> ExpressionNode {
        if let value = x.constantValue { return .constant(value != 0 ? 1 : 0) }
        return .truth(x)
    }

    static func foldedAnd(_ l: ExpressionNode, _ r: ExpressionNode) -> ExpressionNode {
        if let value = l.constantValue { return value == 0 ? .constant(0) : foldedTruth(of: r) }
        return .and(l, r)
    }

    static func foldedOr(_ l: ExpressionNode, _ r: ExpressionNode) -> ExpressionNode {
        if let value = l.constantValue { return value != 0 ? .constant(1) : foldedTruth(of: r) }
        return .or(l, r)
    }

    static func foldedConditional(_ c: ExpressionNode, _ a: ExpressionNode, _ b: ExpressionNode) -> ExpressionNode {
        if let value = c.constantValue { return value != 0 ? a : b }
        return .conditional(c, a, b)
    }

    /// A number as a message shows it: integers without ".0".
    static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}

extension ExpressionNode.Binary {
    func apply(_ a: Double, _ b: Double, _ events: inout ExpressionDomainEvents) -> Double {
        switch self {
        case .add: ExpressionArithmetic.add(a, b, &events)
        case .subtract: ExpressionArithmetic.subtract(a, b, &events)
        case .multiply: ExpressionArithmetic.multiply(a, b, &events)
        case .divide: ExpressionArithmetic.divide(a, b, &events)
        case .power: ExpressionArithmetic.power(a, b, &events)
        case .equal: ExpressionArithmetic.truth(a == b)
        case .notEqual: ExpressionArithmetic.truth(a != b)
        case .less: ExpressionArithmetic.truth(a < b)
        case .lessOrEqual: ExpressionArithmetic.truth(a <= b)
        case .greater: ExpressionArithmetic.truth(a > b)
        case .greaterOrEqual: ExpressionArithmetic.truth(a >= b)
        case .minimum: Swift.min(a, b)
        case .maximum: Swift.max(a, b)
        }
    }

    /// The operation as a message quotes it, e.g. `(-8)^0.5`, `1e+308 * 10`.
    func render(_ a: Double, _ b: Double) -> String {
        let fa = ExpressionNode.format(a), fb = ExpressionNode.format(b)
        switch self {
        case .power: return "\(a < 0 ? "(\(fa))" : fa)^\(b < 0 ? "(\(fb))" : fb)"
        case .add: return "\(fa) + \(fb)"
        case .subtract: return "\(fa) - \(fb)"
        case .multiply: return "\(fa) * \(fb)"
        case .divide: return "\(fa) / \(fb)"
        case .minimum: return "MIN(\(fa); \(fb))"
        case .maximum: return "MAX(\(fa); \(fb))"
        default: return "\(fa) ? \(fb)"
        }
    }
}

extension ExpressionNode.Unary {
    var name: String {
        switch self {
        case .exponential: "EXP"
        case .naturalLogarithm: "LN"
        case .decimalLogarithm: "LOG10"
        case .squareRoot: "SQRT"
        case .absolute: "ABS"
        case .round: "ROUND"
        case .floor: "FLOOR"
        case .truncate: "TRUNC"
        case .ceiling: "CEIL"
        }
    }

    func apply(_ x: Double, _ events: inout ExpressionDomainEvents) -> Double {
        switch self {
        case .exponential: ExpressionArithmetic.exponential(x, &events)
        case .naturalLogarithm: ExpressionArithmetic.naturalLogarithm(x, &events)
        case .decimalLogarithm: ExpressionArithmetic.decimalLogarithm(x, &events)
        case .squareRoot: ExpressionArithmetic.squareRoot(x, &events)
        case .absolute: Swift.abs(x)
        case .round: x.rounded(.toNearestOrAwayFromZero)
        case .floor: x.rounded(.down)
        case .truncate: x.rounded(.towardZero)
        case .ceiling: x.rounded(.up)
        }
    }
}

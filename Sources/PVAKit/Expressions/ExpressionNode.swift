/// The syntax tree of a parsed expression, after constant folding
/// (`ExpressionNode+Folding.swift`). Nodes carry no positions: every error
/// that needs one is raised while the tree is built.
indirect enum ExpressionNode: Sendable, Equatable {
    case constant(Double)
    case variable(slot: Int)
    case negate(ExpressionNode)
    case binary(Binary, ExpressionNode, ExpressionNode)
    case function(Unary, ExpressionNode)
    /// 1 if the operand is non-zero, else 0.
    case truth(ExpressionNode)
    case not(ExpressionNode)
    /// Short-circuit: the right side is evaluated only when the left is non-zero.
    case and(ExpressionNode, ExpressionNode)
    /// Short-circuit: the right side is evaluated only when the left is zero.
    case or(ExpressionNode, ExpressionNode)
    /// IF(condition; then; else): only the chosen branch is evaluated.
    case conditional(ExpressionNode, ExpressionNode, ExpressionNode)

    enum Binary: Sendable, Equatable {
        case add, subtract, multiply, divide, power
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
        case minimum, maximum
    }

    enum Unary: Sendable, Equatable {
        case exponential, naturalLogarithm, decimalLogarithm, squareRoot, absolute
        case round, floor, truncate, ceiling
    }

    var constantValue: Double? {
        if case .constant(let value) = self { value } else { nil }
    }
}

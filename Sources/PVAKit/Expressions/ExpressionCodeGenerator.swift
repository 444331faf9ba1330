/// Turns a folded ``ExpressionNode`` into a postfix program: operands before
/// their operator, MIN and MAX of n arguments as n − 1 pairwise steps, IF,
/// AND and OR as forward jumps so that only the operands that decide the
/// value are evaluated. `+ - * /` with a constant or variable operand become
/// one fused step, and a power with a constant exponent 1…64 one
/// `integerPower` step. The generator tracks the stack height of what it
/// emits, so ``maximumHeight`` is the exact stack the program needs.
struct ExpressionCodeGenerator {
    private(set) var code: [ExpressionInstruction] = []
    private var height = 0
    private(set) var maximumHeight = 0

    static func program(for node: ExpressionNode) -> (code: [ExpressionInstruction], stackDepth: Int) {
        var generator = ExpressionCodeGenerator()
        generator.emit(node)
        return (generator.code, generator.maximumHeight)
    }

    /// Appends `instruction`, which changes the stack height by `effect`.
    private mutating func append(_ instruction: ExpressionInstruction, _ effect: Int) {
        code.append(instruction)
        height += effect
        maximumHeight = max(maximumHeight, height)
    }

    private mutating func emit(_ node: ExpressionNode) {
        switch node {
        case .constant(let value):
            append(.constant(value), 1)
        case .variable(let slot):
            append(.variable(slot), 1)
        case .negate(let x):
            emit(x)
            append(.negate, 0)
        case .binary(let op, let l, let r):
            if let (operand, fused) = Self.fused(op, l, r) {
                emit(operand)
                append(fused, 0)
            } else {
                emit(l)
                emit(r)
                append(Self.instruction(for: op), -1)
            }
        case .function(let f, let x):
            emit(x)
            append(Self.instruction(for: f), 0)
        case .truth(let x):
            emit(x)
            append(.truth, 0)
        case .not(let x):
            emit(x)
            append(.not, 0)
        case .and(let l, let r):
            emit(l)
            let jump = placeholder(-1)  // falling through pops the left value
            emit(r)
            append(.truth, 0)
            code[jump] = .jumpIfZeroElsePop(code.count)
        case .or(let l, let r):
            emit(l)
            let jump = placeholder(-1)
            emit(r)
            append(.truth, 0)
            code[jump] = .jumpIfNonZeroElsePop(code.count)
        case .conditional(let c, let a, let b):
            emit(c)
            let toElse = placeholder(-1)  // pops the condition
            let branchHeight = height
            emit(a)
            let toEnd = placeholder(0)
            code[toElse] = .jumpIfZero(code.count)
            height = branchHeight
            emit(b)
            code[toEnd] = .jump(code.count)
        }
    }

    private mutating func placeholder(_ effect: Int) -> Int {
        append(.jump(-1), effect)
        return code.count - 1
    }

    /// The single step computing `l op r` from one operand already on the
    /// stack, if the other is a constant or variable: x + c, c + x, x − c,
    /// c − x, x · c, c · x, x / c, c / x, x ∘ v. IEEE addition and
    /// multiplication are commutative, so c + x = x + c exactly.
    private static func fused(_ op: ExpressionNode.Binary, _ l: ExpressionNode,
                              _ r: ExpressionNode) -> (ExpressionNode, ExpressionInstruction)? {
        switch (op, l, r) {
        case (.power, _, .constant(let c)):
            return ExpressionArithmetic.integerExponent(c).map { (l, .integerPower($0)) }
        case (.add, _, .constant(let c)): return (l, .addConstant(c))
        case (.subtract, _, .constant(let c)): return (l, .subtractConstant(c))
        case (.multiply, _, .constant(let c)): return (l, .multiplyConstant(c))
        case (.divide, _, .constant(let c)): return (l, .divideConstant(c))
        case (.add, .constant(let c), _): return (r, .addConstant(c))
        case (.subtract, .constant(let c), _): return (r, .constantSubtract(c))
        case (.multiply, .constant(let c), _): return (r, .multiplyConstant(c))
        case (.divide, .constant(let c), _): return (r, .constantDivide(c))
        case (.add, _, .variable(let slot)): return (l, .addVariable(slot))
        case (.subtract, _, .variable(let slot)): return (l, .subtractVariable(slot))
        case (.multiply, _, .variable(let slot)): return (l, .multiplyVariable(slot))
        case (.divide, _, .variable(let slot)): return (l, .divideVariable(slot))
        default: return nil
        }
    }

    private static func instruction(for op: ExpressionNode.Binary) -> ExpressionInstruction {
        switch op {
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        case .power: .power
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        case .minimum: .minimum
        case .maximum: .maximum
        }
    }

    private static func instruction(for f: ExpressionNode.Unary) -> ExpressionInstruction {
        switch f {
        case .exponential: .exponential
        case .naturalLogarithm: .naturalLogarithm
        case .decimalLogarithm: .decimalLogarithm
        case .squareRoot: .squareRoot
        case .absolute: .absolute
        case .round: .round
        case .floor: .floor
        case .truncate: .truncate
        case .ceiling: .ceiling
        }
    }
}

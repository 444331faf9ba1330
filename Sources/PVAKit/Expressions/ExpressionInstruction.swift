/// One step of a compiled expression: a postfix (stack machine) program.
/// Operands are popped from and results pushed onto a fixed stack whose
/// size is known at compile time. Jumps are absolute instruction indices and
/// only go forward, so every program terminates in at most its length.
/// Arithmetic with a constant or variable operand is fused into one step
/// (`N/K` is `variable(N), divideVariable(K)`), with the same result and
/// domain rules as the separate steps: fewer dispatches, less stack traffic.
///
/// A flat 16-byte struct rather than an enum with payloads, so the
/// evaluator dispatches through one jump table on `opcode` (an enum mixing
/// payload and plain cases costs a second dispatch for the plain ones).
struct ExpressionInstruction: Sendable, Equatable {
    enum Opcode: UInt8, Sendable {
        /// Push `value`.
        case constant
        /// Push values[index] (NaN read as 0, ±∞ as ±largest, recorded).
        case variable
        case negate
        case add, subtract, multiply, divide, power
        /// x ∘ c with c = `value`: x + c, x − c, x · c, x / c.
        case addConstant, subtractConstant, multiplyConstant, divideConstant
        /// c ∘ x with c = `value`: c − x, c / x.
        case constantSubtract, constantDivide
        /// x ∘ v with v = values[index].
        case addVariable, subtractVariable, multiplyVariable, divideVariable
        /// xⁿ with n = `index` (see `ExpressionArithmetic.integerPower`).
        case integerPower
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
        case minimum, maximum
        case exponential, naturalLogarithm, decimalLogarithm, squareRoot, absolute
        case round, floor, truncate, ceiling
        /// Replace the top by 1 if non-zero, else 0.
        case truth
        /// Replace the top by 1 if zero, else 0.
        case not
        /// Pop; jump to `index` if the value was 0 (IF's condition).
        case jumpIfZero
        /// Jump to `index` (end of IF's then-branch).
        case jump
        /// AND's left side: if the top is 0, leave 0 and jump to `index`; else pop it.
        case jumpIfZeroElsePop
        /// OR's left side: if the top is non-zero, replace it by 1 and jump to `index`; else pop it.
        case jumpIfNonZeroElsePop
    }

    let opcode: Opcode
    /// A slot, jump target or integer exponent.
    let index: Int32
    /// A constant operand.
    let value: Double

    init(_ opcode: Opcode, index: Int = 0, value: Double = 0) {
        self.opcode = opcode
        self.index = Int32(index)
        self.value = value
    }

    static func constant(_ value: Double) -> Self { Self(.constant, value: value) }
    static func variable(_ slot: Int) -> Self { Self(.variable, index: slot) }
    static func addConstant(_ c: Double) -> Self { Self(.addConstant, value: c) }
    static func subtractConstant(_ c: Double) -> Self { Self(.subtractConstant, value: c) }
    static func multiplyConstant(_ c: Double) -> Self { Self(.multiplyConstant, value: c) }
    static func divideConstant(_ c: Double) -> Self { Self(.divideConstant, value: c) }
    static func constantSubtract(_ c: Double) -> Self { Self(.constantSubtract, value: c) }
    static func constantDivide(_ c: Double) -> Self { Self(.constantDivide, value: c) }
    static func addVariable(_ slot: Int) -> Self { Self(.addVariable, index: slot) }
    static func subtractVariable(_ slot: Int) -> Self { Self(.subtractVariable, index: slot) }
    static func multiplyVariable(_ slot: Int) -> Self { Self(.multiplyVariable, index: slot) }
    static func divideVariable(_ slot: Int) -> Self { Self(.divideVariable, index: slot) }
    static func integerPower(_ n: Int) -> Self { Self(.integerPower, index: n) }
    static func jumpIfZero(_ target: Int) -> Self { Self(.jumpIfZero, index: target) }
    static func jump(_ target: Int) -> Self { Self(.jump, index: target) }
    static func jumpIfZeroElsePop(_ target: Int) -> Self { Self(.jumpIfZeroElsePop, index: target) }
    static func jumpIfNonZeroElsePop(_ target: Int) -> Self { Self(.jumpIfNonZeroElsePop, index: target) }

    static let negate = Self(.negate)
    static let add = Self(.add)
    static let subtract = Self(.subtract)
    static let multiply = Self(.multiply)
    static let divide = Self(.divide)
    static let power = Self(.power)
    static let equal = Self(.equal)
    static let notEqual = Self(.notEqual)
    static let less = Self(.less)
    static let lessOrEqual = Self(.lessOrEqual)
    static let greater = Self(.greater)
    static let greaterOrEqual = Self(.greaterOrEqual)
    static let minimum = Self(.minimum)
    static let maximum = Self(.maximum)
    static let exponential = Self(.exponential)
    static let naturalLogarithm = Self(.naturalLogarithm)
    static let decimalLogarithm = Self(.decimalLogarithm)
    static let squareRoot = Self(.squareRoot)
    static let absolute = Self(.absolute)
    static let round = Self(.round)
    static let floor = Self(.floor)
    static let truncate = Self(.truncate)
    static let ceiling = Self(.ceiling)
    static let truth = Self(.truth)
    static let not = Self(.not)

    /// The variable slot this step reads, if any.
    var slotRead: Int? {
        switch opcode {
        case .variable, .addVariable, .subtractVariable, .multiplyVariable, .divideVariable: Int(index)
        default: nil
        }
    }
}

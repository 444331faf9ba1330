/// Evaluation: one pass over the postfix program with a stack of
/// ``CompiledExpression/maximumStackDepth`` Doubles (1 KiB) from
/// `withUnsafeTemporaryAllocation`, which the standard library places on the
/// machine stack at this size, so an evaluation allocates nothing on the
/// heap and touches no shared state. Compilation guarantees the program
/// needs no more (``CompiledExpression/stackDepth``).
/// `values[slot]` is the value of the variable declared at that slot.
extension CompiledExpression {
    /// The value at `values`; never NaN or ±∞ (domain rules in ``CompiledExpression``).
    /// `values.count` must be at least ``requiredValueCount``.
    public func evaluate(_ values: UnsafeBufferPointer<Double>) -> Double {
        var events: ExpressionDomainEvents = []
        return run(values, &events)
    }

    /// The value and the domain rules that fired while computing it.
    public func evaluateChecked(_ values: UnsafeBufferPointer<Double>) -> ExpressionEvaluation {
        var events: ExpressionDomainEvents = []
        let value = run(values, &events)
        return ExpressionEvaluation(value: value, events: events)
    }

    /// Convenience for tests and one-off use.
    public func evaluate(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { evaluate($0) }
    }

    /// Convenience for tests and one-off use.
    public func evaluateChecked(_ values: [Double]) -> ExpressionEvaluation {
        values.withUnsafeBufferPointer { evaluateChecked($0) }
    }

    @inline(__always)
    private func run(_ values: UnsafeBufferPointer<Double>, _ events: inout ExpressionDomainEvents) -> Double {
        precondition(values.count >= requiredValueCount,
                     "expression '\(source)' reads slot \(requiredValueCount - 1) but only \(values.count) values were given")
        return program.withUnsafeBufferPointer { code in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: CompiledExpression.maximumStackDepth) { buffer in
                // `top` points at the topmost value; pointer arithmetic keeps
                // the loop free of overflow checks (depth is bounded at compile time).
                let base = buffer.baseAddress!
                var top = base - 1
                var pc = 0
                let end = code.count
                while pc < end {
                    let instruction = code[pc]
                    switch instruction.opcode {
                    case .constant:
                        top += 1
                        top.pointee = instruction.value
                    case .variable:
                        let slot = Int(instruction.index)
                        top += 1
                        top.pointee = ExpressionArithmetic.input(values[slot], &events)
                    case .negate:
                        top.pointee = -top.pointee
                    case .add:
                        top -= 1
                        top.pointee = ExpressionArithmetic.add(top.pointee, top[1], &events)
                    case .subtract:
                        top -= 1
                        top.pointee = ExpressionArithmetic.subtract(top.pointee, top[1], &events)
                    case .multiply:
                        top -= 1
                        top.pointee = ExpressionArithmetic.multiply(top.pointee, top[1], &events)
                    case .divide:
                        top -= 1
                        top.pointee = ExpressionArithmetic.divide(top.pointee, top[1], &events)
                    case .power:
                        top -= 1
                        top.pointee = ExpressionArithmetic.power(top.pointee, top[1], &events)
                    case .addConstant:
                        let c = instruction.value
                        top.pointee = ExpressionArithmetic.add(top.pointee, c, &events)
                    case .subtractConstant:
                        let c = instruction.value
                        top.pointee = ExpressionArithmetic.subtract(top.pointee, c, &events)
                    case .multiplyConstant:
                        let c = instruction.value
                        top.pointee = ExpressionArithmetic.multiply(top.pointee, c, &events)
                    case .divideConstant:
                        let c = instruction.value
                        top.pointee = ExpressionArithmetic.divide(top.pointee, c, &events)
                    case .constantSubtract:
                        let c = instruction.value
                        top.pointee = ExpressionArithmetic.subtract(c, top.pointee, &events)
                    case .constantDivide:
                        let c = instruction.value
                        top.pointee = ExpressionArithmetic.divide(c, top.pointee, &events)
                    case .addVariable:
                        let slot = Int(instruction.index)
                        top.pointee = ExpressionArithmetic.add(
                            top.pointee, ExpressionArithmetic.input(values[slot], &events), &events)
                    case .subtractVariable:
                        let slot = Int(instruction.index)
                        top.pointee = ExpressionArithmetic.subtract(
                            top.pointee, ExpressionArithmetic.input(values[slot], &events), &events)
                    case .multiplyVariable:
                        let slot = Int(instruction.index)
                        top.pointee = ExpressionArithmetic.multiply(
                            top.pointee, ExpressionArithmetic.input(values[slot], &events), &events)
                    case .divideVariable:
                        let slot = Int(instruction.index)
                        top.pointee = ExpressionArithmetic.divide(
                            top.pointee, ExpressionArithmetic.input(values[slot], &events), &events)
                    case .integerPower:
                        let n = Int(instruction.index)
                        top.pointee = ExpressionArithmetic.integerPower(top.pointee, n, &events)
                    case .equal:
                        top -= 1
                        top.pointee = top.pointee == top[1] ? 1 : 0
                    case .notEqual:
                        top -= 1
                        top.pointee = top.pointee != top[1] ? 1 : 0
                    case .less:
                        top -= 1
                        top.pointee = top.pointee < top[1] ? 1 : 0
                    case .lessOrEqual:
                        top -= 1
                        top.pointee = top.pointee <= top[1] ? 1 : 0
                    case .greater:
                        top -= 1
                        top.pointee = top.pointee > top[1] ? 1 : 0
                    case .greaterOrEqual:
                        top -= 1
                        top.pointee = top.pointee >= top[1] ? 1 : 0
                    case .minimum:
                        top -= 1
                        top.pointee = Swift.min(top.pointee, top[1])
                    case .maximum:
                        top -= 1
                        top.pointee = Swift.max(top.pointee, top[1])
                    case .exponential:
                        top.pointee = ExpressionArithmetic.exponential(top.pointee, &events)
                    case .naturalLogarithm:
                        top.pointee = ExpressionArithmetic.naturalLogarithm(top.pointee, &events)
                    case .decimalLogarithm:
                        top.pointee = ExpressionArithmetic.decimalLogarithm(top.pointee, &events)
                    case .squareRoot:
                        top.pointee = ExpressionArithmetic.squareRoot(top.pointee, &events)
                    case .absolute:
                        top.pointee = Swift.abs(top.pointee)
                    case .round:
                        top.pointee = top.pointee.rounded(.toNearestOrAwayFromZero)
                    case .floor:
                        top.pointee = top.pointee.rounded(.down)
                    case .truncate:
                        top.pointee = top.pointee.rounded(.towardZero)
                    case .ceiling:
                        top.pointee = top.pointee.rounded(.up)
                    case .truth:
                        top.pointee = top.pointee != 0 ? 1 : 0
                    case .not:
                        top.pointee = top.pointee == 0 ? 1 : 0
                    case .jumpIfZero:
                        let target = Int(instruction.index)
                        top -= 1
                        if top[1] == 0 {
                            pc = target
                            continue
                        }
                    case .jump:
                        let target = Int(instruction.index)
                        pc = target
                        continue
                    case .jumpIfZeroElsePop:
                        let target = Int(instruction.index)
                        if top.pointee == 0 {
                            top.pointee = 0
                            pc = target
                            continue
                        }
                        top -= 1
                    case .jumpIfNonZeroElsePop:
                        let target = Int(instruction.index)
                        if top.pointee != 0 {
                            top.pointee = 1
                            pc = target
                            continue
                        }
                        top -= 1
                    }
                    pc &+= 1
                }
                return base.pointee
            }
        }
    }
}

import Foundation

/// The operations of the expression language with their domain rules, shared
/// by constant folding (where a rule firing is a compile error) and the
/// evaluator (where it is recorded and the finite replacement used). Every
/// function returns a finite value for finite arguments; the table is in
/// ``CompiledExpression``.
enum ExpressionArithmetic {
    static let largest = Double.greatestFiniteMagnitude

    /// LN(x) for x ≤ 0: ln of the smallest positive Double (4.9e-324),
    /// −744.44…, the least value LN takes on positive numbers, so LN stays
    /// non-decreasing over all of ℝ and EXP(LN(0)) ≈ 0.
    static let lnFloor = Foundation.log(Double.leastNonzeroMagnitude)
    /// LOG10(x) for x ≤ 0: −323.31…, by the same argument.
    static let log10Floor = Foundation.log10(Double.leastNonzeroMagnitude)

    @inline(__always)
    static func clamped(_ r: Double, _ events: inout ExpressionDomainEvents) -> Double {
        if r.isFinite { return r }
        events.insert(.overflow)
        return r > 0 ? largest : -largest
    }

    /// A variable's value as read: NaN → 0, ±∞ → ±largest.
    @inline(__always)
    static func input(_ x: Double, _ events: inout ExpressionDomainEvents) -> Double {
        if x.isFinite { return x }
        events.insert(.nonFiniteInput)
        return x.isNaN ? 0 : (x > 0 ? largest : -largest)
    }

    @inline(__always)
    static func add(_ a: Double, _ b: Double, _ events: inout ExpressionDomainEvents) -> Double {
        clamped(a + b, &events)
    }

    @inline(__always)
    static func subtract(_ a: Double, _ b: Double, _ events: inout ExpressionDomainEvents) -> Double {
        clamped(a - b, &events)
    }

    @inline(__always)
    static func multiply(_ a: Double, _ b: Double, _ events: inout ExpressionDomainEvents) -> Double {
        clamped(a * b, &events)
    }

    /// a / 0 = 0 (whatever a).
    @inline(__always)
    static func divide(_ a: Double, _ b: Double, _ events: inout ExpressionDomainEvents) -> Double {
        if b == 0 {
            events.insert(.divisionByZero)
            return 0
        }
        return clamped(a / b, &events)
    }

    /// aᵇ by C `pow`: a negative base with a fractional exponent gives 0
    /// (undefined), 0 to a negative power gives 0 (a division by zero), and
    /// overflow clamps. 0⁰ = 1, as in C and Excel.
    @inline(__always)
    static func power(_ a: Double, _ b: Double, _ events: inout ExpressionDomainEvents) -> Double {
        let r = Foundation.pow(a, b)
        if r.isFinite { return r }
        if r.isNaN {
            events.insert(.undefinedPower)
            return 0
        }
        if a == 0 {
            events.insert(.divisionByZero)
            return 0
        }
        events.insert(.overflow)
        return r > 0 ? largest : -largest
    }

    /// xⁿ for a constant integer exponent 1 ≤ n ≤ ``largestIntegerExponent`` by
    /// repeated squaring (at most 2·log₂ n multiplications instead of a call
    /// to `pow`, about 10 ns faster). The result can differ from `pow`'s in
    /// the last bits (a relative 1e-15 for n = 16), and is the same on every
    /// platform; overflow clamps as for `power`.
    @inline(__always)
    static func integerPower(_ x: Double, _ n: Int, _ events: inout ExpressionDomainEvents) -> Double {
        var result = 1.0, base = x, e = n
        while true {
            if e & 1 != 0 { result *= base }
            e >>= 1
            if e == 0 { break }
            base *= base
        }
        return clamped(result, &events)
    }

    static let largestIntegerExponent = 64

    /// The exponent as an Int if `integerPower` computes it.
    static func integerExponent(_ c: Double) -> Int? {
        guard c >= 1, c <= Double(largestIntegerExponent), c == c.rounded() else { return nil }
        return Int(c)
    }

    /// eˣ; overflow (x > 709.78) clamps to the largest Double, underflow gives 0.
    @inline(__always)
    static func exponential(_ x: Double, _ events: inout ExpressionDomainEvents) -> Double {
        clamped(Foundation.exp(x), &events)
    }

    @inline(__always)
    static func naturalLogarithm(_ x: Double, _ events: inout ExpressionDomainEvents) -> Double {
        if x > 0 { return Foundation.log(x) }
        events.insert(.logarithmOfNonPositive)
        return lnFloor
    }

    @inline(__always)
    static func decimalLogarithm(_ x: Double, _ events: inout ExpressionDomainEvents) -> Double {
        if x > 0 { return Foundation.log10(x) }
        events.insert(.logarithmOfNonPositive)
        return log10Floor
    }

    /// √x; √(x < 0) = 0 (a tiny negative from rounding gives the nearby 0).
    @inline(__always)
    static func squareRoot(_ x: Double, _ events: inout ExpressionDomainEvents) -> Double {
        if x >= 0 { return x.squareRoot() }
        events.insert(.squareRootOfNegative)
        return 0
    }

    @inline(__always)
    static func truth(_ x: Bool) -> Double { x ? 1 : 0 }
}

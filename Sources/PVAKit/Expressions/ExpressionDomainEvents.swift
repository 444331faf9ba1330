/// Which domain rules fired during one evaluation (see the table in
/// ``CompiledExpression``). Each rule replaces a result that would be NaN or
/// ±∞ by a documented finite value; the engine can count these events and
/// warn that a rate left its sensible range.
public struct ExpressionDomainEvents: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// x / 0, or 0 raised to a negative power: the result is 0.
    public static let divisionByZero = ExpressionDomainEvents(rawValue: 1 << 0)
    /// LN or LOG10 of a number ≤ 0: the result is the log of the smallest positive Double.
    public static let logarithmOfNonPositive = ExpressionDomainEvents(rawValue: 1 << 1)
    /// SQRT of a negative number: the result is 0.
    public static let squareRootOfNegative = ExpressionDomainEvents(rawValue: 1 << 2)
    /// A negative number raised to a fractional power: the result is 0.
    public static let undefinedPower = ExpressionDomainEvents(rawValue: 1 << 3)
    /// A result beyond ±1.797…e308: it is clamped to ±Double.greatestFiniteMagnitude.
    public static let overflow = ExpressionDomainEvents(rawValue: 1 << 4)
    /// A variable's value was NaN (read as 0) or ±∞ (read as ±greatestFiniteMagnitude).
    public static let nonFiniteInput = ExpressionDomainEvents(rawValue: 1 << 5)

    static let named: [(ExpressionDomainEvents, String)] = [
        (.divisionByZero, "division by zero"),
        (.logarithmOfNonPositive, "logarithm of a number ≤ 0"),
        (.squareRootOfNegative, "square root of a negative number"),
        (.undefinedPower, "negative number to a fractional power"),
        (.overflow, "overflow"),
        (.nonFiniteInput, "non-finite input"),
    ]

    public var description: String {
        let names = Self.named.filter { contains($0.0) }.map(\.1)
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}

/// The outcome of ``CompiledExpression/evaluateChecked(_:)``: the value, and
/// the domain rules that fired on the way (none from an IF branch or AND/OR
/// operand that was not evaluated).
public struct ExpressionEvaluation: Sendable, Equatable {
    public let value: Double
    public let events: ExpressionDomainEvents
}

/// A rate or amount written as a formula, compiled once into a flat postfix
/// program and evaluated without allocating (``evaluate(_:)``), safely from
/// any thread.
///
/// ## The language
///
/// A small, closed subset of the function syntax of Vortex 10 (Lacy &
/// Pollak; the operators and functions found in real Vortex project files),
/// so that a formula can be pasted from a Vortex project, e.g. Vortex's form
/// of density-dependent breeding `=(89.3-((89.3-57)*((N/K)^16)))*(N/(0.1+N))`,
/// i.e. (P(0) − (P(0) − P(K))·(N/K)^B)·N/(A + N), or
/// `=100*{1-[(1-(4.4*0.01))*EXP(-3.5*MIN(1;(I+IS2)))]}` (both from
/// Pacioni et al.'s bettong project, `vortex-reference/projects`). We could
/// not consult the manual's list of functions; where Vortex's behaviour is
/// not known, the choice made here is stated.
///
/// - An optional leading `=` (Vortex's marker of a function) is skipped.
/// - Numbers: decimal, with optional fraction and exponent: `3`, `0.5`, `.5`,
///   `5.`, `1e-3`, `2E+4`. No hexadecimal, no thousands separators, no `%`.
/// - Names: a letter or `_`, then letters, digits, `_`; case-insensitive
///   everywhere (`exp`, `Exp`, `EXP`; `n` is `N`). A name is a variable only
///   if the caller declared it in ``ExpressionVariables`` — Vortex's letters
///   (N population size, K carrying capacity, Y year, A age, I inbreeding, …)
///   and state variables (`GS1`, `PS4`, `IS2`, `SV1`, …) exist only where the
///   engine offers them. An undeclared name is a compile error.
/// - Brackets: `( )`, `[ ]` and `{ }` are interchangeable, but each must be
///   closed by its own kind.
/// - Argument separators: `;` (Vortex) or `,`.
/// - Whitespace (spaces, tabs, newlines) may stand between any two tokens.
///
/// Operators, from the tightest binding to the loosest:
///
/// | level | operators                        | associativity |
/// |-------|----------------------------------|---------------|
/// | 1     | brackets, function calls         | —             |
/// | 2     | `^` (power)                      | right: `2^3^2` = 2⁹ = 512; its right operand may be signed: `2^-1` = 0.5 |
/// | 3     | unary `-`, `+`                   | prefix: `-2^2` = −(2²) = −4, as in mathematics (Excel gives +4) |
/// | 4     | `*`, `/`                         | left: `8/4/2` = 1 |
/// | 5     | `+`, `-`                         | left: `8-4-2` = 2 |
/// | 6     | `=` `==` (equal), `<>` `!=` (not equal), `<` `>` `<=` `>=` | none: `1<2<3` is an error (write `1<2 AND 2<3`) |
/// | 7     | `NOT`, `!`                       | prefix: `NOT A = 1` is NOT (A = 1) |
/// | 8     | `AND`, `&&`                      | left, short-circuit |
/// | 9     | `OR`, `\|\|`                     | left, short-circuit |
///
/// NOT applies to a whole comparison, so inside arithmetic it needs brackets:
/// `1 + (NOT A)`; `1 + NOT A` is an error. Comparisons give 1 (true) or 0
/// (false), compared exactly. Logical
/// operators read 0 as false and any other value as true, and give 1 or 0;
/// AND evaluates its right side only if the left is true, OR only if it is
/// false. `AND`, `OR` and `NOT` are words (any case) or `&&`, `||`, `!`.
///
/// Functions (names in any case):
///
/// | function            | value |
/// |---------------------|-------|
/// | `IF(c; a; b)`       | a if c ≠ 0, else b; only the chosen branch is evaluated |
/// | `MIN(a; b; …)`, `MAX(a; b; …)` | smallest / largest of 2 or more arguments |
/// | `POW(x; y)`         | same as `x^y` |
/// | `EXP(x)`            | eˣ |
/// | `LN(x)`             | natural logarithm |
/// | `LOG10(x)`          | decimal logarithm |
/// | `SQRT(x)`           | square root |
/// | `ABS(x)`            | absolute value |
/// | `ROUND(x)`          | nearest integer, halves away from zero: ROUND(2.5) = 3, ROUND(−2.5) = −3 (Excel's rule) |
/// | `FLOOR(x)`          | towards −∞: FLOOR(−2.5) = −3 |
/// | `TRUNC(x)`          | towards 0: TRUNC(−2.5) = −2 |
/// | `CEIL(x)`, `CEILING(x)` | towards +∞ |
///
/// ## Domain rules
///
/// Values met at run time cannot be checked beforehand, so every operation
/// has a finite result and an evaluation never returns NaN or ±∞. Where a
/// rule fires, ``evaluateChecked(_:)`` reports it (``ExpressionDomainEvents``)
/// so the engine can count and warn. The same situation with constant
/// operands (`N/0`, `LN(0)`, `SQRT(-1)`, `(-8)^0.5`, `EXP(1000)`) is a
/// compile error instead: it can only be a mistake.
///
/// | situation                                   | result                          | event |
/// |---------------------------------------------|---------------------------------|-------|
/// | `x / 0` (any x, 0/0 included)               | 0                               | `divisionByZero` |
/// | `0 ^ y`, y < 0 (also POW)                   | 0 (it is 1/0ʸ)                  | `divisionByZero` |
/// | `x ^ y`, x < 0, y not an integer            | 0                               | `undefinedPower` |
/// | `LN(x)`, x ≤ 0                              | ln(4.9e-324) = −744.44          | `logarithmOfNonPositive` |
/// | `LOG10(x)`, x ≤ 0                           | log₁₀(4.9e-324) = −323.31       | `logarithmOfNonPositive` |
/// | `SQRT(x)`, x < 0                            | 0                               | `squareRootOfNegative` |
/// | `+ - * / ^ EXP POW` beyond ±1.797e308       | ±1.797e308 (greatestFiniteMagnitude) | `overflow` |
/// | `EXP(x)` below 4.9e-324 (x < −745)          | 0                               | none |
/// | `0 ^ 0`                                     | 1 (C, Excel)                    | none |
/// | a variable's value is NaN                   | read as 0                       | `nonFiniteInput` |
/// | a variable's value is ±∞                    | read as ±1.797e308              | `nonFiniteInput` |
///
/// Why these values: in a population model the denominators are population
/// sizes, carrying capacities and counts, which are 0 exactly when there is
/// nothing for the rate to act on (an extinct population, a lost habitat);
/// 0 — no breeding, no harvest — is the neutral reading, and it is what a
/// Vortex author's own guard `N/(0.1+N)` tends to as N → 0. The logarithm of
/// 0 is the least value LN takes on positive Doubles, so LN stays
/// non-decreasing over all reals and `EXP(k*LN(x))` → 0 as x → 0 for k > 0,
/// as its limit does. A negative square root or power of a negative base
/// arises from rounding just below 0, where 0 is the nearby value. (What
/// Vortex itself returns in these cases is not documented in the sources we
/// could consult; rates computed at such points may differ from Vortex's.)
///
/// ## Differences from Vortex
///
/// - Random functions (`RAND`, `SRAND`, `NRAND`, `SNRAND`, `SCHOOSE`,
///   `RANDOM`) are refused, with their position: a draw inside a formula
///   would bypass the engine's seeded streams and results would no longer
///   follow from the seed. Model the variation with the scenario's
///   environmental variation instead.
/// - `LOG` is refused as ambiguous (natural in some tools, decimal in
///   others); write `LN` or `LOG10`. We could not confirm Vortex's meaning.
/// - Only the functions above exist; any other name followed by a bracket is
///   an unknown function.
/// - Variables exist only where the engine declares them (see above).
/// - `-2^2` is −4 (mathematics); a formula relying on Excel's +4 must be
///   bracketed `(-2)^2`. Vortex's own choice is not documented.
/// - Comparisons do not chain; IF, AND and OR evaluate only what decides
///   their value (the value is the same; only domain events differ).
/// - The domain rules above.
///
/// EXP, LN, LOG10 and `^` use the platform's C library, whose last bit can
/// differ between operating systems; results are identical run to run and
/// thread count to thread count on one platform. A power with a constant
/// integer exponent from 1 to 64 (`(N/K)^16`) is computed by repeated
/// squaring instead — faster, the same on every platform, and within a
/// relative 1e-15 of `pow`.
///
/// ## Evaluation
///
/// Compilation parses, folds constants, and emits a flat postfix program
/// (`ExpressionInstruction`) with its exact stack depth. ``evaluate(_:)``
/// runs it on a fixed stack with no heap allocation: about 35 ns for the
/// breeding formula above on a 2-core KVM Xeon (`ExpressionTests`), against
/// 16 ns for the same formula written in Swift.
///
/// Two compiled expressions are equal when their text and program are
/// (so a scenario holding one can stay `Equatable`).
public struct CompiledExpression: Sendable, Equatable, CustomStringConvertible {
    /// The text as given.
    public let source: String
    let program: ContiguousArray<ExpressionInstruction>
    /// Stack slots the program needs (at most ``maximumStackDepth``), exact.
    public let stackDepth: Int
    /// The slots the compiled program reads, ascending (after folding, so
    /// `IF(1; 5; A)` reads none). The engine can tell from it whether a rate
    /// depends on, e.g., age and must be evaluated per animal, or can be
    /// evaluated once a year.
    public let referencedVariables: [Int]
    /// The number of values ``evaluate(_:)`` must be given: the largest
    /// referenced slot + 1 (0 for a constant).
    public let requiredValueCount: Int

    /// The evaluator's stack lives in a fixed temporary allocation of this
    /// many Doubles (1 KiB, which Swift places on the machine stack); an
    /// expression needing more is refused as too complex.
    public static let maximumStackDepth = 128

    /// Parses, checks and folds `text` against the names `variables` declares.
    public static func compile(_ text: String, variables: ExpressionVariables) throws(ExpressionError) -> CompiledExpression {
        let tree = try ExpressionParser.parse(text, variables: variables)
        let (program, depth) = ExpressionCodeGenerator.program(for: tree)
        guard depth <= maximumStackDepth else {
            throw ExpressionError("expression is too complex: it needs \(depth) evaluation slots (at most \(maximumStackDepth))",
                                  position: 1, token: "")
        }
        var slots = Set<Int>()
        for instruction in program {
            if let slot = instruction.slotRead { slots.insert(slot) }
        }
        let referenced = slots.sorted()
        return CompiledExpression(source: text, program: ContiguousArray(program), stackDepth: depth,
                                  referencedVariables: referenced, requiredValueCount: (referenced.last ?? -1) + 1)
    }

    /// True if the value does not depend on any variable (after folding).
    public var isConstant: Bool { constantValue != nil }

    /// The value, if ``isConstant``.
    public var constantValue: Double? {
        program.count == 1 && program[0].opcode == .constant ? program[0].value : nil
    }

    /// True if the program reads `slot`.
    public func references(slot: Int) -> Bool {
        referencedVariables.contains(slot)
    }

    public var description: String { source }
}

/// The variable names an expression may use in one context, each bound to a
/// slot: the index into the values passed to
/// ``CompiledExpression/evaluate(_:)``.
///
/// The engine declares what a context offers, e.g. for a breeding rate
/// N → 0, K → 1, Y → 2, A → 3, S → 4, F and I → 5 (two names may share a slot),
/// plus the scenario's named state variables. A name the context does not
/// declare is a compile error naming its position, so a rate cannot silently
/// read a value that is not there.
///
/// Names follow the expression grammar — a letter or `_`, then letters,
/// digits or `_` (ASCII) — and are case-insensitive (`n` is `N`). Function
/// names (`MIN`, `IF`, …), the refused ones (`LOG`, `RAND`, `NRAND`, …) and
/// `AND`, `OR`, `NOT` cannot be declared.
public struct ExpressionVariables: Sendable, Equatable {
    private let slotByName: [String: Int]

    /// Slot i is `names[i]`.
    public init(_ names: [String]) throws(ExpressionError) {
        var slots: [String: Int] = [:]
        for (slot, name) in names.enumerated() {
            try Self.validate(name)
            let key = name.uppercased()
            if slots[key] != nil {
                throw ExpressionError("variable '\(name)' is declared twice (names are case-insensitive)",
                                      position: 0, token: name)
            }
            slots[key] = slot
        }
        slotByName = slots
    }

    /// Explicit slots; several names may share one.
    public init(slots: [String: Int]) throws(ExpressionError) {
        var table: [String: Int] = [:]
        // Sorted, so that which of two clashing names is reported never
        // depends on the dictionary's (per-process) iteration order.
        for name in slots.keys.sorted() {
            let slot = slots[name]!
            try Self.validate(name)
            guard slot >= 0 else {
                throw ExpressionError("variable '\(name)' has a negative slot (\(slot))", position: 0, token: name)
            }
            let key = name.uppercased()
            if table[key] != nil {
                throw ExpressionError("variable '\(name)' is declared twice (names are case-insensitive)",
                                      position: 0, token: name)
            }
            table[key] = slot
        }
        slotByName = table
    }

    /// The slot of `name` (any case), or nil if it is not declared.
    public func slot(of name: String) -> Int? {
        slotByName[name.uppercased()]
    }

    /// The declared names in upper case, sorted.
    public var names: [String] { slotByName.keys.sorted() }

    /// How many values ``CompiledExpression/evaluate(_:)`` needs for any
    /// expression compiled against these variables: the largest slot + 1.
    public var slotCount: Int { (slotByName.values.max() ?? -1) + 1 }

    private static func validate(_ name: String) throws(ExpressionError) {
        guard let first = name.unicodeScalars.first,
              first == "_" || (first.isASCII && first.properties.isAlphabetic),
              name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic)
                  || ("0"..."9").contains($0) })
        else {
            throw ExpressionError("variable name '\(name)' is not a name (a letter or '_', then letters, digits or '_')",
                                  position: 0, token: name)
        }
        let key = name.uppercased()
        if ExpressionFunction.isReserved(key) {
            throw ExpressionError("variable name '\(name)' is reserved (a function or operator of the expression language)",
                                  position: 0, token: name)
        }
    }
}

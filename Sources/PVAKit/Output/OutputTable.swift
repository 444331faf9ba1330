/// One column of an output table: its name, what it means, and how its cell
/// is computed from a row. Declared once, it gives the header, every row,
/// the README's documentation check and the regression check.
public struct OutputColumn<Row>: Sendable {
    public let name: String
    public let meaning: String
    let cell: @Sendable (Row) -> CSVTable.Cell

    public init(_ name: String, _ meaning: String, _ cell: @escaping @Sendable (Row) -> CSVTable.Cell) {
        self.name = name
        self.meaning = meaning
        self.cell = cell
    }

    /// The same column on a larger row that holds this one's row.
    func on<Outer>(_ part: @escaping @Sendable (Outer) -> Row) -> OutputColumn<Outer> {
        let cell = self.cell
        return OutputColumn<Outer>(name, meaning) { cell(part($0)) }
    }
}

/// A CSV output: its columns in order.
public struct OutputTable<Row>: Sendable {
    public let columns: [OutputColumn<Row>]

    public init(_ columns: [OutputColumn<Row>]) { self.columns = columns }

    public var header: String { columns.map(\.name).joined(separator: ",") + "\n" }

    /// The line of one row.
    public func line(_ row: Row) -> String { CSVTable.line(columns.map { $0.cell(row) }) }

    /// Header and every row.
    public func text<S: Sequence>(_ rows: S) -> String where S.Element == Row {
        var out = header
        for row in rows { out += line(row) }
        return out
    }
}

extension OutputColumn where Row == Descriptive {
    /// The eight columns of a `Descriptive`: PREFIX Mean, SE, SD, Q05, Q25, Q50, Q75, Q95.
    static func descriptive(_ prefix: String, _ what: String) -> [OutputColumn<Descriptive>] {
        [OutputColumn(prefix + "Mean", "mean of \(what)") { .real($0.mean) },
         OutputColumn(prefix + "SE", "standard error of that mean") { .real($0.se) },
         OutputColumn(prefix + "SD", "standard deviation of \(what)") { .real($0.sd) }]
            + Descriptive.probabilities.enumerated().map { i, p in
                let percent = Int((p * 100).rounded())
                return OutputColumn(prefix + "Q" + (percent < 10 ? "0" : "") + String(percent), "\(percent) % quantile of \(what) (R type 7)") { .real($0.quantiles[i]) }
            }
    }
}

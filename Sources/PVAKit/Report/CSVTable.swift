import Foundation

/// A CSV table written by our own code: fixed column names, reals with a
/// fixed number of decimals, missing values as empty cells (never NaN).
public struct CSVTable: Sendable {
    public var header: [String]
    public private(set) var text: String

    public init(header: [String]) {
        self.header = header
        text = header.joined(separator: ",") + "\n"
    }

    public enum Cell {
        case integer(Int)
        case real(Double?, decimals: Int)
        case text(String)
        case missing
    }

    public mutating func append(_ cells: [Cell]) {
        precondition(cells.count == header.count, "row width \(cells.count) ≠ header \(header.count)")
        var line = ""
        for (i, cell) in cells.enumerated() {
            if i > 0 { line += "," }
            switch cell {
            case .integer(let v): line += String(v)
            case .real(let v, let decimals): if let v, v.isFinite { line += NumberFormatting.fixed(v, decimals: decimals) }
            case .text(let s): line += s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
            case .missing: break
            }
        }
        text += line + "\n"
    }

    static func real(_ v: Double?) -> Cell { .real(v, decimals: 6) }
    static func optional(_ v: Int?) -> Cell { v.map { .integer($0) } ?? .missing }
}

extension Descriptive {
    /// Cells in the order of `Descriptive.header(prefix)`.
    var cells: [CSVTable.Cell] {
        [CSVTable.real(mean), CSVTable.real(se), CSVTable.real(sd)] + quantiles.map { CSVTable.real($0) }
    }

    static func header(_ prefix: String) -> [String] {
        [prefix + "Mean", prefix + "SE", prefix + "SD", prefix + "Q05", prefix + "Q25", prefix + "Q50", prefix + "Q75", prefix + "Q95"]
    }

    var json: JSONOutput {
        .object([
            "mean": .real(mean), "se": .real(se), "sd": .real(sd),
            "q05": .real(quantiles[0]), "q25": .real(quantiles[1]), "q50": .real(quantiles[2]),
            "q75": .real(quantiles[3]), "q95": .real(quantiles[4]),
        ])
    }
}

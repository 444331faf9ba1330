import Foundation

/// CSV lines written by our own code (RFC 4180): fixed column names, reals
/// with a fixed number of decimals, missing values as empty cells (never
/// NaN), text quoted when it holds a comma, a quote or a line break.
public enum CSVTable {
    public enum Cell: Sendable {
        case integer(Int)
        /// Six decimals; nil or non-finite is an empty cell.
        case real(Double?)
        case fixed(Double?, decimals: Int)
        case text(String)
        case missing
    }

    static func optional(_ v: Int?) -> Cell { v.map { .integer($0) } ?? .missing }

    /// One line, ending with a newline.
    public static func line(_ cells: [Cell]) -> String {
        var line = ""
        for (i, cell) in cells.enumerated() {
            if i > 0 { line += "," }
            switch cell {
            case .integer(let v): line += String(v)
            case .real(let v): if let v, v.isFinite { line += NumberFormatting.fixed(v, decimals: 6) }
            case .fixed(let v, let decimals): if let v, v.isFinite { line += NumberFormatting.fixed(v, decimals: decimals) }
            case .text(let s): line += quoted(s)
            case .missing: break
            }
        }
        return line + "\n"
    }

    /// `s` as a CSV field: as is, or in double quotes (inner quotes doubled) when it holds a
    /// comma, a double quote, a carriage return or a line feed.
    public static func quoted(_ s: String) -> String {
        let special = s.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        return special ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

extension Descriptive {
    var json: JSONOutput {
        .object([
            "mean": .real(mean), "se": .real(se), "sd": .real(sd),
            "q05": .real(quantiles[0]), "q25": .real(quantiles[1]), "q50": .real(quantiles[2]),
            "q75": .real(quantiles[3]), "q95": .real(quantiles[4]),
        ])
    }
}

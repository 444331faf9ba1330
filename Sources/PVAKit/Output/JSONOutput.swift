/// A JSON value to be written by our own canonical writer: keys sorted,
/// two-space indentation, numbers in a fixed format, never NaN (a missing or
/// non-finite value is written as `null`). Outputs are therefore byte-stable
/// across runs, machines and toolchains.
public indirect enum JSONOutput: Sendable, Equatable {
    case object([String: JSONOutput])
    case array([JSONOutput])
    case string(String)
    case integer(Int)
    /// A real number with a fixed number of decimals (`decimals` digits after the point).
    case fixed(Double, decimals: Int)
    /// A real number in its shortest round-trip form (used for scenario values).
    case number(Double)
    case bool(Bool)
    case null

    /// `.fixed(value, 6)`, or `null` when `value` is nil or not finite.
    public static func real(_ value: Double?, decimals: Int = 6) -> JSONOutput {
        guard let value, value.isFinite else { return .null }
        return .fixed(value, decimals: decimals)
    }

    public static func optionalInteger(_ value: Int?) -> JSONOutput {
        guard let value else { return .null }
        return .integer(value)
    }
}

public enum NumberFormatting {
    /// `value` with exactly `decimals` digits after the point, rounded half
    /// away from zero, computed with integer arithmetic (no `printf`); empty
    /// for a non-finite value. Magnitudes beyond 9·10¹⁵ after scaling fall
    /// back to the shortest round-trip form.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value * scale).rounded(.toNearestOrAwayFromZero)
        guard abs(scaled) < 9e15 else { return shortest(value) }
        var magnitude = Int64(abs(scaled))
        let negative = scaled < 0 && magnitude != 0
        var digits: [Character] = []
        repeat {
            digits.append(Character(String(magnitude % 10)))
            magnitude /= 10
        } while magnitude > 0
        while digits.count <= decimals { digits.append("0") }
        var text = ""
        if negative { text.append("-") }
        for i in stride(from: digits.count - 1, through: 0, by: -1) {
            text.append(digits[i])
            if i == decimals && decimals > 0 { text.append(".") }
        }
        return text
    }

    /// Shortest round-trip form; integral values without a fractional part.
    public static func shortest(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if value == value.rounded() && abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}

public enum JSONWriter {
    /// Canonical text of `value`, ending with a newline.
    public static func write(_ value: JSONOutput) -> String {
        var out = ""
        emit(value, indent: 0, into: &out)
        out.append("\n")
        return out
    }

    /// Compact canonical text (no whitespace), used for hashing.
    public static func compact(_ value: JSONOutput) -> String {
        var out = ""
        emitCompact(value, into: &out)
        return out
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func scalar(_ value: JSONOutput) -> String? {
        switch value {
        case .string(let s): return quote(s)
        case .integer(let i): return String(i)
        case .fixed(let x, let decimals): return x.isFinite ? NumberFormatting.fixed(x, decimals: decimals) : "null"
        case .number(let x): return x.isFinite ? NumberFormatting.shortest(x) : "null"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .object, .array: return nil
        }
    }

    private static func emit(_ value: JSONOutput, indent: Int, into out: inout String) {
        if let text = scalar(value) {
            out += text
            return
        }
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch value {
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                out += pad + quote(key) + ": "
                emit(members[key]!, indent: indent + 1, into: &out)
                out += i == keys.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Arrays of scalars stay on one line; arrays of containers get one item per line.
            if items.allSatisfy({ scalar($0) != nil }) {
                out += "[" + items.map { scalar($0)! }.joined(separator: ", ") + "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                // A flat object (scalar members only) inside an array stays on one line.
                if case .object(let members) = item, !members.isEmpty, members.values.allSatisfy({ scalar($0) != nil }) {
                    let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                    out += "{" + keys.map { quote($0) + ": " + scalar(members[$0]!)! }.joined(separator: ", ") + "}"
                } else {
                    emit(item, indent: indent + 1, into: &out)
                }
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        default: break
        }
    }

    private static func emitCompact(_ value: JSONOutput, into out: inout String) {
        if let text = scalar(value) {
            out += text
            return
        }
        switch value {
        case .object(let members):
            out += "{"
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                out += quote(key) + ":"
                emitCompact(members[key]!, into: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                emitCompact(item, into: &out)
            }
            out += "]"
        default: break
        }
    }
}

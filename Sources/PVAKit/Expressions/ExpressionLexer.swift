/// Splits expression text into tokens.
///
/// Whitespace may stand between any two tokens, not inside a number, a name
/// or a two-character operator. A leading `=` (after optional whitespace, and
/// not followed by a second `=`) is Vortex's marker of a function and is
/// skipped. Numbers are decimal: digits with an optional fraction (`.5` and
/// `5.` are allowed) and an optional exponent (`1e-3`, `2E+4`); a number run
/// into letters or a second point (`0x1F`, `2N`, `1.2.3`, `1e`) is refused
/// whole, as is a literal too large for a Double.
enum ExpressionLexer {
    static func tokens(of text: String) throws(ExpressionError) -> [ExpressionToken] {
        let chars = Array(text)
        var tokens: [ExpressionToken] = []
        var i = 0
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        if i < chars.count, chars[i] == "=", !(i + 1 < chars.count && chars[i + 1] == "=") { i += 1 }

        func add(_ kind: ExpressionToken.Kind, _ start: Int, _ end: Int) {
            tokens.append(ExpressionToken(kind: kind, text: String(chars[start..<end]), position: start + 1))
        }

        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c.isWhitespace {
                i += 1
                continue
            }
            if isDigit(c) || (c == "." && next.map(isDigit) == true) {
                let end = try number(chars, from: i)
                let literal = String(chars[i..<end])
                guard let value = Double(literal), value.isFinite else {
                    throw ExpressionError("number '\(literal)' at position \(i + 1) is too large",
                                          position: i + 1, token: literal)
                }
                add(.number(value), i, end)
                i = end
                continue
            }
            if isNameStart(c) {
                var end = i + 1
                while end < chars.count, isNameContinuation(chars[end]) { end += 1 }
                let name = String(chars[i..<end]).uppercased()
                switch name {
                case "AND": add(.and, i, end)
                case "OR": add(.or, i, end)
                case "NOT": add(.not, i, end)
                default: add(.name(name), i, end)
                }
                i = end
                continue
            }
            let pair: String? = next.map { String([c, $0]) }
            let twoCharacter: ExpressionToken.Kind? = switch pair {
            case "<=": .lessOrEqual
            case ">=": .greaterOrEqual
            case "<>", "!=": .notEqual
            case "==": .equal
            case "&&": .and
            case "||": .or
            default: nil
            }
            if let kind = twoCharacter {
                add(kind, i, i + 2)
                i += 2
                continue
            }
            let single: ExpressionToken.Kind? = switch c {
            case "+": .plus
            case "-": .minus
            case "*": .times
            case "/": .divide
            case "^": .caret
            case "=": .equal
            case "<": .less
            case ">": .greater
            case "!": .not
            case "(": .open(.round)
            case "[": .open(.square)
            case "{": .open(.curly)
            case ")": .close(.round)
            case "]": .close(.square)
            case "}": .close(.curly)
            case ";", ",": .separator
            default: nil
            }
            guard let kind = single else {
                let hint = c == "&" ? " (did you mean '&&'?)" : c == "|" ? " (did you mean '||'?)" : ""
                throw ExpressionError("unexpected character '\(c)' at position \(i + 1)\(hint)",
                                      position: i + 1, token: String(c))
            }
            add(kind, i, i + 1)
            i += 1
        }
        tokens.append(ExpressionToken(kind: .end, text: "", position: chars.count + 1))
        return tokens
    }

    /// The end of the number starting at `start`, or an error for a malformed one.
    private static func number(_ chars: [Character], from start: Int) throws(ExpressionError) -> Int {
        var i = start
        while i < chars.count, isDigit(chars[i]) { i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            while i < chars.count, isDigit(chars[i]) { i += 1 }
        }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            var j = i + 1
            if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
            if j < chars.count, isDigit(chars[j]) {
                while j < chars.count, isDigit(chars[j]) { j += 1 }
                i = j
            }
        }
        if i < chars.count, isNameContinuation(chars[i]) || chars[i] == "." {
            var end = i
            while end < chars.count, isNameContinuation(chars[end]) || chars[end] == "." { end += 1 }
            let literal = String(chars[start..<end])
            throw ExpressionError("malformed number '\(literal)' at position \(start + 1)",
                                  position: start + 1, token: literal)
        }
        return i
    }

    private static func isDigit(_ c: Character) -> Bool {
        c.isASCII && c.isNumber
    }

    private static func isNameStart(_ c: Character) -> Bool {
        c == "_" || (c.isASCII && c.isLetter)
    }

    private static func isNameContinuation(_ c: Character) -> Bool {
        isNameStart(c) || isDigit(c)
    }
}

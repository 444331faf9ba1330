/// Strict decimal numbers as text files write them: an optional sign, digits
/// with an optional decimal point (at least one digit), an optional exponent
/// (`e` or `E`, optional sign, digits). Nothing else: no hexadecimal (`0x10`,
/// which `Double("0x10")` reads as 16), no `inf` or `nan`, no spaces.
enum DecimalNumber {
    /// The value of `text`, or nil when it is not a decimal number as above.
    static func parse<C: Collection>(_ text: C) -> Double? where C.Element == UInt8 {
        var mantissa: UInt64 = 0
        var digits = 0, significant = 0, fractionDigits = 0, dropped = 0
        var negative = false, seenPoint = false, exponent = 0, exponentSign = 1, exponentDigits = 0
        var state = 0  // 0 sign, 1 mantissa, 2 exponent sign, 3 exponent digits
        for b in text {
            switch (state, b) {
            case (0, UInt8(ascii: "-")), (0, UInt8(ascii: "+")):
                negative = b == UInt8(ascii: "-")
                state = 1
            case (0, UInt8(ascii: "0")...UInt8(ascii: "9")), (1, UInt8(ascii: "0")...UInt8(ascii: "9")):
                state = 1
                digits += 1
                if mantissa == 0 && b == UInt8(ascii: "0") {
                    if seenPoint { fractionDigits += 1 }
                } else if significant < 19 {
                    mantissa = mantissa * 10 + UInt64(b - UInt8(ascii: "0"))
                    significant += 1
                    if seenPoint { fractionDigits += 1 }
                } else if !seenPoint {
                    dropped += 1  // beyond 19 significant digits: the slow path reads them
                }
            case (0, UInt8(ascii: ".")), (1, UInt8(ascii: ".")):
                guard !seenPoint else { return nil }
                seenPoint = true
                state = 1
            case (1, UInt8(ascii: "e")), (1, UInt8(ascii: "E")):
                guard digits > 0 else { return nil }
                state = 2
            case (2, UInt8(ascii: "-")), (2, UInt8(ascii: "+")):
                exponentSign = b == UInt8(ascii: "-") ? -1 : 1
                state = 3
            case (2, UInt8(ascii: "0")...UInt8(ascii: "9")), (3, UInt8(ascii: "0")...UInt8(ascii: "9")):
                state = 3
                exponentDigits += 1
                if exponent < 100_000 { exponent = exponent * 10 + Int(b - UInt8(ascii: "0")) }
            default:
                return nil
            }
        }
        guard digits > 0, state == 1 || state == 3, state != 3 || exponentDigits > 0 else { return nil }
        let power = exponentSign * exponent - fractionDigits + dropped
        // Fast path (Clinger): an exact mantissa below 2⁵³ and a power of ten that is itself
        // exact give the correctly rounded value with one multiplication or division.
        if significant <= 15 && mantissa < (1 << 53) && abs(power) <= 22 && dropped == 0 {
            let m = Double(mantissa)
            let value = power >= 0 ? m * powersOfTen[power] : m / powersOfTen[-power]
            return negative ? -value : value
        }
        return Double(String(decoding: Array(text), as: UTF8.self))
    }

    private static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }
}

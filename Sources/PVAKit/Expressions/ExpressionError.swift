/// Why an expression (or a set of variable names for expressions) was refused.
///
/// `message` is the whole sentence a user sees, naming the place and the
/// offending text, e.g. `unknown variable 'Q' at position 7`; the caller
/// prefixes the file and JSON path. `position` is the 1-based character
/// position (in `Character`s of the original text, the optional leading `=`
/// and any whitespace included) of the token the message is about — for an
/// unclosed bracket, the opening bracket; for a missing value at the end, one
/// past the last character — and 0 when the error concerns no place in an
/// expression (a bad variable declaration). `token` is the offending text as
/// written, empty at the end of the expression.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let position: Int
    public let token: String

    public init(_ message: String, position: Int, token: String) {
        self.message = message
        self.position = position
        self.token = token
    }

    public var description: String { message }
}

import Foundation
import PVAKit

/// A results folder's summary.json as a command reads it (`pva check`, `pva compare`): parsed,
/// checked to be pva's, and read by key paths, every problem a usage error naming the file,
/// the path and the value.
struct SummaryFile {
    let path: String
    let root: JSONValue

    init(_ path: String) throws {
        self.path = path
        let bytes = try FileSystem.readInput(path)
        var parser = JSONParser(bytes: bytes)
        let node: JSONNode
        do {
            node = try parser.parse()
        } catch {
            throw UsageError(message: "\(path): line \(error.line), column \(error.column): \(error.message) (not a pva summary: it is not valid JSON)")
        }
        guard case .object = node.value, case .object? = node.value["provenance"]?.value,
              case .string? = node.value["provenance"]?.value["engineVersion"]?.value else {
            throw UsageError(message: "\(path) is not a pva summary: it has no provenance.engineVersion (pva run writes one into every results folder)")
        }
        root = node.value
    }

    /// The value at `keys`, or nil when a key is missing.
    func value(_ keys: [String]) -> JSONValue? {
        var node: JSONValue? = root
        for key in keys { node = node?[key]?.value }
        return node
    }

    func problem(_ keys: [String], _ message: String) -> UsageError {
        UsageError(message: "\(path): \(keys.joined(separator: ".")): \(message)")
    }

    /// A number at `keys`; nil for `null` when `nullable`.
    func number(_ keys: [String], nullable: Bool = false) throws -> Double? {
        switch value(keys) {
        case .number(let v, _)?: return v
        case .null? where nullable: return nil
        case nil: throw problem(keys, "missing (not a pva summary, or from another version of pva?)")
        case let other?: throw problem(keys, "expected a number (got \(other.shortDescription))")
        }
    }

    func integer(_ keys: [String], min: Double, max: Double) throws -> Double {
        let v = try number(keys)!
        guard v == v.rounded(), v >= min, v <= max else {
            throw problem(keys, "expected a whole number from \(NumberFormatting.shortest(min)) to \(NumberFormatting.shortest(max)) (got \(NumberFormatting.shortest(v)))")
        }
        return v
    }

    func string(_ keys: [String]) throws -> String {
        switch value(keys) {
        case .string(let s)?: return s
        case nil: throw problem(keys, "missing (not a pva summary, or from another version of pva?)")
        case let other?: throw problem(keys, "expected a string (got \(other.shortDescription))")
        }
    }
}

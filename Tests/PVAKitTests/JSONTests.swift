import Testing
@testable import PVAKit

@Suite struct JSONTests {
    func parse(_ text: String) throws -> (JSONNode, [JSONDuplicateKey]) {
        var parser = JSONParser(text: text)
        let node = try parser.parse()
        return (node, parser.duplicateKeys)
    }

    @Test func parsesValuesWithPositions() throws {
        let (node, duplicates) = try parse("{\n  \"a\": [1, 2.5, -3e2, true, null, \"x\\u00e9\\n\"],\n  \"b\": {}\n}")
        #expect(duplicates.isEmpty)
        guard case .object(let members) = node.value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "b"])
        #expect(members[0].value.line == 2 && members[0].value.column == 8)
        guard case .array(let items) = members[0].value.value else { Issue.record("not an array"); return }
        #expect(items[2].value == .number(-300, literal: "-3e2"))
        #expect(items[5].value == .string("xé\n"))
    }

    @Test func reportsDuplicatesWithPathsAndLines() throws {
        let (_, duplicates) = try parse("{\"run\": {\"years\": 5,\n \"years\": 6}}")
        #expect(duplicates == [JSONDuplicateKey(path: "run.years", line: 2, firstLine: 1)])
    }

    @Test func syntaxErrorsHaveLineAndColumn() {
        for (text, line, column, fragment) in [
            ("{\"a\": 1,,}", 1, 9, "expected a key"),
            ("{\"a\": 1\n\"b\": 2}", 2, 1, "expected ',' or '}'"),
            ("[1, 2", 1, 6, "end of file"),
            ("{\"a\": 01}", 1, 8, "leading zeros"),
            ("{\"a\": tru}", 1, 7, "expected 'true'"),
            ("{} x", 1, 4, "after the end"),
        ] as [(String, Int, Int, String)] {
            do {
                _ = try parse(text)
                Issue.record("accepted \(text)")
            } catch let error as JSONSyntaxError {
                #expect(error.line == line, "\(text): \(error)")
                #expect(error.column == column, "\(text): \(error)")
                #expect(error.message.contains(fragment), "\(text): \(error.message)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func nonFiniteLiteralsAreReadSoTheyCanBeNamed() throws {
        let (node, _) = try parse("[NaN, Infinity, -Infinity, 1e999]")
        guard case .array(let items) = node.value else { Issue.record("not an array: \(node.value)"); return }
        #expect(items.count == 4)
        for item in items {
            guard case .number(let v, _) = item.value else { Issue.record("not a number"); continue }
            #expect(!v.isFinite)
        }
    }

    @Test func canonicalWriterSortsKeysAndFormatsNumbers() {
        let value = JSONOutput.object(["b": .fixed(0.1234565, decimals: 6), "a": .array([.integer(1), .null]), "c": .real(.nan)])
        #expect(JSONWriter.write(value) == "{\n  \"a\": [1, null],\n  \"b\": 0.123457,\n  \"c\": null\n}\n")
        #expect(NumberFormatting.fixed(-0.0000001, decimals: 3) == "0.000")
        #expect(NumberFormatting.fixed(2.5, decimals: 0) == "3")
        #expect(NumberFormatting.fixed(-1.25, decimals: 1) == "-1.3")
        #expect(NumberFormatting.shortest(100) == "100")
        #expect(NumberFormatting.shortest(0.1) == "0.1")
    }
}

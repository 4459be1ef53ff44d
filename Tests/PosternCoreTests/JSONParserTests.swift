import PosternCore
import Testing

/// The intake's JSON parser: strict RFC 8259, and a nesting limit of 64.
struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\u00e9\ud83d\ude00", "c": {}} "#)
        #expect(value.value(at: "/a/1") == .number(-2500))
        #expect(value.value(at: "/b") == .string("x\"é😀"))
        #expect(value.value(at: "/c") == .object([:]))
        #expect(value.value(at: "/a/9") == nil)
    }

    @Test(arguments: ["", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "\"\u{01}\"", "tru", "{} x", "{\"a\":1,\"a\":2}",
                      "\"\\ud800\"", "NaN", "[1 2]"])
    func refusesMalformedInput(text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func nestingLimitIs64() throws {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(deepest) }
        let tooDeep = "{\"a\":" + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"
        #expect(throws: JSONParser.Failure.self) { try parse(tooDeep) }
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(throws: JSONParser.Failure.self) { try parse(hostile) }
    }

    @Test func pointerEscapesAndKeyText() throws {
        let value = try parse(#"{"a/b": {"~k": 42}, "n": 3.5, "s": ""}"#)
        #expect(value.value(at: "/a~1b/~0k")?.keyText == "42")
        #expect(value.value(at: "/n")?.keyText == "3.5")
        #expect(value.value(at: "/s")?.keyText == nil)
    }
}

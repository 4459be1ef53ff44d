import Foundation
import PosternCore
import Testing

/// Hand-written JSON text reads back exactly, whatever the characters.
struct JSONTextTests {
    @Test(arguments: ["plain", "quote \" and \\ backslash", "new\nline\ttab\r", "\u{01}\u{1f} control", "é ü 🙂 /slash/"])
    func quotedStringsRoundTrip(_ value: String) throws {
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(JSONText.quoted(value))]".utf8)) as? [String]
        #expect(parsed == [value])
    }

    @Test func pairsAreAListOfNameValueLists() throws {
        let text = JSONText.pairs([("Content-Type", "application/json"), ("X-Note", "a \"b\"")])
        #expect(text == #"[["Content-Type","application/json"],["X-Note","a \"b\""]]"#)
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String]] == [["Content-Type", "application/json"], ["X-Note", "a \"b\""]])
    }
}

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

/// A parsed document written back as text reads as the same document.
struct JSONValueTextTests {
    @Test(arguments: [
        #"{"requestId":"r-1","context":{"n":3,"f":1.5,"neg":-2,"big":12345678901234,"tiny":1e-7,"t":true,"z":null}}"#,
        #"[1,"two",[3.25,{"a\"b":"c\\d\n"}],false,{}]"#,
        #""plain""#,
    ])
    func roundTrips(_ text: String) throws {
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(try JSONParser.parse(Array(value.jsonText.utf8)) == value)
        #expect(try JSONSerialization.jsonObject(with: Data(value.jsonText.utf8), options: .fragmentsAllowed) as AnyObject? != nil)
    }

    @Test func keysAreSortedAndNumbersKeepTheirText() throws {
        let value = try JSONParser.parse(Array(#"{"b":2,"a":[1.0,2.5,9007199254740993,-0.50e1]}"#.utf8))
        #expect(value.jsonText == #"{"a":[1.0,2.5,9007199254740993,-0.50e1],"b":2}"#)
    }
}

/// The hand-written lower-case UUID text is Foundation's, lower-cased.
struct UUIDTextTests {
    @Test func matchesFoundationLowerCased() {
        for _ in 0..<1_000 {
            let uuid = UUID()
            #expect(uuid.lowercasedString == uuid.uuidString.lowercased())
        }
    }
}

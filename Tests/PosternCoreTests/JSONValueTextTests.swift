import Foundation
import PosternCore
import Testing

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

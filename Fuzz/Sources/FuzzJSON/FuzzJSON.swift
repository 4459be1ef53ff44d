import FuzzSupport
import PosternCore

/// The intake's JSON parser, differentially: it accepts exactly what the reference reader accepts, what it parses
/// writes back to an equal document, and every string it reads quotes and parses back to the same code points.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let parsed = try? JSONParser.parse(bytes)
    require((parsed != nil) == ReferenceJSON.accepts(bytes), "the parser accepts what a strict RFC 8259 reader accepts")
    guard let parsed else { return 0 }
    require((try? JSONParser.parse(Array(parsed.jsonText.utf8))) == parsed, "the document written back reads the same")
    forEachString(parsed) { text in
        guard case .string(let again)? = try? JSONParser.parse(Array(JSONText.quoted(text).utf8)) else {
            return require(false, "a quoted string parses")
        }
        require(again.utf8.elementsEqual(text.utf8), "a string round-trips byte for byte")
    }
    return 0
}

func forEachString(_ value: JSONValue, _ body: (String) -> Void) {
    switch value {
    case .string(let text): body(text)
    case .array(let items): items.forEach { forEachString($0, body) }
    case .object(let members):
        for (key, member) in members {
            body(key.name)
            forEachString(member, body)
        }
    default: break
    }
}

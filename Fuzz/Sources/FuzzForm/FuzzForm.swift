import FuzzSupport
import PosternCore

/// The form reader: whatever it reads, encoded again field by field, reads back to the same fields, and the body
/// with a stray `%` appended is refused.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let parsed = try? FormBody.parse(bytes), case .object(let fields) = parsed else { return 0 }
    var pairs: [String] = []
    for (name, value) in fields {
        let values: [JSONValue] = if case .array(let many) = value { many } else { [value] }
        for case .string(let text) in values { pairs.append(encode(name.name) + "=" + encode(text)) }
    }
    require((try? FormBody.parse(Array(pairs.joined(separator: "&").utf8))) == parsed, "the fields encoded again read the same")
    require((try? FormBody.parse(bytes + Array("&x=%".utf8))) == nil, "a % without two hex digits is refused")
    return 0
}

/// Every byte but unreserved ones as %XX.
func encode(_ text: String) -> String {
    var encoded = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            encoded.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            encoded += "%" + String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }
    }
    return encoded
}

/// An `application/x-www-form-urlencoded` body (the WHATWG URL standard's form format) read into a JSON object of
/// strings, so a schema, `idempotencyKey: body:/field` and answer templates work on it as on JSON. A field sent more
/// than once becomes an array of its values, in order. Names are kept as sent (`a[b]` is one name, not nesting).
///
/// Stricter than the standard's parser, which passes bad bytes through: a `%` not followed by two hex digits, or
/// bytes that do not decode as UTF-8, are refused, so what is stored is what the fields say.
public enum FormBody {
    /// Why a body is not an acceptable form; the message says where.
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
    }

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        var fields: [JSONKey: [String]] = [:]
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.count
            let pair = bytes[start..<end]
            start = end + 1
            guard !pair.isEmpty else { continue }
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let name = JSONKey(try decode(pair[pair.startIndex..<equals], at: pair.startIndex))
            let value = equals < pair.endIndex ? try decode(pair[(equals + 1)...], at: equals + 1) : ""
            fields[name, default: []].append(value)
        }
        return .object(fields.mapValues { values in values.count == 1 ? .string(values[0]) : .array(values.map(JSONValue.string)) })
    }

    /// One form-encoded component (`+` a space, `%XX` a byte), as OAuth's `client_secret_basic` encodes the client id
    /// and secret (RFC 6749 §2.3.1); nil when it does not decode.
    public static func decodeComponent(_ text: String) -> String? {
        try? decode(ArraySlice(text.utf8), at: 0)
    }

    /// `+` as a space, `%XX` as the byte XX, and the bytes as UTF-8.
    private static func decode(_ encoded: ArraySlice<UInt8>, at offset: Int) throws(Failure) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            switch byte {
            case UInt8(ascii: "+"):
                decoded.append(0x20)
                index += 1
            case UInt8(ascii: "%"):
                guard index + 2 < encoded.endIndex,
                      let high = ByteEncoding.nibble(encoded[index + 1]), let low = ByteEncoding.nibble(encoded[index + 2]) else {
                    throw Failure(message: "a % not followed by two hex digits at byte \(index)")
                }
                decoded.append(high << 4 | low)
                index += 3
            default:
                decoded.append(byte)
                index += 1
            }
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw Failure(message: "a field that is not UTF-8 at byte \(offset)")
        }
        return text
    }
}

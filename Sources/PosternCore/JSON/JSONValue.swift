/// A JSON document as parsed from a request body, objects keeping their keys. Equality is JSON's: numbers by value,
/// strings and member names by code points, objects unordered.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([JSONKey: JSONValue])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a.hasSameScalars(as: b)
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }

    /// The longest number text taken as an idempotency key.
    public static let maxNumberKeyLength = 64

    /// The JSON Schema type name of this value.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let n): n.isInteger ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The value at an RFC 6901 JSON pointer (`/event_id`, `/payload/0/type`), or nil.
    public func value(at pointer: String) -> JSONValue? {
        guard !pointer.isEmpty else { return self }
        guard pointer.hasPrefix("/") else { return nil }
        var current = self
        for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.containsASCII("~")
                ? token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") : String(token)
            switch current {
            case .object(let members):
                guard let next = members[JSONKey(key)] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(key), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The value as an idempotency key: a string as it is, a number as its text in the body (so distinct integers of
    /// any size never collide); nil for an empty string, a non-finite or overlong number, or anything else.
    public var keyText: String? {
        switch self {
        case .string(let s): s.isEmpty ? nil : s
        case .number(let n): n.value.isFinite && n.text.utf8.count <= Self.maxNumberKeyLength ? n.text : nil
        default: nil
        }
    }
}

import Foundation

extension JSONValue {
    /// A configuration value as JSON (for documents written in the configuration, like fallback answers).
    public init(_ value: ConfigValue) {
        switch value {
        case .string(let text): self = .string(text)
        case .int(let number): self = .number(Double(number))
        case .double(let number): self = .number(number)
        case .bool(let flag): self = .bool(flag)
        case .list(let items): self = .array(items.map(JSONValue.init))
        case .map(let members): self = .object(members.mapValues(JSONValue.init))
        case .null: self = .null
        }
    }

    /// The value as Foundation objects, for `JSONSerialization`.
    public var foundationObject: Any {
        switch self {
        case .null: NSNull()
        case .bool(let flag): flag
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? Int64(number) as Any : number
        case .string(let text): text
        case .array(let items): items.map(\.foundationObject)
        case .object(let members): members.mapValues(\.foundationObject)
        }
    }
}

extension JSONValue {
    /// Compact JSON text, object keys sorted (what `JSONSerialization` with sorted keys writes, without its cost).
    public var jsonText: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number):
            out += number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): out += JSONText.quoted(text)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                out += JSONText.quoted(key) + ":"
                members[key]!.write(to: &out)
            }
            out += "}"
        }
    }
}

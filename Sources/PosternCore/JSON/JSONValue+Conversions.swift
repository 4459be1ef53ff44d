import Foundation

extension JSONValue {
    /// A configuration value as JSON (for documents written in the configuration, like fallback answers).
    public init(_ value: ConfigValue) {
        switch value {
        case .string(let text): self = .string(text)
        case .int(let number): self = .number(JSONNumber(number))
        case .double(let number): self = .number(JSONNumber(number))
        case .bool(let flag): self = .bool(flag)
        case .list(let items): self = .array(items.map(JSONValue.init))
        case .map(let members): self = .object(Dictionary(uniqueKeysWithValues: members.map { (JSONKey($0.key), JSONValue($0.value)) }))
        case .null: self = .null
        }
    }
}

extension JSONValue {
    /// Compact JSON text, object keys sorted, numbers as they were written: for documents taken in (a fulfillment
    /// answer on the request path, a Genesys answer), which `Codable` types cannot carry as they are.
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
            out += number.text
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
                out += JSONText.quoted(key.name) + ":"
                members[key]!.write(to: &out)
            }
            out += "}"
        }
    }
}

/// A compiled JSON Schema (the subset webhook payloads need: type, properties, required,
/// additionalProperties, items, minItems, maxItems, minLength, maxLength, enum).
/// Unsupported keywords are refused when the schema is loaded, never silently ignored.
public final class JSONSchema: Sendable {
    /// The first place an instance breaks the schema: a JSON pointer and a sentence.
    public struct Violation: Error, Sendable, Equatable {
        public var pointer: String
        public var message: String

        public init(pointer: String, message: String) {
            self.pointer = pointer
            self.message = message
        }
    }

    static let supportedKeywords: Set<String> = [
        "$schema", "$id", "title", "description", "type", "properties", "required", "additionalProperties",
        "items", "minItems", "maxItems", "minLength", "maxLength", "enum",
    ]

    static let countKeywords = ["minItems", "maxItems", "minLength", "maxLength"]

    private let node: [JSONKey: JSONValue]
    private let properties: [JSONKey: JSONSchema]
    private let items: JSONSchema?
    /// `minLength` and the like, read once: each must be a non-negative integer.
    private let bounds: [String: Int]

    /// Compiles a schema document; throws a sentence naming the unsupported or malformed keyword.
    public init(_ document: JSONValue, at location: String = "") throws(Violation) {
        guard case .object(let node) = document else {
            throw Violation(pointer: location, message: "a schema must be a JSON object")
        }
        for key in node.keys.sorted() where !Self.supportedKeywords.contains(key.name) {
            throw Violation(pointer: "\(location)/\(key)", message: "unsupported schema keyword \"\(key)\"")
        }
        var properties: [JSONKey: JSONSchema] = [:]
        if case .object(let members)? = node["properties"] {
            for (name, subschema) in members {
                properties[name] = try JSONSchema(subschema, at: "\(location)/properties/\(name)")
            }
        }
        var bounds: [String: Int] = [:]
        for keyword in Self.countKeywords {
            guard let value = node[JSONKey(keyword)] else { continue }
            guard case .number(let number) = value, number.isInteger, number.value >= 0, number.value < 0x1p63 else {
                throw Violation(pointer: "\(location)/\(keyword)", message: "\(keyword) must be a non-negative integer below 2^63")
            }
            bounds[keyword] = Int(number.value)
        }
        self.node = node
        self.properties = properties
        self.bounds = bounds
        self.items = try node["items"].map { value throws(Violation) in try JSONSchema(value, at: "\(location)/items") }
    }

    /// Whether an instance this schema accepts can have a value at `pointer`: false where the schema closes an object
    /// (`additionalProperties: false`) without that member, or allows only a type without members there.
    public func admits(pointer: String) -> Bool {
        guard pointer.hasPrefix("/") else { return pointer.isEmpty }
        var schema = self
        for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let name = JSONKey(token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~"))
            let types: [String] = switch schema.node["type"] {
            case .string(let one)?: [one]
            case .array(let many)?: many.compactMap { if case .string(let type) = $0 { type } else { nil } }
            default: ["object", "array"]
            }
            if let property = schema.properties[name], types.contains("object") {
                schema = property
            } else if let items = schema.items, types.contains("array"), Int(name.name) != nil {
                schema = items
            } else {
                let closed = schema.node["additionalProperties"] == .bool(false)
                return (types.contains("object") && !closed) || (types.contains("array") && Int(name.name) != nil)
            }
        }
        return true
    }

    /// Parses and compiles a schema from JSON text.
    public static func compile(json: String) throws(Violation) -> JSONSchema {
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(json.utf8))
        } catch {
            throw Violation(pointer: "", message: error.message)
        }
        return try JSONSchema(document)
    }

    /// Checks an instance; throws the first violation, depth first in document order of the schema's keywords.
    public func validate(_ instance: JSONValue, at pointer: String = "") throws(Violation) {
        try checkType(instance, at: pointer)
        if case .array(let allowed)? = node["enum"], !allowed.contains(instance) {
            throw Violation(pointer: pointer, message: "must be one of the allowed values")
        }
        switch instance {
        case .string(let text): try checkLength(text, at: pointer)
        case .array(let elements): try checkArray(elements, at: pointer)
        case .object(let members): try checkObject(members, at: pointer)
        default: break
        }
    }

    private func checkType(_ instance: JSONValue, at pointer: String) throws(Violation) {
        let allowed: [String]
        switch node["type"] {
        case .string(let one)?: allowed = [one]
        case .array(let many)?: allowed = many.compactMap { if case .string(let s) = $0 { s } else { nil } }
        default: return
        }
        let actual = instance.typeName
        guard allowed.contains(actual) || (actual == "integer" && allowed.contains("number")) else {
            throw Violation(pointer: pointer, message: "must be \(allowed.joined(separator: " or ")), found \(actual)")
        }
    }

    private func bound(_ keyword: String) -> Int? { bounds[keyword] }

    /// Lengths count code points, as JSON Schema does, not Swift's grapheme clusters.
    private func checkLength(_ text: String, at pointer: String) throws(Violation) {
        let length = text.unicodeScalars.count
        if let min = bound("minLength"), length < min {
            throw Violation(pointer: pointer, message: min == 1 ? "must not be empty" : "must be at least \(min) characters")
        }
        if let max = bound("maxLength"), length > max {
            throw Violation(pointer: pointer, message: "must be at most \(max) characters")
        }
    }

    private func checkArray(_ elements: [JSONValue], at pointer: String) throws(Violation) {
        if let min = bound("minItems"), elements.count < min {
            throw Violation(pointer: pointer, message: min == 1 ? "must not be empty" : "must have at least \(min) items")
        }
        if let max = bound("maxItems"), elements.count > max {
            throw Violation(pointer: pointer, message: "must have at most \(max) items")
        }
        guard let items else { return }
        for (index, element) in elements.enumerated() {
            try items.validate(element, at: "\(pointer)/\(index)")
        }
    }

    private func checkObject(_ members: [JSONKey: JSONValue], at pointer: String) throws(Violation) {
        if case .array(let required)? = node["required"] {
            for case .string(let name) in required where members[JSONKey(name)] == nil {
                throw Violation(pointer: "\(pointer)/\(escape(name))", message: "is required")
            }
        }
        for name in members.keys.sorted() {
            let child = "\(pointer)/\(escape(name.name))"
            if let subschema = properties[name] {
                try subschema.validate(members[name]!, at: child)
            } else if case .bool(false)? = node["additionalProperties"] {
                throw Violation(pointer: child, message: "is not an allowed field")
            }
        }
    }

    private func escape(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return name }
        return name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

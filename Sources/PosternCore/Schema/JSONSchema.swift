import Foundation

/// A compiled JSON Schema, draft 2020-12 (json-schema.org/draft/2020-12): the core and validation vocabularies with
/// references resolved inside the document, compiled once when the configuration is loaded. A keyword outside the
/// vocabularies (but for annotations and `x-` extensions), a reference that leaves the document, and a pattern Swift's
/// regex engine cannot compile are refused then, with their pointer, never ignored.
public final class JSONSchema: Sendable {
    /// Where an instance breaks the schema (its pointer, and a sentence ending with the failing keyword's schema
    /// pointer), or where a schema document is wrong (the keyword's pointer).
    public struct Violation: Error, Sendable, Equatable {
        public var pointer: String
        public var message: String

        public init(pointer: String, message: String) {
            self.pointer = pointer
            self.message = message
        }
    }

    private let root: SchemaNode
    private let index: SchemaCompiler.Index
    /// Whether `format` asserts (`formatAssertion: true` on the source) rather than only annotates.
    public let assertsFormats: Bool

    /// Compiles a schema document; throws the first problem with its pointer.
    public init(_ document: JSONValue, assertsFormats: Bool = false) throws(Violation) {
        (root, index) = try SchemaCompiler.compile(document)
        self.assertsFormats = assertsFormats
    }

    /// Parses and compiles a schema from JSON text.
    public static func compile(json: String, assertsFormats: Bool = false) throws(Violation) -> JSONSchema {
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(json.utf8))
        } catch {
            throw Violation(pointer: "", message: error.message)
        }
        return try JSONSchema(document, assertsFormats: assertsFormats)
    }

    /// Checks an instance; throws the first violation found, keyword by keyword in the order the specification
    /// lists them, members in name order.
    public func validate(_ instance: JSONValue) throws(Violation) {
        var check = SchemaValidator(index: index, assertsFormats: assertsFormats, explains: false)
        guard case .failure = check.evaluate(root, instance) else { return }
        var explanation = SchemaValidator(index: index, assertsFormats: assertsFormats, explains: true)
        guard case .failure(let violation) = explanation.evaluate(root, instance) else {
            // The two passes evaluate the same keywords; should they ever disagree, the instance stays refused.
            throw Violation(pointer: "", message: "does not match the schema")
        }
        throw violation
    }

    /// Whether an instance this schema accepts can have a value at `pointer`: false where the schema closes an object
    /// (`additionalProperties: false`, or `unevaluatedProperties: false` with no applicator naming it) without that
    /// member, or allows only types without members there. Subschemas applied in place are not followed: it answers
    /// true whenever it cannot rule the pointer out.
    public func admits(pointer: String) -> Bool {
        guard pointer.hasPrefix("/") else { return pointer.isEmpty }
        var node = root
        for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            // A schema that is only a reference (no members of its own) is its target.
            if case .keywords(let k) = node.body, let ref = k.ref, k.properties.isEmpty, k.items == nil, let target = index.nodes[ref] {
                node = target
            }
            guard case .keywords(let keywords) = node.body else {
                if case .always(false) = node.body { return false }
                return true
            }
            let name = JSONKey(token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~"))
            let types = keywords.types ?? ["object", "array"]
            let inPlace = !keywords.allOf.isEmpty || !keywords.anyOf.isEmpty || !keywords.oneOf.isEmpty || keywords.ifSchema != nil
                || !keywords.dependentSchemas.isEmpty || keywords.ref != nil || keywords.dynamicRef != nil
            if let property = keywords.properties[name], types.contains("object") {
                node = property
            } else if let items = keywords.items, types.contains("array"), Int(name.name) != nil {
                node = items
            } else if inPlace || !keywords.patternProperties.isEmpty {
                return true
            } else {
                let closed = [keywords.additionalProperties, keywords.unevaluatedProperties].contains { schema in
                    if case .always(false)? = schema?.body { true } else { false }
                }
                return (types.contains("object") && !closed) || (types.contains("array") && Int(name.name) != nil)
            }
        }
        return true
    }
}

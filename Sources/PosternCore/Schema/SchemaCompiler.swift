/// Compiles a JSON Schema document (draft 2020-12) into `SchemaNode`s and the index its references resolve in:
/// every keyword's value checked, every `$id`, `$anchor` and `$dynamicAnchor` registered, and every `$ref` and
/// `$dynamicRef` resolved within the document, or the schema is refused with the pointer of what is wrong. Nothing is
/// ever fetched: a reference to another document is refused.
struct SchemaCompiler {
    /// Where references land: absolute URIs with their fragment (`…#/$defs/a`, `…#anchor`), and each resource's
    /// dynamic anchors.
    struct Index: Sendable {
        var nodes: [String: SchemaNode] = [:]
        var dynamicAnchors: [String: [String: SchemaNode]] = [:]
        /// Whether the document uses `unevaluatedItems` or `unevaluatedProperties`: only then is it worth recording
        /// which properties and items each subschema evaluated.
        var readsAnnotations = false
    }

    /// Keywords the validator implements, and those it reads as annotations only.
    static let applied: Set<String> = [
        "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "format", "maxItems", "minItems", "uniqueItems", "prefixItems", "items",
        "contains", "minContains", "maxContains", "maxProperties", "minProperties", "required", "dependentRequired",
        "properties", "patternProperties", "additionalProperties", "propertyNames", "dependentSchemas", "allOf", "anyOf",
        "oneOf", "not", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "$ref", "$dynamicRef",
        "$defs", "$id", "$anchor", "$dynamicAnchor", "$schema", "$vocabulary", "$comment",
    ]
    static let annotations: Set<String> = [
        "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples", "contentEncoding",
        "contentMediaType", "contentSchema", "definitions",
    ]
    static let draft202012 = "https://json-schema.org/draft/2020-12/schema"

    private(set) var index: Index
    /// Every reference met, with the pointer of its keyword, checked once the whole document is registered.
    private var references: [(uri: String, location: String)] = []

    /// The bundled meta-schemas, compiled once: every schema's index starts from it.
    static let metaSchemas: Index = {
        var compiler = SchemaCompiler(index: Index())
        for text in MetaSchemas.documents {
            guard let document = try? JSONParser.parse(Array(text.utf8)), case .string(let id)? = document.value(at: "/$id"),
                  (try? compiler.node(document, location: id + "#", resourcePointer: "", base: id, isRoot: true)) != nil else {
                preconditionFailure("a bundled meta-schema does not compile")
            }
        }
        return compiler.index
    }()

    static func compile(_ document: JSONValue) throws(JSONSchema.Violation) -> (root: SchemaNode, index: Index) {
        var compiler = SchemaCompiler(index: metaSchemas)
        compiler.index.readsAnnotations = false  // the bundled meta-schemas read none
        if case .object(let members) = document, let declared = members["$schema"] {
            guard case .string(let uri) = declared, uri.trimmingCharacters(in: ["#"]) == draft202012 else {
                throw JSONSchema.Violation(pointer: "/$schema", message: "only JSON Schema draft 2020-12 (\(draft202012)) is supported")
            }
        }
        let root = try compiler.node(document, location: "", resourcePointer: "", base: SchemaURI.defaultBase, isRoot: true)
        for reference in compiler.references where compiler.index.nodes[reference.uri] == nil {
            let (documentURI, _) = SchemaURI.splitFragment(reference.uri)
            let known = compiler.index.nodes[documentURI] != nil
            throw JSONSchema.Violation(pointer: reference.location, message: known
                ? "\(reference.uri) is not in the schema (no such pointer or anchor)"
                : "\(reference.uri) is another document: remote references are not fetched; put it under $defs with its $id")
        }
        return (root, compiler.index)
    }

    private init(index: Index) {
        self.index = index
    }

    private mutating func node(_ value: JSONValue, location: String, resourcePointer: String, base parentBase: String,
                               isRoot: Bool = false) throws(JSONSchema.Violation) -> SchemaNode {
        func violation(_ keyword: String, _ message: String) -> JSONSchema.Violation {
            JSONSchema.Violation(pointer: "\(location)/\(keyword)", message: message)
        }
        if case .bool(let always) = value {
            let node = SchemaNode(location: location, base: parentBase, isResource: isRoot, body: .always(always))
            register(node, base: parentBase, pointer: resourcePointer)
            return node
        }
        guard case .object(let members) = value else {
            throw JSONSchema.Violation(pointer: location, message: "a schema must be a JSON object or a boolean")
        }
        for key in members.keys.sorted() where !Self.applied.contains(key.name) && !Self.annotations.contains(key.name)
            && !key.name.hasPrefix("x-") {
            throw violation(SchemaURI.escaped(key.name), "unknown schema keyword \"\(key)\" (draft 2020-12 vocabularies, annotations and x- extensions are accepted)")
        }
        var base = parentBase
        var pointer = resourcePointer
        var isResource = isRoot
        if let id = members["$id"] {
            guard case .string(let text) = id, !text.isEmpty else { throw violation("$id", "must be a non-empty string") }
            let (resolved, fragment) = SchemaURI.splitFragment(SchemaURI.resolve(text, against: parentBase))
            guard fragment == nil || fragment == "" else { throw violation("$id", "must not have a fragment; use $anchor") }
            base = resolved
            pointer = ""
            isResource = true
        }
        var keywords = SchemaNode.Keywords()
        let node: SchemaNode
        // Subschemas are compiled before this node exists; references to it resolve through the index later.
        func sub(_ keyword: String, _ value: JSONValue, _ path: String = "") throws(JSONSchema.Violation) -> SchemaNode {
            try self.node(value, location: "\(location)/\(keyword)\(path)", resourcePointer: "\(pointer)/\(keyword)\(path)", base: base)
        }
        func subs(_ keyword: String) throws(JSONSchema.Violation) -> [SchemaNode] {
            guard let value = members[JSONKey(keyword)] else { return [] }
            guard case .array(let elements) = value, !elements.isEmpty else { throw violation(keyword, "must be a non-empty array of schemas") }
            var nodes: [SchemaNode] = []
            for (offset, element) in elements.enumerated() { nodes.append(try sub(keyword, element, "/\(offset)")) }
            return nodes
        }
        func schemaMap(_ keyword: String) throws(JSONSchema.Violation) -> [(JSONKey, SchemaNode)] {
            guard let value = members[JSONKey(keyword)] else { return [] }
            guard case .object(let map) = value else { throw violation(keyword, "must be an object of schemas") }
            var nodes: [(JSONKey, SchemaNode)] = []
            for name in map.keys.sorted() { nodes.append((name, try sub(keyword, map[name]!, "/" + SchemaURI.escaped(name.name)))) }
            return nodes
        }
        func count(_ keyword: String) throws(JSONSchema.Violation) -> Int? {
            guard let value = members[JSONKey(keyword)] else { return nil }
            guard case .number(let number) = value, number.isInteger, number.value >= 0, number.value < 0x1p53 else {
                throw violation(keyword, "must be a non-negative integer")
            }
            return Int(number.value)
        }
        func number(_ keyword: String) throws(JSONSchema.Violation) -> Double? {
            guard let value = members[JSONKey(keyword)] else { return nil }
            guard case .number(let number) = value, number.value.isFinite else { throw violation(keyword, "must be a number") }
            return number.value
        }
        func string(_ keyword: String) throws(JSONSchema.Violation) -> String? {
            guard let value = members[JSONKey(keyword)] else { return nil }
            guard case .string(let text) = value else { throw violation(keyword, "must be a string") }
            return text
        }
        func names(_ value: JSONValue, _ keyword: String) throws(JSONSchema.Violation) -> [JSONKey] {
            guard case .array(let elements) = value else { throw violation(keyword, "must be an array of unique strings") }
            var seen: Set<JSONKey> = []
            for element in elements {
                guard case .string(let name) = element, seen.insert(JSONKey(name)).inserted else {
                    throw violation(keyword, "must be an array of unique strings")
                }
            }
            return elements.compactMap { if case .string(let name) = $0 { JSONKey(name) } else { nil } }
        }
        func pattern(_ source: String, _ keyword: String) throws(JSONSchema.Violation) -> SchemaPattern {
            guard let compiled = SchemaPattern(source) else {
                throw violation(keyword, "\"\(source)\" is not a regular expression Swift's engine compiles")
            }
            return compiled
        }

        if let type = members["type"] {
            let allowed = ["null", "boolean", "object", "array", "number", "string", "integer"]
            let listed: [JSONValue] = if case .array(let many) = type { many } else { [type] }
            var types: [String] = []
            for entry in listed {
                guard case .string(let name) = entry, allowed.contains(name), !types.contains(name) else {
                    throw violation("type", "must be one of \(allowed.joined(separator: ", ")), or an array of them without repeats")
                }
                types.append(name)
            }
            keywords.types = types
        }
        if let values = members["enum"] {
            guard case .array(let elements) = values else { throw violation("enum", "must be an array") }
            keywords.enumValues = elements
        }
        keywords.const = members["const"]
        if let value = members["multipleOf"] {
            guard case .number(let divisor) = value, divisor.value > 0, divisor.value.isFinite else {
                throw violation("multipleOf", "must be a number greater than 0")
            }
            keywords.multipleOf = divisor
        }
        keywords.maximum = try number("maximum")
        keywords.exclusiveMaximum = try number("exclusiveMaximum")
        keywords.minimum = try number("minimum")
        keywords.exclusiveMinimum = try number("exclusiveMinimum")
        keywords.maxLength = try count("maxLength")
        keywords.minLength = try count("minLength")
        keywords.pattern = try string("pattern").map { source throws(JSONSchema.Violation) in try pattern(source, "pattern") }
        keywords.format = try string("format")
        keywords.maxItems = try count("maxItems")
        keywords.minItems = try count("minItems")
        if let unique = members["uniqueItems"] {
            guard case .bool(let flag) = unique else { throw violation("uniqueItems", "must be true or false") }
            keywords.uniqueItems = flag
        }
        keywords.prefixItems = try subs("prefixItems")
        if let items = members["items"] {
            if case .array = items { throw violation("items", "an array of schemas is prefixItems in draft 2020-12") }
            keywords.items = try sub("items", items)
        }
        keywords.contains = try members["contains"].map { value throws(JSONSchema.Violation) in try sub("contains", value) }
        keywords.minContains = try count("minContains")
        keywords.maxContains = try count("maxContains")
        keywords.maxProperties = try count("maxProperties")
        keywords.minProperties = try count("minProperties")
        if let required = members["required"] { keywords.required = try names(required, "required") }
        if let dependent = members["dependentRequired"] {
            guard case .object(let map) = dependent else { throw violation("dependentRequired", "must be an object of string arrays") }
            for name in map.keys.sorted() { keywords.dependentRequired.append((name, try names(map[name]!, "dependentRequired"))) }
        }
        keywords.properties = Dictionary(uniqueKeysWithValues: try schemaMap("properties"))
        if let patterns = members["patternProperties"] {
            guard case .object(let map) = patterns else { throw violation("patternProperties", "must be an object of schemas") }
            for source in map.keys.sorted() {
                keywords.patternProperties.append((try pattern(source.name, "patternProperties"),
                                                   try sub("patternProperties", map[source]!, "/" + SchemaURI.escaped(source.name))))
            }
        }
        keywords.additionalProperties = try members["additionalProperties"].map { value throws(JSONSchema.Violation) in try sub("additionalProperties", value) }
        keywords.propertyNames = try members["propertyNames"].map { value throws(JSONSchema.Violation) in try sub("propertyNames", value) }
        keywords.dependentSchemas = try schemaMap("dependentSchemas")
        keywords.allOf = try subs("allOf")
        keywords.anyOf = try subs("anyOf")
        keywords.oneOf = try subs("oneOf")
        keywords.not = try members["not"].map { value throws(JSONSchema.Violation) in try sub("not", value) }
        keywords.ifSchema = try members["if"].map { value throws(JSONSchema.Violation) in try sub("if", value) }
        keywords.thenSchema = try members["then"].map { value throws(JSONSchema.Violation) in try sub("then", value) }
        keywords.elseSchema = try members["else"].map { value throws(JSONSchema.Violation) in try sub("else", value) }
        keywords.unevaluatedItems = try members["unevaluatedItems"].map { value throws(JSONSchema.Violation) in try sub("unevaluatedItems", value) }
        keywords.unevaluatedProperties = try members["unevaluatedProperties"].map { value throws(JSONSchema.Violation) in
            try sub("unevaluatedProperties", value)
        }
        for keyword in ["$defs", "definitions"] { _ = try schemaMap(keyword) }
        if let ref = try string("$ref") {
            let resolved = Self.normalized(SchemaURI.resolve(ref, against: base))
            keywords.ref = resolved
            references.append((resolved, "\(location)/$ref"))
        }
        if let ref = try string("$dynamicRef") {
            let resolved = Self.normalized(SchemaURI.resolve(ref, against: base))
            let (_, fragment) = SchemaURI.splitFragment(resolved)
            let anchor = fragment.flatMap { $0.isEmpty || $0.hasPrefix("/") ? nil : $0 }
            keywords.dynamicRef = (resolved, anchor)
            references.append((resolved, "\(location)/$dynamicRef"))
        }
        if keywords.readsAnnotations { index.readsAnnotations = true }
        node = SchemaNode(location: location, base: base, isResource: isResource, body: .keywords(keywords))
        register(node, base: base, pointer: pointer)
        // An embedded resource is also where its parent's pointer leads.
        if isResource, !isRoot { register(node, base: parentBase, pointer: resourcePointer) }
        for keyword in ["$anchor", "$dynamicAnchor"] {
            guard let anchor = try string(keyword) else { continue }
            guard let first = anchor.first, first.isLetter || first == "_",
                  anchor.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw violation(keyword, "must be a plain name (a letter or _, then letters, digits, - _ .)")
            }
            index.nodes["\(base)#\(anchor)"] = node
            if keyword == "$dynamicAnchor" { index.dynamicAnchors[base, default: [:]][anchor] = node }
        }
        return node
    }

    /// A reference with its fragment percent-decoded, as the index keys are written.
    static func normalized(_ uri: String) -> String {
        let (document, fragment) = SchemaURI.splitFragment(uri)
        return document + "#" + (fragment ?? "")
    }

    /// The node under its JSON pointer within its resource (and the resource itself for the empty pointer).
    private mutating func register(_ node: SchemaNode, base: String, pointer: String) {
        index.nodes["\(base)#\(pointer)"] = node
        if pointer.isEmpty { index.nodes[base] = node }
    }
}

/// One compiled (sub)schema: its keywords read once, with their values checked, and where it sits (its schema
/// pointer, for messages, and the base URI of the resource it belongs to, for references). Immutable once compiled.
final class SchemaNode: Sendable {
    /// A boolean schema, or an object schema's keywords.
    enum Body: Sendable {
        case always(Bool)
        case keywords(Keywords)
    }

    /// The keywords of an object schema, each nil (or empty) when absent.
    struct Keywords: Sendable {
        var types: [String]?
        var enumValues: [JSONValue]?
        var const: JSONValue?
        var multipleOf: JSONNumber?
        var maximum: Double?
        var exclusiveMaximum: Double?
        var minimum: Double?
        var exclusiveMinimum: Double?
        var maxLength: Int?
        var minLength: Int?
        var pattern: SchemaPattern?
        var format: String?
        var maxItems: Int?
        var minItems: Int?
        var uniqueItems = false
        var prefixItems: [SchemaNode] = []
        var items: SchemaNode?
        var contains: SchemaNode?
        var minContains: Int?
        var maxContains: Int?
        var maxProperties: Int?
        var minProperties: Int?
        var required: [JSONKey] = []
        var dependentRequired: [(JSONKey, [JSONKey])] = []
        var properties: [JSONKey: SchemaNode] = [:]
        var patternProperties: [(SchemaPattern, SchemaNode)] = []
        var additionalProperties: SchemaNode?
        var propertyNames: SchemaNode?
        var dependentSchemas: [(JSONKey, SchemaNode)] = []
        var allOf: [SchemaNode] = []
        var anyOf: [SchemaNode] = []
        var oneOf: [SchemaNode] = []
        var not: SchemaNode?
        var ifSchema: SchemaNode?
        var thenSchema: SchemaNode?
        var elseSchema: SchemaNode?
        var unevaluatedItems: SchemaNode?
        var unevaluatedProperties: SchemaNode?
        /// `$ref`, resolved to an absolute URI (looked up in the schema's index when evaluated).
        var ref: String?
        /// `$dynamicRef`, resolved to an absolute URI, and the anchor name its fragment gives.
        var dynamicRef: (uri: String, anchor: String?)?
        /// Whether any keyword here reads what subschemas evaluated (`unevaluatedItems`, `unevaluatedProperties`).
        var readsAnnotations: Bool { unevaluatedItems != nil || unevaluatedProperties != nil }
    }

    /// The schema pointer from the document's root, e.g. `/properties/payload/items`.
    let location: String
    /// The absolute URI (without fragment) of the schema resource this node belongs to.
    let base: String
    /// Whether this node starts a schema resource (the root, or a subschema with `$id`): entering it extends the
    /// dynamic scope.
    let isResource: Bool
    /// A boolean schema's value; nil for an object schema.
    let always: Bool?
    /// An object schema's keywords (none for a boolean schema). Stored apart from `always`, not as an enum payload, so
    /// the validator reads them in place: binding an enum's payload copied all forty fields, a measured quarter of a
    /// schema check.
    let keywords: Keywords

    var body: Body { always.map(Body.always) ?? .keywords(keywords) }

    init(location: String, base: String, isResource: Bool, body: Body) {
        self.location = location
        self.base = base
        self.isResource = isResource
        switch body {
        case .always(let value): (always, keywords) = (value, Keywords())
        case .keywords(let keywords): (always, self.keywords) = (nil, keywords)
        }
    }
}

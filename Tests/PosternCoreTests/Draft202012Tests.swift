import PosternCore
import Testing

/// JSON Schema draft 2020-12, keyword by keyword, with the cases the specification (and its test suite) call out:
/// integers written as floats, `oneOf` with two matches, `unevaluatedProperties` through `allOf` and `$ref`, `$ref`
/// beside other keywords, anchors and escaped pointers, lengths in code points, `$dynamicRef`.
struct Draft202012Tests {
    struct Case: CustomStringConvertible, Sendable {
        var schema: String
        var instance: String
        var valid: Bool
        var description: String { "\(schema) ⟵ \(instance)" }
    }

    static func check(_ schema: String, _ cases: [(String, Bool)]) -> [Case] {
        cases.map { Case(schema: schema, instance: $0.0, valid: $0.1) }
    }

    static let cases: [Case] = [
        check(##"true"##, [("1", true)]), check(##"false"##, [("1", false)]),
        check(##"{"type": "integer"}"##, [("1", true), ("1.0", true), ("1.5", false), ("\"1\"", false)]),
        check(##"{"type": ["string", "null"]}"##, [("null", true), ("\"a\"", true), ("0", false)]),
        check(##"{"type": "number"}"##, [("1", true), ("1e400", true), ("-0.5", true)]),
        check(##"{"enum": [1, {"a": [true]}, "x"]}"##, [("1.0", true), (##"{"a":[true]}"##, true), (##"{"a":[false]}"##, false), ("\"y\"", false)]),
        check(##"{"const": {"a": 1, "b": 2}}"##, [(##"{"b":2,"a":1.0}"##, true), (##"{"a":1}"##, false)]),
        check(##"{"multipleOf": 0.01}"##, [("19.99", true), ("0.075", false), ("3", true)]),
        check(##"{"multipleOf": 2}"##, [("10", true), ("7", false), ("4.0", true)]),
        check(##"{"multipleOf": 0.123456789}"##, [("1e308", false)]),
        check(##"{"maximum": 3, "exclusiveMinimum": 1}"##, [("3", true), ("3.5", false), ("1", false), ("1.1", true), ("\"9\"", true)]),
        check(##"{"exclusiveMaximum": 3, "minimum": 1}"##, [("3", false), ("2.9", true), ("1", true), ("0.9", false)]),
        check(##"{"maxLength": 2, "minLength": 2}"##, [("\"é🎉\"", true), ("\"e\u{301}\"", true), ("\"abc\"", false), ("\"a\"", false)]),
        check(##"{"pattern": "^[a-z]+\\d$"}"##, [("\"abc1\"", true), ("\"abc١\"", false), ("\"ABC1\"", false), ("1", true)]),
        check(##"{"pattern": "é"}"##, [("\"café\"", true), ("\"cafe\"", false)]),
        check(##"{"pattern": "^.$"}"##, [("\"é\"", true), ("\"🎉\"", true)]),
        check(##"{"maxItems": 2, "minItems": 1, "uniqueItems": true}"##, [("[1, 2]", true), ("[1, 1.0]", false), ("[]", false), ("[1,2,3]", false),
                                                                      (##"[{"a":1,"b":2},{"b":2,"a":1}]"##, false), (##"[[1],[true]]"##, true)]),
        check(##"{"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false}"##,
              [(##"["a", 1]"##, true), (##"["a"]"##, true), (##"[1, "a"]"##, false), (##"["a", 1, null]"##, false)]),
        check(##"{"contains": {"type": "integer"}, "minContains": 2, "maxContains": 3}"##,
              [("[1, \"a\", 2]", true), ("[1]", false), ("[1,2,3,4]", false)]),
        check(##"{"contains": {"const": 1}, "minContains": 0}"##, [("[]", true), ("[2]", true)]),
        check(##"{"contains": {"const": 1}}"##, [("[]", false), ("[2, 1]", true), ("{}", true)]),
        check(##"{"maxProperties": 1, "minProperties": 1}"##, [(##"{"a":1}"##, true), ("{}", false), (##"{"a":1,"b":2}"##, false)]),
        check(##"{"required": ["a"], "dependentRequired": {"a": ["b"]}}"##, [(##"{"a":1,"b":2}"##, true), (##"{"a":1}"##, false), (##"{"b":1}"##, false)]),
        check(##"{"properties": {"a": {"type": "string"}}, "patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": {"type": "boolean"}}"##,
              [(##"{"a":"s","x-n":1,"other":true}"##, true), (##"{"other":1}"##, false), (##"{"x-n":"s"}"##, false), (##"{"a":1}"##, false)]),
        check(##"{"additionalProperties": {"type": "integer"}}"##, [(##"{"a":1}"##, true), (##"{"a":"x"}"##, false)]),
        check(##"{"propertyNames": {"maxLength": 3}}"##, [(##"{"abc":1}"##, true), (##"{"abcd":1}"##, false)]),
        check(##"{"dependentSchemas": {"card": {"required": ["billing"]}}}"##, [(##"{"card":1,"billing":2}"##, true), (##"{"card":1}"##, false), ("{}", true)]),
        check(##"{"allOf": [{"type": "integer"}, {"minimum": 2}]}"##, [("2", true), ("1", false)]),
        check(##"{"anyOf": [{"type": "string"}, {"minimum": 2}]}"##, [("\"a\"", true), ("3", true), ("1", false)]),
        check(##"{"oneOf": [{"type": "integer"}, {"minimum": 2}]}"##, [("1", true), ("2.5", true), ("3", false), ("0.5", false)]),
        check(##"{"not": {"type": "string"}}"##, [("1", true), ("\"a\"", false)]),
        check(##"{"if": {"properties": {"kind": {"const": "voice"}}}, "then": {"required": ["callId"]}, "else": {"required": ["chatId"]}}"##,
              [(##"{"kind":"voice","callId":1}"##, true), (##"{"kind":"voice"}"##, false), (##"{"kind":"chat","chatId":1}"##, true), (##"{"kind":"chat"}"##, false)]),
        check(##"{"then": {"const": 1}}"##, [("2", true)]),
        // unevaluatedProperties sees what allOf, $ref and if/then evaluated, and nothing from a failed branch.
        check(##"{"allOf": [{"properties": {"a": true}}], "properties": {"b": true}, "unevaluatedProperties": false}"##,
              [(##"{"a":1,"b":2}"##, true), (##"{"a":1,"c":3}"##, false)]),
        check(##"{"$defs": {"base": {"properties": {"a": true}}}, "$ref": "#/$defs/base", "unevaluatedProperties": false}"##,
              [(##"{"a":1}"##, true), (##"{"b":1}"##, false)]),
        check(##"{"anyOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"b": true}}], "unevaluatedProperties": false}"##,
              [(##"{"a":"x","b":1}"##, true), (##"{"a":1,"b":1}"##, false)]),
        check(##"{"if": {"properties": {"a": {"const": 1}}}, "then": {"properties": {"b": true}}, "unevaluatedProperties": false}"##,
              [(##"{"a":1,"b":2}"##, true), (##"{"a":2}"##, false)]),
        check(##"{"properties": {"a": {"unevaluatedProperties": false}}, "additionalProperties": true}"##, [(##"{"a":{"x":1}}"##, false), (##"{"a":{}}"##, true)]),
        check(##"{"prefixItems": [true], "allOf": [{"contains": {"const": "x"}}], "unevaluatedItems": {"type": "integer"}}"##,
              [(##"["a", "x", 2]"##, true), (##"["a", "x", "y"]"##, false)]),
        // $ref beside other keywords (all apply), anchors, escaped and percent-encoded pointers, relative $id.
        check(##"{"$defs": {"int": {"type": "integer"}}, "$ref": "#/$defs/int", "minimum": 5}"##, [("5", true), ("4", false), ("5.5", false)]),
        check(##"{"$defs": {"a": {"$anchor": "positive", "exclusiveMinimum": 0}}, "$ref": "#positive"}"##, [("1", true), ("0", false)]),
        check(##"{"$defs": {"a/b": {"type": "string"}, "c~d": {"type": "integer"}, "e%f": {"type": "null"}}, "properties": {"x": {"$ref": "#/$defs/a~1b"}, "y": {"$ref": "#/$defs/c~0d"}, "z": {"$ref": "#/$defs/e%25f"}}}"##,
              [(##"{"x":"s","y":1,"z":null}"##, true), (##"{"x":1}"##, false), (##"{"y":"s"}"##, false), (##"{"z":0}"##, false)]),
        check(##"{"$id": "https://example.com/root.json", "$defs": {"item": {"$id": "item.json", "type": "string"}}, "items": {"$ref": "item.json"}}"##,
              [(##"["a"]"##, true), ("[1]", false)]),
        check(##"{"$id": "https://example.com/tree", "$defs": {"node": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}}, "required": ["v"]}}, "$ref": "#/$defs/node"}"##,
              [(##"{"v":1,"kids":[{"v":2,"kids":[]}]}"##, true), (##"{"v":1,"kids":[{"kids":[]}]}"##, false)]),
        // $dynamicRef: the outermost resource's $dynamicAnchor wins.
        check(##"{"$id": "https://example.com/strict", "$ref": "list", "$defs": {"strict-items": {"$dynamicAnchor": "items", "type": "integer"}, "list": {"$id": "list", "type": "array", "items": {"$dynamicRef": "#items"}, "$defs": {"default": {"$dynamicAnchor": "items"}}}}}"##,
              [("[1, 2]", true), (##"[1, "a"]"##, false)]),
        check(##"{"$id": "https://example.com/list", "type": "array", "items": {"$dynamicRef": "#items"}, "$defs": {"default": {"$dynamicAnchor": "items"}}}"##,
              [(##"[1, "a"]"##, true)]),
        // The bundled meta-schemas: schemas validated against draft 2020-12 itself, offline.
        check(##"{"$ref": "https://json-schema.org/draft/2020-12/schema"}"##,
              [(##"{"type": "string", "minLength": 1, "properties": {"a": {"$ref": "#/$defs/b"}}}"##, true), (##"{"type": 5}"##, false),
               (##"{"minLength": -1}"##, false), (##"{"properties": {"a": {"type": "strung"}}}"##, false), ("true", true), ("3", false)]),
        check(##"{"$ref": "https://json-schema.org/draft/2020-12/meta/validation#/$defs/nonNegativeInteger"}"##, [("3", true), ("-1", false)]),
    ].flatMap { $0 }

    @Test(arguments: cases)
    func theSpecificationDecides(_ test: Case) throws {
        let schema = try JSONSchema.compile(json: test.schema)
        let instance = try JSONParser.parse(Array(test.instance.utf8))
        let verdict: Bool
        do {
            try schema.validate(instance)
            verdict = true
        } catch {
            verdict = false
        }
        #expect(verdict == test.valid)
    }

    @Test func aViolationNamesTheInstanceAndTheFailingKeyword() throws {
        let schema = try JSONSchema.compile(json: ##"{"properties": {"payload": {"items": {"properties": {"type": {"enum": ["text", "image"]}}}}}}"##)
        #expect(throws: JSONSchema.Violation(pointer: "/payload/0/type",
                                             message: "must be one of the allowed values (at /properties/payload/items/properties/type/enum)")) {
            try schema.validate(JSONParser.parse(Array(##"{"payload":[{"type":"video"}]}"##.utf8)))
        }
        let required = try JSONSchema.compile(json: ##"{"required": ["id"]}"##)
        #expect(throws: JSONSchema.Violation(pointer: "/id", message: "is required (at /required)")) { try required.validate(.object([:])) }
        let closed = try JSONSchema.compile(json: ##"{"additionalProperties": false}"##)
        #expect(throws: JSONSchema.Violation(pointer: "/x", message: "is not an allowed field (at /additionalProperties)")) {
            try closed.validate(.object(["x": .null]))
        }
    }

    @Test func theFirstViolationIsInNameOrderWhateverTheStorageOrder() throws {
        // Checking takes members as stored; only the explaining pass orders them, so the message is always the same.
        let schema = try JSONSchema.compile(json: ##"{"additionalProperties": {"type": "string"}}"##)
        let members = Dictionary(uniqueKeysWithValues: (0..<200).map { (JSONKey("m\($0 + 100)"), JSONValue.number(JSONNumber($0))) })
        #expect(throws: JSONSchema.Violation(pointer: "/m100", message: "must be string, found integer (at /additionalProperties/type)")) {
            try schema.validate(.object(members))
        }
    }

    @Test func unevaluatedPropertiesSeesEveryMemberOfALargeObject() throws {
        // Evaluated members are kept as bits by storage offset: past the first 64 as well.
        let schema = try JSONSchema.compile(json: ##"{"allOf": [{"patternProperties": {"^k": true}}], "unevaluatedProperties": false}"##)
        var members = Dictionary(uniqueKeysWithValues: (0..<150).map { (JSONKey("k\($0)"), JSONValue.null) })
        try schema.validate(.object(members))
        members["z"] = .null
        #expect(throws: JSONSchema.Violation(pointer: "/z", message: "is not allowed here (at /unevaluatedProperties)")) {
            try schema.validate(.object(members))
        }
        let items = try JSONSchema.compile(json: ##"{"contains": {"type": "null"}, "minContains": 130, "unevaluatedItems": {"type": "null"}}"##)
        try items.validate(.array(Array(repeating: .null, count: 130)))
        #expect(throws: JSONSchema.Violation.self) { try items.validate(.array(Array(repeating: .null, count: 129) + [.bool(true)])) }
    }

    @Test func aReferenceCycleOverOneInstanceIsRefusedNotRunAway() throws {
        let schema = try JSONSchema.compile(json: ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##)
        #expect(throws: JSONSchema.Violation.self) { try schema.validate(.null) }
    }

    @Test(arguments: [
        ("date-time", "2026-12-02T10:00:00.5+01:00", true), ("date-time", "2026-02-30T10:00:00Z", false), ("date-time", "2026-12-02 10:00:00Z", false),
        ("date", "2024-02-29", true), ("date", "2023-02-29", false), ("time", "23:59:60Z", true), ("time", "22:59:60Z", false),
        ("time", "23:59:60-01:00", false), ("time", "00:59:60+01:00", true), ("email", "ana@example.com", true), ("email", "ana@@example.com", false),
        ("email", ".ana@example.com", false), ("hostname", "api.example.com", true), ("hostname", "-bad.example", false),
        ("ipv4", "192.0.2.1", true), ("ipv4", "192.0.2.01", false), ("ipv6", "2001:db8::1", true), ("ipv6", "2001:db8:::1", false),
        ("uri", "https://example.com/a?b=c#d", true), ("uri", "/relative", false), ("uri", "https://exa mple.com", false),
        ("uuid", "123e4567-e89b-12d3-a456-426614174000", true), ("uuid", "123e4567e89b12d3a456426614174000", false),
        ("regex", "^[a-z]+$", true), ("regex", "(", false), ("unknown-format", "anything", true),
    ])
    func formatsAssertOnlyWhenAsked(_ format: String, _ text: String, _ valid: Bool) throws {
        let json = ##"{"format": "\##(format)"}"##
        let asserting = try JSONSchema.compile(json: json, assertsFormats: true)
        #expect(((try? asserting.validate(.string(text))) != nil) == valid)
        try JSONSchema.compile(json: json).validate(.string(text))
    }
}

import PosternCore
import Testing

/// Schema validation reports the JSON pointer of the first bad field.
struct JSONSchemaTests {
    func violation(_ schemaName: String, _ instance: String) throws -> JSONSchema.Violation? {
        let schema = try JSONSchema.compile(json: BuiltInSchemas.byName[schemaName]!)
        let document = try JSONParser.parse(Array(instance.utf8))
        do {
            try schema.validate(document)
            return nil
        } catch {
            return error
        }
    }

    @Test func cognigyFlowEvent() throws {
        #expect(try violation("cognigy-flow-event", #"{"event_id":"e","flow_name":"f","payload_data":{"x":1}}"#) == nil)
        #expect(try violation("cognigy-flow-event", #"{"flow_name":"f"}"#)?.pointer == "/event_id")
        #expect(try violation("cognigy-flow-event", #"{"event_id":7}"#)?.pointer == "/event_id")
        #expect(try violation("cognigy-flow-event", #"{"event_id":"e","extra":1}"#)?.pointer == "/extra")
        #expect(try violation("cognigy-flow-event", #"{"event_id":"e","payload_data":[]}"#)?.pointer == "/payload_data")
        #expect(try violation("cognigy-flow-event", #"[]"#)?.pointer == "")
    }

    @Test func cognigyFulfillmentRequest() throws {
        #expect(try violation("cognigy-fulfillment-request",
                              #"{"requestId":"r","payload":[{"type":"text","value":{"a":1}}],"context":[1]}"#) == nil)
        #expect(try violation("cognigy-fulfillment-request", #"{"requestId":"r","payload":[]}"#)?.pointer == "/payload")
        #expect(try violation("cognigy-fulfillment-request", #"{"requestId":"r","payload":[{"type":""}]}"#)?.pointer == "/payload/0/type")
        #expect(try violation("cognigy-fulfillment-request", #"{"requestId":"r","payload":[{"value":1}]}"#)?.pointer == "/payload/0/type")
        #expect(try violation("cognigy-fulfillment-request", #"{"payload":[{"type":"t"}]}"#)?.pointer == "/requestId")
    }

    @Test func whatCannotBeHonouredIsRefusedAtLoadWithItsPointer() {
        func refusal(_ json: String) -> String? {
            do {
                _ = try JSONSchema.compile(json: json)
                return nil
            } catch {
                return error.pointer
            }
        }
        #expect(refusal(#"{"properties": {"a": {"dependencies": {}}}}"#) == "/properties/a/dependencies")
        #expect(refusal(#"{"$ref": "https://example.com/other.json"}"#) == "/$ref")
        #expect(refusal(##"{"$ref": "#/$defs/missing"}"##) == "/$ref")
        #expect(refusal(#"{"properties": {"a": {"pattern": "(unclosed"}}}"#) == "/properties/a/pattern")
        #expect(refusal(#"{"pattern": "(?<=a)b"}"#) == "/pattern", "Swift's engine has no lookbehind (docs/configuration.md)")
        #expect(refusal(#"{"patternProperties": {"\\cA": true}}"#) == "/patternProperties")
        #expect(refusal(#"{"$schema": "http://json-schema.org/draft-07/schema#"}"#) == "/$schema")
        #expect(refusal(#"{"items": [{"type": "string"}]}"#) == "/items")
        #expect(refusal(#"{"minLength": -1}"#) == "/minLength")
        #expect(refusal(#"{"multipleOf": 0}"#) == "/multipleOf")
        #expect(refusal(#"{"title": "t", "x-owner": "crm", "examples": [1], "$comment": "c", "pattern": "^x"}"#) == nil)
    }
}

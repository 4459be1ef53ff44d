import Foundation
import Testing
@testable import PosternCore

/// Destination body templates: typed values, text, `#each`, and the refusals at decoding.
struct BodyTemplateTests {
    func template(_ value: ConfigValue) -> (BodyTemplate?, [ConfigProblem]) {
        var problems: [ConfigProblem] = []
        let template = BodyTemplate.decode(ConfigNode(value, path: "body"), &problems)
        return (template, problems)
    }

    let values = BodyTemplate.Values(
        id: "evt_1", correlationID: "c-1", receivedAt: Date(timeIntervalSince1970: 1_764_000_000),
        document: .object(["n": .number(4), "s": .string("x"), "list": .array([.object(["t": .string("a")]), .object([:])])]))

    @Test func valuesKeepTheirTypeAndTextIsText() throws {
        let (made, problems) = template(.map([
            "n": .string("{{/n}}"), "text": .string("n={{/n}} s={{/s}} gone={{/nowhere}}"), "id": .string("{{ id }}"),
            "at": .string("{{receivedAt}}"), "missing": .string("{{/nowhere}}"), "plain": .int(3),
            "items": .map(["{{#each /list}}": .map(["t": .string("{{/t}}"), "event": .string("{{correlationId}}")])]),
            "none": .map(["{{#each /s}}": .string("{{/t}}")]),
        ]))
        #expect(problems.isEmpty)
        let rendered = try #require(made).render(values)
        #expect(rendered == .object([
            "n": .number(4), "text": .string("n=4 s=x gone="), "id": .string("evt_1"),
            "at": .string("2025-11-24T16:00:00Z"), "missing": .null, "plain": .number(3),
            "items": .array([.object(["t": .string("a"), "event": .string("c-1")]), .object(["t": .null, "event": .string("c-1")])]),
            "none": .array([]),
        ]))
    }

    @Test func badPlaceholdersAreRefusedWithTheirPath() {
        #expect(template(.map(["a": .string("{{who}}")])).1.map(\.path) == ["body.a"])
        #expect(template(.map(["a": .string("{{/open")])).1.map(\.path) == ["body.a"])
        #expect(template(.map(["a": .map(["{{#each list}}": .int(1)])])).1.map(\.path) == ["body.a"])
        #expect(template(.map(["a": .map(["{{#each /l}}": .int(1), "b": .int(2)])])).1.map(\.path) == ["body.a"])
    }
}

/// The built-in Genesys Open Messaging template: the same body as the mapping, on form bodies too, and its problems.
struct GenesysTemplateTests {
    func template(_ text: String) -> BodyTemplate? {
        var problems: [ConfigProblem] = []
        return BodyTemplate.decode(ConfigNode(.string(text), path: "body"), &problems)
    }

    @Test func theBuiltInTemplateRendersTheMappingsBody() throws {
        let received = Date(timeIntervalSince1970: 1_800_000_000)
        let values = BodyTemplate.Values(id: "evt_1", correlationID: "c", receivedAt: received,
                                         document: try JSONParser.parse(Array(#"{"userId":"u-1","text":"hi","data":{"tier":"gold"}}"#.utf8)))
        let message = try #require(template("{{genesys-open-messaging}}"))
        let expected = try OpenMessagingMapping().body(.message, document: values.document, eventID: "evt_1", receivedAt: received).get()
        #expect(message.render(values) == (try JSONParser.parse(expected)))
        #expect(message.render(values).value(at: "/channel/from/id") == .string("u-1"))
        #expect(message.render(values).value(at: "/channel/metadata/customAttributes/tier") == .string("gold"))
        #expect(message.problem(values) == nil)
        let form = BodyTemplate.Values(id: "evt_2", correlationID: "c", receivedAt: received,
                                       document: try FormBody.parse(Array("userId=u-2&text=from+a+form".utf8)))
        #expect(message.render(form).value(at: "/text") == .string("from a form"), "a form's fields map as JSON's do")
        let empty = BodyTemplate.Values(id: "evt_3", correlationID: "c", receivedAt: received, document: .object([:]))
        #expect(message.problem(empty)?.contains("no sender id") == true)
        #expect(message.render(empty) == .null)
        if case .genesys(.typing, _)? = template("{{genesys-open-messaging:typing}}") {} else { Issue.record("typing") }
        if case .genesys(.receipt, _)? = template("{{genesys-open-messaging:receipt}}") {} else { Issue.record("receipt") }
        #expect(template("{{genesys-open-messaging:fax}}") == nil)
    }
}

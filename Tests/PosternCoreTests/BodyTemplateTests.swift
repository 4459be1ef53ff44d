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

import Foundation
import PosternCore
import Testing

/// Answer templates: the four placeholders, each value escaped for the answer's content type, and templates that
/// can never render refused when the configuration is read.
struct AnswerTemplateTests {
    let values = AnswerTemplate.Values(
        id: "evt_1", correlationID: "c-1", receivedAt: Date(timeIntervalSince1970: 1_764_633_600.25),
        document: .object(["text": .string("He said \"hi\" <b>&</b>\n"), "n": .number(JSONNumber(42)), "tags": .array([.string("a")])]))

    func render(_ text: String, _ contentType: String = "application/json") throws -> String {
        try AnswerTemplate(parsing: text).render(values, escaping: AnswerTemplate.Escaping(contentType: contentType))
    }

    @Test func placeholdersAreFilled() throws {
        #expect(try render("{{id}} {{ correlationId }} {{receivedAt}}", "text/plain") == "evt_1 c-1 2025-12-02T00:00:00.250Z")
        #expect(try render("{{body:/n}}|{{body:/tags}}|{{body:/missing}}|", "text/plain") == #"42|["a"]||"#)
    }

    @Test func valuesAreEscapedForTheContentType() throws {
        let json = try render(#"{"id":"{{id}}","said":"{{body:/text}}"}"#, "application/json; charset=utf-8")
        #expect(json == #"{"id":"evt_1","said":"He said \"hi\" <b>&</b>\n"}"#)
        #expect(try JSONParser.parse(Array(json.utf8)).value(at: "/said") == .string("He said \"hi\" <b>&</b>\n"))
        #expect(try render("<r>{{body:/text}}</r>", "application/xml") == "<r>He said &quot;hi&quot; &lt;b&gt;&amp;&lt;/b&gt;\n</r>")
        #expect(try render("said={{body:/text}}", "application/x-www-form-urlencoded")
            == "said=He+said+%22hi%22+%3Cb%3E%26%3C%2Fb%3E%0A")
        #expect(try render("{{body:/text}}", "text/plain") == "He said \"hi\" <b>&</b>\n")
    }

    @Test(arguments: ["{{id", "{{name}}", "{{body:event_id}}", "{{}}"])
    func aTemplateThatCannotRenderIsRefused(_ text: String) {
        #expect(throws: AnswerTemplate.Failure.self) { try AnswerTemplate(parsing: text) }
    }

    func problems(_ source: [String: ConfigValue]) -> [String] {
        var node: [String: ConfigValue] = ["name": .string("s"), "path": .string("/s"), "verify": .map(["preset": .string("none")])]
        node.merge(source) { $1 }
        do {
            _ = try GatewayConfig.decode(ConfigNode(.map(["sources": .list([.map(node)])])), baseDirectory: "/")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func answersAreCheckedWhereTheirContentCanBeKnown() {
        func answer(_ fields: [String: ConfigValue]) -> [String: ConfigValue] { ["answer": .map(fields)] }
        #expect(problems(answer(["status": .int(202), "body": .string(#"{"ok":"{{id}}"}"#)])) == [])
        #expect(problems(answer(["status": .int(302)])) == ["sources[0].answer.status: must be one of 200, 201, 202, 204"])
        #expect(problems(answer(["status": .int(204), "body": .string("x")])) == ["sources[0].answer.body: must be empty with status 204 (No Content)"])
        #expect(problems(["body": .string("xml"), "idempotencyKey": .string("sha256")].merging(answer(["body": .string("{{body:/a}}")])) { $1 })
            == ["sources[0].answer.body: {{body:/a}} needs a body with fields (json or form), not xml"])
        // cognigy-flow-event closes its objects: a field it does not list can never be there.
        #expect(problems(["schema": .string("cognigy-flow-event")].merging(answer(["body": .string("{{body:/nowhere}}")])) { $1 })
            == ["sources[0].answer.body: {{body:/nowhere}} can never be there: the source's schema does not allow it"])
        #expect(problems(["schema": .string("cognigy-flow-event")].merging(answer(["body": .string("{{body:/event_id}}")])) { $1 }) == [])
        #expect(problems(["mode": .string("fulfillment")].merging(answer([:])) { $1 }).first?.hasPrefix("sources[0].answer: is for store-and-forward") == true)
    }
}

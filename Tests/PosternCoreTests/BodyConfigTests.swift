import PosternCore
import Testing

/// `body:` and `idempotencyKey: none` in a source, and what they rule out: fields read from a body that has none,
/// duplicates answered where there are none.
struct BodyConfigTests {
    func decode(_ source: [String: ConfigValue]) -> Result<SourceConfig, ConfigProblems> {
        var node: [String: ConfigValue] = ["name": .string("s"), "path": .string("/s"), "verify": .map(["preset": .string("none")])]
        node.merge(source) { $1 }
        do {
            return .success(try GatewayConfig.decode(ConfigNode(.map(["sources": .list([.map(node)])])), baseDirectory: "/").sources[0])
        } catch {
            return .failure(error)
        }
    }

    func problems(_ source: [String: ConfigValue]) -> [String] {
        guard case .failure(let problems) = decode(source) else { return [] }
        return problems.problems.map(\.description)
    }

    @Test func jsonIsTheDefaultAndEveryKindIsAccepted() throws {
        #expect(try decode([:]).get().body == .json)
        for kind in BodyKind.allCases {
            #expect(try decode(["body": .string(kind.rawValue), "idempotencyKey": .string("sha256")]).get().body == kind)
        }
        #expect(problems(["body": .string("yaml")]) == ["sources[0].body: must be one of json, form, xml, raw, found \"yaml\""])
    }

    @Test func fieldsAreReadOnlyFromJSONAndFormBodies() {
        #expect(problems(["body": .string("form"), "schema": .string("cognigy-flow-event"), "idempotencyKey": .string("body:/event_id")]) == [])
        #expect(problems(["body": .string("xml"), "schema": .string("cognigy-flow-event")]).first?.hasPrefix("sources[0].schema: needs a body with fields") == true)
        #expect(problems(["body": .string("raw"), "idempotencyKey": .string("body:/id")]).first?.hasPrefix("sources[0].idempotencyKey: body:/id needs a body with fields") == true)
    }

    @Test func noneMakesEveryRequestAnEventAndHasNoDuplicatesToAnswer() throws {
        #expect(try decode(["idempotencyKey": .string("none")]).get().idempotencyKey == .unkeyed)
        #expect(problems(["idempotencyKey": .string("none"), "onDuplicate": .int(409)]) == ["sources[0].onDuplicate: has no duplicates to answer: idempotencyKey is none"])
    }
}

import Foundation
import PosternCore
import Testing

/// Senders that break on any answer but success: Genesys Open Messaging drops the customer's message, jambonz counts
/// only 200, 202 and 204. Their sources never answer 409, and their answers keep to what they take as success.
struct ContractGuardTests {
    func decode(_ preset: String, _ source: [String: ConfigValue]) -> Result<SourceConfig, ConfigProblems> {
        var node: [String: ConfigValue] = ["name": .string("s"), "path": .string("/s"),
                                           "verify": .map(["preset": .string(preset), "secrets": .list([.string("secret")])])]
        node.merge(source) { $1 }
        do {
            return .success(try GatewayConfig.decode(ConfigNode(.map(["sources": .list([.map(node)])])), baseDirectory: "/").sources[0])
        } catch {
            return .failure(error)
        }
    }

    func problems(_ preset: String, _ source: [String: ConfigValue]) -> [String] {
        guard case .failure(let problems) = decode(preset, source) else { return [] }
        return problems.problems.map(\.path)
    }

    @Test(arguments: ["genesys-open-messaging", "jambonz"])
    func a409IsRefusedAndNeverTheDefault(_ preset: String) throws {
        #expect(problems(preset, ["onDuplicate": .int(409)]) == ["sources[0].onDuplicate"])
        #expect(try decode(preset, [:]).get().onDuplicate == .ok)
        #expect(try decode(preset, ["mode": .string("fulfillment")]).get().onDuplicate == .ok)
        #expect(try decode("stripe", ["mode": .string("fulfillment")]).get().onDuplicate == .conflict)
        #expect(problems("stripe", ["onDuplicate": .int(409)]) == [])
    }

    @Test func jambonzAnswersKeepTo200202And204() {
        #expect(problems("jambonz", ["answer": .map(["status": .int(201)])]) == ["sources[0].answer.status"])
        #expect(problems("jambonz", ["answer": .map(["status": .int(202)])]) == [])
        #expect(problems("genesys-open-messaging", ["answer": .map(["status": .int(201)])]) == [])
    }

    @Test func tutorialPresetsAreLabelledAndRealOnesCiteTheirVendor() {
        let tutorial = Set(Preset.catalog.filter(\.isTutorialConvention).map(\.name))
        #expect(tutorial == ["cognigy-webhook", "cognigy-fulfillment", "genesys-hmac", "cxone-sigv4"])
        for preset in Preset.catalog where !preset.isTutorialConvention && preset.name != "none" {
            #expect(preset.reference?.hasPrefix("https://") == true, "\(preset.name) cites its vendor")
        }
        let order = Preset.catalog.map(\.isTutorialConvention)
        #expect(order == order.sorted { !$0 && $1 }, "the vendors' mechanisms are listed first")
    }

    @Test func theCognigyEndpointPresetKeysNothingAndCorrelatesBySession() throws {
        let source = try decode("cognigy-endpoint", ["verify": .map(["preset": .string("cognigy-endpoint"), "credentials": .list([.string("u:p")])])]).get()
        #expect(source.idempotencyKey == .unkeyed)
        #expect(source.schema != nil)
        #expect(Preset.all["cognigy-endpoint"]?.correlationField == "/sessionId")
    }

    @Test func theDocsShowEachBuiltInSchemaAsItIs() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for (name, schema) in BuiltInSchemas.byName {
            #expect(text.contains(schema), "docs/configuration.md shows \(name) as postern schema show prints it")
        }
    }
}

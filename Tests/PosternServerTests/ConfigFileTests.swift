import Foundation
import PosternCore
import PosternServer
import Testing

/// Reading YAML: environment variables, and problems that name the variable and the key.
struct ConfigFileTests {
    @Test func environmentVariablesFillValuesWhateverTheyHold() throws {
        let yaml = """
            admin: {token: "${ADMIN_TOKEN}"}
            sources:
              - {name: a, path: /a, verify: {preset: github, secrets: [${SECRET}, "${SECOND:-fallback}"]}}
            """
        let root = try ConfigFile.parse(yaml, environment: ["SECRET": "s3cr3t, ]: #x", "ADMIN_TOKEN": "t"])
        let config = try GatewayConfig.decode(ConfigNode(root), baseDirectory: "/")
        #expect(config.sources[0].verify.node["secrets"].value == .list([.string("s3cr3t, ]: #x"), .string("fallback")]))
        #expect(config.admin.token == "t")
    }

    @Test func aMissingVariableIsNamedWithItsKeyPath() {
        let yaml = "sources:\n  - {name: a, path: /a, verify: {preset: github, secrets: [${COGNIGY_WEBHOOK_SECRET}]}}\n"
        #expect(throws: ConfigProblems.self) { try ConfigFile.parse(yaml, environment: [:]) }
        do {
            _ = try ConfigFile.parse(yaml, environment: [:])
        } catch {
            #expect(error.problems == [ConfigProblem("sources[0].verify.secrets[0]",
                                                     "environment variable COGNIGY_WEBHOOK_SECRET is not set")])
        }
    }

    @Test func invalidYAMLIsAProblemNotACrash() {
        #expect(throws: ConfigProblems.self) { try ConfigFile.parse("sources: [a, b\n  - : :", environment: [:]) }
    }

    @Test func theExampleConfigurationIsValid() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/postern.yaml").path
        let config = try ConfigFile.load(path: example, environment: [:])
        #expect(try SourceTable(config).sources.count == config.sources.count)
    }

    @Test func sourceProblemsAreCollectedAcrossSources() throws {
        let yaml = """
            sources:
              - {name: a, path: /a, verify: {preset: github}, schema: nope}
              - {name: b, path: /b, verify: {preset: bearer, secrets: [x]}, idempotencyKey: signature}
            """
        let config = try GatewayConfig.decode(ConfigNode(try ConfigFile.parse(yaml, environment: [:])), baseDirectory: "/")
        do {
            _ = try SourceTable(config)
            Issue.record("an invalid source table was built")
        } catch {
            #expect(error.problems.map(\.path) == ["sources[0].verify.secrets", "sources[0].schema", "sources[1].idempotencyKey"])
        }
    }
}

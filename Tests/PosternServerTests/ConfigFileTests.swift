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
        guard case .hmac(_, let keys, _) = config.sources[0].verify.secrets else { Issue.record("not an HMAC source"); return }
        #expect(keys == [Array("s3cr3t, ]: #x".utf8), Array("fallback".utf8)])
        #expect(config.admin.tokens == [AdminToken(name: "admin", token: "t", role: .operator)])
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

    @Test func systemdCredentialsAreReadFromTheirDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("postern-credentials-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "from-a-credential\n".write(toFile: directory + "/genesys-secret", atomically: true, encoding: .utf8)
        let yaml = "sources:\n  - {name: a, path: /a, verify: {preset: github, secrets: [${credential:genesys-secret}]}}\n"
        let root = try ConfigFile.parse(yaml, environment: ["CREDENTIALS_DIRECTORY": directory])
        let config = try GatewayConfig.decode(ConfigNode(root), baseDirectory: "/")
        guard case .hmac(_, let keys, _) = config.sources[0].verify.secrets else { Issue.record("not an HMAC source"); return }
        #expect(keys == [Array("from-a-credential".utf8)], "one trailing newline dropped")

        for (environment, problem) in [
            ([:], "systemd credential genesys-secret: CREDENTIALS_DIRECTORY is not set (LoadCredential= in the unit sets it)"),
            (["CREDENTIALS_DIRECTORY": "/nonexistent"], "systemd credential genesys-secret: /nonexistent/genesys-secret cannot be read as UTF-8 text"),
        ] {
            let error = #expect(throws: ConfigProblems.self) { try ConfigFile.parse(yaml, environment: environment) }
            #expect(error?.problems == [ConfigProblem("sources[0].verify.secrets[0]", problem)])
        }
    }

    @Test func substitutionIsOnePassAndLiteralTokensStayLiteral() throws {
        let yaml = """
            listen: "__POSTERN_ENV_0__"
            admin: {token: "${A}"}
            store: "x${B}y"
            """
        let root = try ConfigFile.parse(yaml, environment: ["A": "${B}", "B": "__POSTERN_ENV_0__"])
        #expect(ConfigNode(root)["listen"].value == .string("__POSTERN_ENV_0__"), "literal text is not a placeholder")
        #expect(ConfigNode(root)["admin"]["token"].value == .string("${B}"), "a substituted value is not expanded again")
        #expect(ConfigNode(root)["store"].value == .string("x__POSTERN_ENV_0__y"))
    }

    @Test func aliasExpansionIsBounded() {
        var lines = [#"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        for level in 1..<10 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]")
        }
        let started = ContinuousClock.now
        #expect(throws: ConfigProblems.self) { try ConfigFile.parse(lines.joined(separator: "\n"), environment: [:]) }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(throws: Never.self) { try ConfigFile.parse("a: &x {b: 1}\nc: *x\n", environment: [:]) }
    }

    @Test func invalidYAMLIsAProblemNotACrash() {
        #expect(throws: ConfigProblems.self) { try ConfigFile.parse("sources: [a, b\n  - : :", environment: [:]) }
    }

    @Test func theExampleConfigurationIsValid() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/postern.yaml").path
        let plan = try ConfigFile.load(path: example, environment: [:])
        #expect(plan.sources.sources.count == plan.config.sources.count)
    }

    @Test func sourceProblemsAreCollectedAcrossSources() throws {
        let yaml = """
            sources:
              - {name: a, path: /a, verify: {preset: github}, schema: nope}
              - {name: b, path: /b, verify: {preset: bearer, secrets: [x]}, idempotencyKey: signature}
            """
        do {
            _ = try ConfigFile.load(text: yaml, baseDirectory: "/", environment: [:])
            Issue.record("an invalid source table was built")
        } catch {
            #expect(error.problems.map(\.path) == ["sources[0].verify.secrets", "sources[0].schema", "sources[1].idempotencyKey"])
        }
    }
}

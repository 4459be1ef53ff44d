import PosternCore
import Testing

/// Decoding a configuration document: defaults, and every problem named by its key path.
struct GatewayConfigTests {
    func decode(_ root: [String: ConfigValue]) -> Result<GatewayConfig, ConfigProblems> {
        Result { () throws(ConfigProblems) in try GatewayConfig.decode(ConfigNode(.map(root)), baseDirectory: "/etc/postern") }
    }

    let source: ConfigValue = .map([
        "name": .string("s"), "path": .string("/hook"),
        "verify": .map(["preset": .string("github"), "secrets": .list([.string("x")])]),
    ])

    @Test func defaultsAndRelativePaths() throws {
        let config = try decode(["sources": .list([source]), "store": .string("sqlite:data/p.db")]).get()
        #expect(config.listeners == [ListenerConfig(address: ListenAddress(host: "127.0.0.1", port: 8080))])
        #expect(config.admin.listen.port == 9090)
        #expect(config.store == .sqlite(path: "/etc/postern/data/p.db"))
        #expect(config.limits.maxBodyBytes == 1_048_576)
        #expect(config.sources.first?.onDuplicate == .ok)
    }

    @Test func everyProblemIsReportedWithItsPath() {
        let bad: ConfigValue = .map([
            "name": .string("s"), "path": .string("hook"), "idempotencyKey": .string("body:event_id"),
            "onDuplicate": .int(201), "limits": .map(["maxBodyBytes": .int(0)]), "verfy": .null,
        ])
        guard case .failure(let error) = decode([
            "listen": .string("localhost"), "admin": .map(["listen": .string("0.0.0.0:9090")]),
            "sources": .list([bad, source, source]), "store": .string("mysql://x"),
        ]) else { Issue.record("decoded a bad configuration"); return }
        let paths = error.problems.map(\.path)
        for expected in ["listen", "admin.token", "store", "sources[0].verfy", "sources[0].path", "sources[0].verify",
                         "sources[0].idempotencyKey", "sources[0].onDuplicate", "sources[0].limits.maxBodyBytes",
                         "sources[2].name", "sources[2].path"] {
            #expect(paths.contains(expected), "no problem reported at \(expected): \(paths)")
        }
    }

    @Test func adminTokensHaveNamesAndRoles() throws {
        func token(_ name: String, _ token: String, _ role: String?) -> ConfigValue {
            .map(["name": .string(name), "token": .string(token)].merging(role.map { ["role": .string($0)] } ?? [:]) { a, _ in a })
        }
        let config = try decode(["sources": .list([source]), "admin": .map([
            "listen": .string("0.0.0.0:9090"), "token": .string("t0"),
            "tokens": .list([token("ops", "t1", "operator"), token("dashboard", "t2", "viewer")]),
        ])]).get()
        #expect(config.admin.tokens == [AdminToken(name: "admin", token: "t0", role: .operator),
                                        AdminToken(name: "ops", token: "t1", role: .operator),
                                        AdminToken(name: "dashboard", token: "t2", role: .viewer)])
        guard case .failure(let error) = decode(["sources": .list([source]), "admin": .map(["tokens": .list([
            token("a", "same", "viewer"), token("a", "same", "operator"), token("b", "x", nil), token("c", "y", "root"),
        ])])]) else { Issue.record("accepted"); return }
        #expect(error.problems.map(\.path) == ["admin.tokens[2].role", "admin.tokens[3].role", "admin.tokens[1]", "admin.tokens[1]"])
        #expect(error.problems.first?.reason.contains("viewer") == true)
    }

    @Test func tracingIsOffUnlessConfigured() throws {
        #expect(try decode(["sources": .list([source])]).get().tracing == nil)
        let on = try decode(["sources": .list([source]), "tracing": .map(["endpoint": .string("http://127.0.0.1:4318/v1/traces")])]).get()
        #expect(on.tracing == TracingConfig(endpoint: "http://127.0.0.1:4318/v1/traces", serviceName: "postern", sampleRatio: 1))
        guard case .failure(let error) = decode([
            "sources": .list([source]),
            "tracing": .map(["endpoint": .string("grpc://collector:4317"), "sampleRatio": .double(2), "color": .string("x")]),
        ]) else { Issue.record("accepted"); return }
        #expect(Set(error.problems.map(\.path)) == ["tracing.color", "tracing.endpoint"])
        guard case .failure(let ratio) = decode([
            "sources": .list([source]), "tracing": .map(["endpoint": .string("http://c:4318/v1/traces"), "sampleRatio": .double(2)]),
        ]) else { Issue.record("accepted"); return }
        #expect(ratio.problems.map(\.path) == ["tracing.sampleRatio"])
    }

    @Test func verifyNoneMustBeExplicit() throws {
        let open: ConfigValue = .map(["name": .string("o"), "path": .string("/o"), "verify": .map(["preset": .string("none")])])
        #expect(try decode(["sources": .list([open])]).get().sources[0].verify.preset.name == "none")
    }

    @Test func idempotencyKeyRules() {
        #expect(IdempotencyKeyRule(parsing: "body:/event_id") == .body(pointer: "/event_id"))
        #expect(IdempotencyKeyRule(parsing: "header:X-GitHub-Delivery") == .header(name: "X-GitHub-Delivery"))
        #expect(IdempotencyKeyRule(parsing: "signature") == .signature)
        #expect(IdempotencyKeyRule(parsing: "body:") == nil)
        #expect(IdempotencyKeyRule(parsing: "header:") == nil)
    }

    @Test func listenAddresses() {
        #expect(ListenAddress(parsing: "[::1]:8080") == ListenAddress(host: "::1", port: 8080))
        #expect(ListenAddress(parsing: "[::1]:8080")?.isLoopback == true)
        #expect(ListenAddress(parsing: "0.0.0.0:70000") == nil)
        #expect(ListenAddress(parsing: ":80") == nil)
    }
}

import PosternCore
import Testing

/// Listeners, TLS settings, guards and connection limits as the configuration writes them.
struct ListenerConfigTests {
    func decode(_ root: [String: ConfigValue]) -> Result<GatewayConfig, ConfigProblems> {
        let source: ConfigValue = .map(["name": .string("s"), "path": .string("/s"), "verify": .map(["preset": .string("none")])])
        var root = root
        root["sources"] = .list([source])
        return Result { () throws(ConfigProblems) in try GatewayConfig.decode(ConfigNode(.map(root)), baseDirectory: "/etc/postern") }
    }

    @Test func listenersWithTLS() throws {
        let config = try decode(["listen": .list([
            .map(["address": .string("0.0.0.0:8443"), "tls": .map([
                "certificate": .string("server.pem"), "privateKey": .string("/keys/server-key.pem"),
                "minVersion": .string("1.3"), "clientCA": .string("client-cas"),
            ])]),
            .map(["address": .string("127.0.0.1:8080")]),
        ])]).get()
        #expect(config.listeners.count == 2)
        let tls = try #require(config.listeners[0].tls)
        #expect(tls == TLSSettings(certificate: "/etc/postern/server.pem", privateKey: "/keys/server-key.pem",
                                   minimumVersion: "1.3", clientCA: "/etc/postern/client-cas", clientAuth: .required))
        #expect(config.listeners[1].tls == nil)
    }

    @Test func listenerProblemsHaveTheirPaths() {
        guard case .failure(let error) = decode(["listen": .list([
            .map(["address": .string("0.0.0.0:8443"), "tls": .map(["certificate": .string("c.pem"), "clientAuth": .string("optional")])]),
            .map(["tls": .map([:])]),
            .map(["address": .string("0.0.0.0:8443")]),
        ]), "connections": .map(["headerTimeout": .int(0), "maxConnections": .string("many")])]) else {
            Issue.record("decoded bad listeners")
            return
        }
        let paths = error.problems.map(\.path)
        for expected in ["listen[0].tls.privateKey", "listen[0].tls.clientCA", "listen[1].address", "listen[2].address",
                         "connections.headerTimeout", "connections.maxConnections"] {
            #expect(paths.contains(expected), "no problem at \(expected): \(paths)")
        }
    }

    @Test func guardsAndLimitsDecode() throws {
        let source: ConfigValue = .map([
            "name": .string("g"), "path": .string("/g"), "verify": .map(["preset": .string("none")]),
            "allowIPs": .list([.string("10.0.0.0/8"), .string("2001:db8::/32")]),
            "rateLimit": .map(["perSecond": .double(2.5)]), "allowedSubjects": .list([.string("cognigy-client")]),
        ])
        let root: [String: ConfigValue] = ["sources": .list([source]), "trustedProxies": .list([.string("127.0.0.1")]),
                                           "connections": .map(["bodyTimeout": .double(2.5)])]
        let config = try GatewayConfig.decode(ConfigNode(.map(root)), baseDirectory: "/")
        let decoded = config.sources[0]
        #expect(decoded.allowIPs.map(\.description) == ["10.0.0.0/8", "2001:db8::/32"])
        #expect(decoded.rateLimit == RateLimit(perSecond: 2.5, burst: 3))
        #expect(decoded.requiresClientCertificate, "allowedSubjects implies a client certificate")
        #expect(config.trustedProxies.map(\.description) == ["127.0.0.1"])
        #expect(config.connections == ConnectionLimits(bodyTimeout: .milliseconds(2500)))
        let bad: ConfigValue = .map(["name": .string("b"), "path": .string("/b"), "verify": .map(["preset": .string("none")]),
                                     "allowIPs": .list([.string("10.0.0.0/40")]), "rateLimit": .map(["burst": .int(3)])])
        do {
            _ = try GatewayConfig.decode(ConfigNode(.map(["sources": .list([bad])])), baseDirectory: "/")
            Issue.record("decoded a bad allowlist")
        } catch {
            #expect(error.problems.map(\.path) == ["sources[0].allowIPs[0]", "sources[0].rateLimit.perSecond"])
        }
    }
}

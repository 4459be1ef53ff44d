import PosternCore
import Testing

/// Numeric configuration keys have documented ranges; what `check` accepts, `serve` can run.
struct ConfigRangeTests {
    func problems(_ yaml: [String: ConfigValue], source: [String: ConfigValue] = [:]) -> [String] {
        var node: [String: ConfigValue] = ["name": .string("s"), "path": .string("/s"), "verify": .map(["preset": .string("none")])]
        node.merge(source) { $1 }
        var root = yaml
        root["sources"] = .list([.map(node)])
        do {
            _ = try GatewayConfig.decode(ConfigNode(.map(root)), baseDirectory: "/etc/postern")
            return []
        } catch {
            return error.problems.map(\.path)
        }
    }

    @Test func valuesThatOnceCrashedServeAreRefused() {
        #expect(problems([:], source: ["rateLimit": .map(["perSecond": .double(1e-300)])]) == ["sources[0].rateLimit.perSecond"])
        #expect(problems([:], source: ["rateLimit": .map(["perSecond": .double(1e300)])]) == ["sources[0].rateLimit.perSecond"])
        #expect(problems(["connections": .map(["headerTimeout": .double(1e10)])]) == ["connections.headerTimeout"])
        #expect(problems(["connections": .map(["idleTimeout": .double(1e12)])]) == ["connections.idleTimeout"])
        #expect(problems(["connections": .map(["maxConnections": .int(Int.max)])]) == ["connections.maxConnections"])
        #expect(problems(["retention": .string("1e300d")]) == ["retention"])
        #expect(problems(["retention": .string("nand")]) == ["retention"])
        #expect(problems(["limits": .map(["maxBodyBytes": .int(1 << 40)])]) == ["limits.maxBodyBytes"])
    }

    @Test func valuesInsideTheRangesPass() {
        #expect(problems(["retention": .string("30d"), "connections": .map(["headerTimeout": .int(10), "idleTimeout": .double(0.5)])],
                         source: ["rateLimit": .map(["perSecond": .double(0.5), "burst": .int(3)])]) == [])
    }

    @Test(arguments: ["false", "0", "no", "off", "OFF", "of", "f"])
    func storeURLsThatTurnDurableCommitsOffAreRefused(value: String) {
        #expect(problems(["store": .string("postgres://u@db/x?synchronous_commit=\(value)")]) == ["store"])
    }

    @Test func storeURLsWithUnknownParametersAreRefused() {
        #expect(problems(["store": .string("postgres://u@db/x?options=-c%20synchronous_commit%3Doff")]) == ["store"])
        #expect(problems(["store": .string("postgres://u@db/x?synchronous_commit=local&connect_timeout=3&sslmode=require")]) == [])
        #expect(problems(["store": .string("postgres://u@db/x?connect_timeout=0")]) == ["store"])
    }
}

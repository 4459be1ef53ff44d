import Foundation
import PosternCore
import Testing

/// Destinations and fulfillment sources: defaults, and problems by key path.
struct DeliveryConfigTests {
    func decode(_ root: [String: ConfigValue]) -> Result<GatewayConfig, ConfigProblems> {
        Result { () throws(ConfigProblems) in try GatewayConfig.decode(ConfigNode(.map(root)), baseDirectory: "/etc/postern") }
    }

    func source(_ extra: [String: ConfigValue]) -> ConfigValue {
        .map(["name": .string("s"), "path": .string("/hook"), "verify": .map(["preset": .string("none")])]
            .merging(extra) { $1 })
    }

    let secret = "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()

    @Test func destinationsDecodeWithSafeDefaults() throws {
        let config = try decode([
            "destinations": .list([
                .map(["name": .string("crm"), "url": .string("https://crm.example/hooks")]),
                .map(["name": .string("audit"), "url": .string("http://127.0.0.1:9000/in"), "timeout": .double(2.5),
                      "headers": .map(["Authorization": .string("Bearer t")]), "forwardHeaders": .list([.string("User-Agent")]),
                      "retry": .map(["maxAttempts": .int(3), "minDelay": .double(0.5), "maxDelay": .int(30),
                                     "maxAge": .int(600), "retryAfterCap": .int(60)]),
                      "circuit": .map(["failureThreshold": .int(2), "cooldown": .int(10)]),
                      "signing": .map(["secret": .string(secret)]), "concurrency": .int(2)]),
            ]),
            "sources": .list([source(["destinations": .list([.string("crm"), .string("audit")])])]),
        ]).get()
        let crm = try #require(config.destination(named: "crm"))
        #expect(crm.timeout == .seconds(10) && crm.retry == RetryPolicy() && crm.circuit == CircuitBreakerPolicy() && crm.signingSecret == nil)
        #expect(RetryPolicy().retryAfterCap == .seconds(180))
        let audit = try #require(config.destination(named: "audit"))
        #expect(audit.timeout == .milliseconds(2500) && audit.headers.map(\.name) == ["Authorization"] && audit.forwardHeaders == ["user-agent"])
        #expect(audit.retry == RetryPolicy(maxAttempts: 3, minDelay: .milliseconds(500), maxDelay: .seconds(30), maxAge: .seconds(600), retryAfterCap: .seconds(60)))
        #expect(audit.circuit == CircuitBreakerPolicy(failureThreshold: 2, cooldown: .seconds(10)))
        #expect(audit.signingSecret == secret && audit.concurrency == 2)
        #expect(config.sources[0].destinations == ["crm", "audit"] && config.sources[0].queuedDestinations == ["crm", "audit"])
    }

    @Test func destinationProblemsHaveTheirPaths() {
        guard case .failure(let error) = decode([
            "destinations": .list([
                .map(["name": .string("a"), "url": .string("ftp://x/"), "timeout": .int(0), "signing": .map(["secret": .string("plain")]),
                      "retry": .map(["minDelay": .int(10), "maxDelay": .int(5), "maxTries": .int(3)])]),
                .map(["name": .string("a"), "url": .string("http://x/")]),
            ]),
            "sources": .list([source(["destinations": .list([.string("a"), .string("b")]), "respond": .map([:])])]),
        ]) else { Issue.record("decoded a bad configuration"); return }
        let paths = error.problems.map(\.path)
        for expected in ["destinations[0].url", "destinations[0].timeout", "destinations[0].signing.secret",
                         "destinations[0].retry.maxDelay", "destinations[0].retry.maxTries", "destinations[1].name",
                         "sources[0].destinations[1]", "sources[0].respond"] {
            #expect(paths.contains(expected), "no problem reported at \(expected): \(paths)")
        }
    }

    @Test func fulfillmentSourcesAnswerDuplicatesWith409AndCallTheirUpstreamSynchronously() throws {
        let config = try decode([
            "destinations": .list([.map(["name": .string("bot"), "url": .string("http://127.0.0.1:1/")]),
                                   .map(["name": .string("sync"), "url": .string("http://127.0.0.1:2/")])]),
            "sources": .list([source([
                "mode": .string("fulfillment"), "destinations": .list([.string("bot"), .string("sync")]),
                "respond": .map(["upstream": .string("bot"), "timeout": .double(1.5),
                                 "fallback": .list([.map(["type": .string("text"), "value": .string("Hold on")])])]),
            ])]),
        ]).get()
        let fulfil = config.sources[0]
        #expect(fulfil.mode == .fulfillment && fulfil.onDuplicate == .conflict)
        #expect(fulfil.respond?.timeout == .milliseconds(1500) && fulfil.respond?.upstream == "bot")
        #expect(fulfil.respond?.fallback == [.object(["type": .string("text"), "value": .string("Hold on")])])
        #expect(fulfil.queuedDestinations == ["sync"], "the upstream is called while the caller waits, not queued")
    }

    @Test func orderingKeysAndTheirProblems() throws {
        let config = try decode([
            "destinations": .list([
                .map(["name": .string("crm"), "url": .string("https://crm.example/hooks"),
                      "ordering": .map(["key": .string("body:/sessionId")])]),
                .map(["name": .string("plain"), "url": .string("https://crm.example/hooks")]),
            ]),
            "sources": .list([source(["destinations": .list([.string("crm"), .string("plain")])])]),
        ]).get()
        let ordering = try #require(config.destination(named: "crm")?.ordering)
        #expect(ordering == DeliveryOrdering(key: .body(["/sessionId"]), onFailure: .skip))
        #expect(ordering.key(document: try JSONParser.parse(Array(#"{"sessionId":42}"#.utf8)), header: { _ in nil }) == "42")
        #expect(ordering.key(document: try JSONParser.parse(Array(#"{"sessionId":""}"#.utf8)), header: { _ in nil }) == nil,
                "an empty key is no key: the delivery is not ordered")
        #expect(config.destination(named: "plain")?.ordering == nil)

        guard case .failure(let error) = decode([
            "destinations": .list([
                .map(["name": .string("a"), "url": .string("http://x/"),
                      "ordering": .map(["key": .string("sessionId"), "onFailure": .string("retry"), "group": .int(1)])]),
                .map(["name": .string("b"), "url": .string("http://x/"), "ordering": .map(["onFailure": .string("block")])]),
            ]),
            "sources": .list([source(["destinations": .list([.string("a"), .string("b")])])]),
        ]) else { Issue.record("decoded a bad ordering"); return }
        let paths = error.problems.map(\.path)
        #expect(paths.contains("destinations[0].ordering.key") && paths.contains("destinations[0].ordering.onFailure"))
        #expect(paths.contains("destinations[0].ordering.group") && paths.contains("destinations[1].ordering.key"))
        #expect(error.description.contains("must be body:<JSON pointer> or header:<name>, found \"sessionId\""))
    }
}

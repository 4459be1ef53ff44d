import Foundation
import PosternCore
import Testing

/// `alerts:`: targets become ordered destinations in their webhook's shape, rules decode with their subjects, and
/// every mistake is named by its key path.
struct AlertConfigTests {
    func decode(_ alerts: ConfigValue, destinations: [ConfigValue] = []) -> Result<GatewayConfig, ConfigProblems> {
        let root: [String: ConfigValue] = [
            "sources": .list([.map(["name": .string("s"), "path": .string("/hook"), "verify": .map(["preset": .string("none")])])]),
            "destinations": .list([.map(["name": .string("crm"), "url": .string("https://crm.example/in")])] + destinations),
            "alerts": alerts,
        ]
        return Result { () throws(ConfigProblems) in try GatewayConfig.decode(ConfigNode(.map(root)), baseDirectory: "/") }
    }

    @Test func targetsBecomeDestinationsAndRulesKeepTheirSubjects() throws {
        let config = try decode(.map([
            "targets": .list([.map(["name": .string("room"), "type": .string("teams"), "url": .string("https://example.webhook.office.com/x")]),
                              .map(["name": .string("pager"), "url": .string("https://pager.example/hook")])]),
            "rules": .list([
                .map(["name": .string("dead"), "deadLetters": .map(["above": .int(5), "within": .int(600)]), "destination": .string("crm")]),
                .map(["name": .string("sig"), "refusals": .map(["reason": .string("invalid_signature"), "above": .int(10)]),
                      "source": .string("s"), "notify": .list([.string("pager")])]),
                .map(["name": .string("open"), "circuitOpen": .bool(true)]),
            ]),
        ])).get()
        let alerts = try #require(config.alerts)
        #expect(alerts.rules[0] == AlertRule(name: "dead", condition: .deadLetters(above: 5, within: .seconds(600)), subject: "crm",
                                             notify: ["pager", "room"]), "every target by default")
        #expect(alerts.rules[1].condition == .refusals(reason: "invalid_signature", above: 10, within: .seconds(60)))
        #expect(alerts.rules[1].subject == "s" && alerts.rules[2].subject == nil)
        let room = try #require(config.destination(named: "alert:room"))
        #expect(room.url == "https://example.webhook.office.com/x" && room.body != nil && room.ordering != nil)
        #expect(config.destination(named: "alert:pager")?.body == nil, "a webhook gets the notice as it is")
    }

    @Test func mistakesAreNamedByTheirKeyPaths() {
        guard case .failure(let error) = decode(.map([
            "targets": .list([.map(["name": .string("x"), "type": .string("pagerduty"), "url": .string("ftp://x")])]),
            "rules": .list([
                .map(["name": .string("two"), "circuitOpen": .bool(true), "genesysAuth": .bool(true)]),
                .map(["name": .string("who"), "circuitOpen": .bool(true), "destination": .string("nope"), "notify": .list([.string("y")])]),
                .map(["name": .string("why"), "refusals": .map(["reason": .string("accepted")]), "destination": .string("crm")]),
                .map(["name": .string("old"), "oldestPending": .map([:])]),
                .map(["name": .string("gc"), "genesysAuth": .bool(true), "destination": .string("crm")]),
            ]),
        ]), destinations: [.map(["name": .string("alert:mine"), "url": .string("https://x.example/")])]) else {
            Issue.record("decoded bad alerts"); return
        }
        let text = error.description
        for expected in ["alerts.targets[0].type: must be one of webhook, slack, teams", "alerts.targets[0].url: must be an absolute",
                         "alerts.rules[0]: needs exactly one condition", "alerts.rules[1].destination: no destination is named \"nope\"",
                         "alerts.rules[1].notify[0]: no alert target is named \"y\"", "alerts.rules[2].refusals.reason: \"accepted\" is not a refusal's",
                         "alerts.rules[2].destination: unknown key", "alerts.rules[3].oldestPending.olderThan: is required",
                         "alerts.rules[4].destination: must be a genesys destination", "destinations[1].name: alert: names are kept"] {
            #expect(text.contains(expected), "\(expected)\n\(text)")
        }
    }
}

import Foundation
import PosternCore
import Testing

/// Genesys destinations: regions, the tutorial's path alias, and the Open Messaging mapping.
struct GenesysConfigTests {
    func decode(_ destination: [String: ConfigValue]) -> Result<GatewayConfig, ConfigProblems> {
        let root: [String: ConfigValue] = [
            "destinations": .list([.map(destination)]),
            "sources": .list([.map(["name": .string("s"), "path": .string("/hook"), "verify": .map(["preset": .string("none")]),
                                    "destinations": .list([.string("gc")])])]),
        ]
        return Result { () throws(ConfigProblems) in try GatewayConfig.decode(ConfigNode(.map(root)), baseDirectory: "/") }
    }

    let base: [String: ConfigValue] = [
        "name": .string("gc"), "type": .string("genesys"), "clientId": .string("id"), "clientSecret": .string("secret"),
        "integrationId": .string("int-1"),
    ]

    @Test(arguments: GenesysRegion.domains)
    func everyRegionMapsToItsHosts(_ region: (region: String, domain: String)) throws {
        for name in [region.domain, region.region, region.region.replacingOccurrences(of: "-", with: "_")] {
            let config = try decode(base.merging(["region": .string(name)]) { $1 }).get()
            let genesys = try #require(config.destinations.first?.genesys)
            #expect(genesys.apiBase == "https://api.\(region.domain)" && genesys.loginBase == "https://login.\(region.domain)")
            #expect(config.destinations.first?.url == "https://api.\(region.domain)/api/v2/conversations/messages/int-1/inbound/open/message")
        }
    }

    @Test func seventeenRegions() {
        #expect(Set(GenesysRegion.domains.map(\.domain)).count == 17)
    }

    @Test func theTutorialPathIsAnAliasAndOthersAreRefused() throws {
        let aliased = try decode(base.merging(["region": .string("mypurecloud.ie"),
                                               "path": .string("/api/v2/conversations/message/events")]) { $1 }).get()
        #expect(aliased.destinations.first?.url == "https://api.mypurecloud.ie/api/v2/conversations/messages/int-1/inbound/open/message")
        guard case .failure(let error) = decode(base.merging(["region": .string("moon.example"), "path": .string("/other"),
                                                              "requestsPerMinute": .int(0)]) { $1 }) else {
            Issue.record("decoded a bad Genesys destination"); return
        }
        let paths = error.problems.map(\.path)
        for expected in ["destinations[0].region", "destinations[0].path", "destinations[0].requestsPerMinute"] {
            #expect(paths.contains(expected), "no problem at \(expected): \(paths)")
        }
    }

    @Test func tutorialAndCognigyPayloadsBecomeOpenMessages() throws {
        let mapping = OpenMessagingMapping()
        let received = Date(timeIntervalSince1970: 1_800_000_000)
        let tutorial = Array(#"{"sessionId":"s1","userId":"u1","transcript":"I need help","timestamp":1764064800}"#.utf8)
        let cognigy = Array(#"{"userId":"u2","sessionId":"s2","AIOutput":{"text":"Hi from the bot","data":{}}}"#.utf8)
        for (body, user, text, time) in [(tutorial, "u1", "I need help", "2025-11-25T10:00:00.000Z"),
                                         (cognigy, "u2", "Hi from the bot", "2027-01-15T08:00:00.000Z")] {
            let message = try JSONSerialization.jsonObject(with: Data(try mapping.body(.message, from: body, eventID: "evt_1", receivedAt: received).get())) as! [String: Any]
            let channel = message["channel"] as! [String: Any]
            #expect(channel["messageId"] as? String == "evt_1")
            #expect(channel["time"] as? String == time)
            // A display name, never the raw user id, when the payload names none.
            #expect(channel["from"] as? [String: String] == ["id": user, "idType": "Opaque", "nickname": "Customer"])
            #expect(message["text"] as? String == text)
        }
        let missing = mapping.body(.message, from: Array(#"{"userId":"u"}"#.utf8), eventID: "e", receivedAt: received)
        #expect((try? missing.get()) == nil)
    }

    @Test func receiptsNeedAStatusAndGenesysDestinationsDeliverOneAtATime() throws {
        let mapping = OpenMessagingMapping()
        let received = Date(timeIntervalSince1970: 1_800_000_000)
        let noStatus = mapping.body(.receipt, from: Array(#"{"messageId":"m","userId":"u","status":"read"}"#.utf8), eventID: "e", receivedAt: received)
        #expect((try? noStatus.get()) == nil, "only Delivered and Failed are receipts Genesys takes")
        let typing = try mapping.body(.typing, from: Array(#"{"userId":"u"}"#.utf8), eventID: "e", receivedAt: received).get()
        #expect(try JSONParser.parse(typing).value(at: "/events/0/typing/type") == .string("On"))
        let config = try GatewayConfig.decode(ConfigNode(.map([
            "sources": .list([.map(["name": .string("s"), "path": .string("/s"), "verify": .map(["preset": .string("none")])])]),
            "destinations": .list([.map(["name": .string("g"), "type": .string("genesys"), "region": .string("mypurecloud.com"),
                                         "clientId": .string("c"), "clientSecret": .string("s"), "integrationId": .string("i"),
                                         "send": .string("receipt")])]),
        ])), baseDirectory: "/")
        #expect(config.destinations[0].concurrency == 1)
        #expect(config.destinations[0].url.hasSuffix("/inbound/open/receipt"))
    }

    @Test func genesysDestinationsOrderByTheCustomersIdUnlessToldOtherwise() throws {
        let region: [String: ConfigValue] = ["region": .string("mypurecloud.com")]
        let byDefault = try decode(base.merging(region) { $1 }).get().destinations[0]
        #expect(byDefault.ordering == DeliveryOrdering(key: .body(["/userId", "/from/id"]), onFailure: .skip))
        let mapped = try decode(base.merging(region) { $1 }.merging(["mapping": .map(["fromId": .list([.string("/customer/id")])])]) { $1 }).get()
        #expect(mapped.destinations[0].ordering?.key == .body(["/customer/id"]), "the mapping's sender id is the customer's")
        let none = try decode(base.merging(region) { $1 }.merging(["ordering": .string("none")]) { $1 }).get()
        #expect(none.destinations[0].ordering == nil)
        let blocking = try decode(base.merging(region) { $1 }.merging(["ordering": .map(["key": .string("header:X-Session"),
                                                                                        "onFailure": .string("block")])]) { $1 }).get()
        #expect(blocking.destinations[0].ordering == DeliveryOrdering(key: .header("x-session"), onFailure: .block))
    }
}

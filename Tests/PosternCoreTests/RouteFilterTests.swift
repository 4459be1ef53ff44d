import Testing
@testable import PosternCore

/// Routing filters: each operator on JSON values, form strings and headers, and what is refused at decoding.
struct RouteFilterTests {
    func filter(_ when: [String: ConfigValue]) -> RouteFilter? {
        var problems: [ConfigProblem] = []
        let filter = RouteFilter.decode(ConfigNode(.map(when), path: "when"), &problems)
        return problems.isEmpty ? filter : nil
    }

    func admits(_ when: [String: ConfigValue], _ document: JSONValue?, headers: [(name: String, value: String)] = []) -> Bool {
        filter(when)?.admits(document: document, headers: headers) ?? false
    }

    let call: JSONValue = .object([
        "channel": .string("voice"), "priority": .number(3), "vip": .bool(true), "note": .null,
        "agent": .object(["name": .string("Ana")]),
    ])

    @Test func eachOperatorOnJSON() {
        #expect(admits(["/channel": .string("voice")], call))
        #expect(!admits(["/channel": .string("chat")], call))
        #expect(admits(["/channel": .list([.string("chat"), .string("voice")])], call))
        #expect(admits(["/channel": .map(["ne": .string("chat")])], call))
        #expect(!admits(["/channel": .map(["ne": .string("voice")])], call))
        #expect(admits(["/missing": .map(["ne": .string("voice")])], call), "a missing field is not equal")
        #expect(admits(["/agent/name": .map(["exists": .bool(true)]), "/missing": .map(["exists": .bool(false)])], call))
        #expect(admits(["/note": .null], call) && admits(["/vip": .bool(true)], call))
        #expect(admits(["/priority": .map(["gte": .int(3), "lt": .double(3.5)])], call))
        #expect(!admits(["/priority": .map(["gt": .int(3)])], call))
        #expect(!admits(["/channel": .map(["gt": .int(0)])], call), "a word is not a number")
        #expect(admits(["/channel": .map(["prefix": .string("vo")])], call))
        #expect(admits(["/agent/name": .map(["matches": .string("^A[a-z]+$")])], call))
        #expect(!admits(["/agent": .map(["matches": .string(".*")])], call), "an object has no text")
        #expect(!admits(["/channel": .string("voice")], nil), "a body without fields matches no body condition")
    }

    @Test func formStringsAndHeadersCompareAsText() {
        let form: JSONValue = .object(["score": .string("4"), "flag": .string("true")])
        #expect(admits(["/score": .int(4), "/flag": .bool(true)], form))
        #expect(admits(["/score": .map(["gt": .double(3.5)])], form))
        #expect(!admits(["/score": .map(["gt": .int(4)])], form))
        let headers = [(name: "X-Tier", value: "gold")]
        #expect(admits(["header:x-tier": .string("gold")], nil, headers: headers))
        #expect(!admits(["header:X-Tier": .string("silver")], nil, headers: headers))
        #expect(!admits(["header:X-Other": .map(["exists": .bool(true)])], nil, headers: headers))
        #expect(filter(["header:X-Tier": .string("gold")])?.headerNames == ["x-tier"])
    }

    @Test func badFiltersAreRefusedWithTheirPath() {
        var problems: [ConfigProblem] = []
        _ = RouteFilter.decode(ConfigNode(.map([
            "channel": .string("voice"), "/a": .map(["between": .int(1)]), "/b": .map(["matches": .string("(")]),
            "/c": .map(["in": .string("voice")]), "/d": .map(["gt": .string("high")]), "/e": .map([:]),
        ]), path: "when"), &problems)
        let paths = Set(problems.map(\.path))
        #expect(paths == ["when.channel", "when./a.between", "when./b.matches", "when./c.in", "when./d.gt", "when./e"])
    }
}

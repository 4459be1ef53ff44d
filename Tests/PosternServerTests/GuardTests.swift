import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PosternCore
import PosternServer
import Synchronization
import Testing

/// The guards before verification, on a live loopback server: allowed addresses behind trusted and untrusted
/// peers, and rate limits with a pinned clock.
struct GuardTests {
    static let yaml = """
        trustedProxies: [127.0.0.1/32]
        sources:
          - name: office
            path: /office
            verify: {preset: none}
            allowIPs: [198.51.100.0/24, "2001:db8::/32"]
          - name: genesys
            path: /genesys
            verify: {preset: genesys-hmac, secrets: [g]}
          - name: open
            path: /open
            verify: {preset: none}
            rateLimit: {perSecond: 2, burst: 3}
        """

    func live(_ gateway: TestGateway, trusted: Bool, elapsed: @escaping @Sendable () -> Duration = { .zero },
              _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let store = try await gateway.openStore()
        let live = gateway.live(rateLimiter: RateLimiter(sources: gateway.sources.sources, elapsed: elapsed),
                                callers: CallerResolver(trustedProxies: trusted ? [CIDR("127.0.0.1/32")!] : []))
        try await TestGateway.listening(Ingest(live: live, store: store, observer: gateway.observer, clock: WallClock { TestGateway.now }), body)
        try await store.close()
    }

    func post(_ client: some TestClientProtocol, _ path: String, forwardedFor: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let forwardedFor { headers[HTTPField.Name("X-Forwarded-For")!] = forwardedFor }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: "{\"n\":\(Int.random(in: 0..<1_000_000))}"))
    }

    @Test func allowlistBehindATrustedProxyUsesTheForwardedAddress() async throws {
        let gateway = try TestGateway(Self.yaml)
        try await live(gateway, trusted: true) { client in
            let allowed = try await post(client, "/office", forwardedFor: "198.51.100.20")
            #expect(allowed.status == .ok)
            let v6 = try await post(client, "/office", forwardedFor: "2001:db8::9")
            #expect(v6.status == .ok)
            let outside = try await post(client, "/office", forwardedFor: "203.0.113.5")
            #expect(outside.status == .forbidden)
            #expect(outside.json["error"] as? String == "ip_not_allowed")
            let spoofedLeft = try await post(client, "/office", forwardedFor: "198.51.100.20, 203.0.113.5")
            #expect(spoofedLeft.status == .forbidden, "only the right-most untrusted hop counts")
        }
        let callers = try gateway.auditLines().map { $0["caller"] as? String }
        #expect(callers.contains("198.51.100.20") && callers.contains("203.0.113.5"))
    }

    @Test func anUntrustedPeersForwardedForIsIgnored() async throws {
        let gateway = try TestGateway(Self.yaml)
        try await live(gateway, trusted: false) { client in
            let spoofed = try await post(client, "/office", forwardedFor: "198.51.100.20")
            #expect(spoofed.status == .forbidden)
            let open = try await post(client, "/open")
            #expect(open.status == .ok, "a source without allowIPs takes every address")
        }
        #expect(try gateway.auditLines().allSatisfy { $0["caller"] as? String == "127.0.0.1" })
    }

    @Test func rateLimitAllowsTheBurstThenAnswers429WithRetryAfter() async throws {
        let gateway = try TestGateway(Self.yaml)
        let now = Mutex(50.0)
        try await live(gateway, trusted: false, elapsed: { .seconds(now.withLock { $0 }) }) { client in
            for _ in 0..<3 {
                let response = try await post(client, "/open")
                #expect(response.status == .ok)
            }
            let limited = try await post(client, "/open")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.json["error"] as? String == "rate_limited")
            #expect(limited.headers[.retryAfter] == "1")
            now.withLock { $0 += 0.5 }
            let refilled = try await post(client, "/open")
            #expect(refilled.status == .ok)
        }
    }

    @Test func genesysHmacPresetBringsItsRateLimit() throws {
        let gateway = try TestGateway(Self.yaml)
        #expect(gateway.sources.source(named: "genesys")?.rateLimit == RateLimit(perSecond: 15, burst: 20))
        #expect(gateway.sources.source(named: "open")?.rateLimit == RateLimit(perSecond: 2, burst: 3))
        #expect(gateway.sources.source(named: "office")?.rateLimit == nil)
    }
}

import PosternCore
import Testing

/// Addresses, ranges, and who the caller is behind trusted proxies.
struct CallerResolverTests {
    func ip(_ text: String) -> IPAddress { IPAddress(text)! }

    @Test func parsesAddresses() {
        #expect(IPAddress("192.0.2.1")?.isIPv4 == true)
        #expect(IPAddress("::ffff:192.0.2.1") == IPAddress("192.0.2.1"))
        #expect(IPAddress("2001:db8::1")?.bytes == [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])
        #expect(IPAddress(packed: [192, 0, 2, 1]) == IPAddress("192.0.2.1"))
        #expect(IPAddress(packed: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]) == IPAddress("2001:db8::1"))
        #expect(IPAddress(packed: [1, 2, 3]) == nil)
        // Only well-formed addresses: no signs (UInt8("+0") reads 0), no zones, no non-ASCII digits.
        for invalid in ["", "1.2.3", "1.2.3.256", "01.2.3.4", "1::2::3", "2001:db8::g", "1:2:3:4:5:6:7:8:9", "example.com",
                        "127.+0.+0.+5", "127.0.0.5%lo", "fe80::1%eth0", "::+1", "1.2.3.-4", "1.2.3.٤", "+1::"] {
            #expect(IPAddress(invalid) == nil, "\(invalid)")
        }
    }

    @Test func rangesContainTheirAddressesOnly() {
        let v4 = CIDR("10.1.0.0/16")!
        #expect(v4.contains(ip("10.1.255.7")))
        #expect(!v4.contains(ip("10.2.0.1")))
        #expect(!v4.contains(ip("::ffff:10.2.0.1")))
        let v6 = CIDR("2001:db8::/32")!
        #expect(v6.contains(ip("2001:db8:ffff::1")))
        #expect(!v6.contains(ip("2001:db9::1")))
        #expect(!v6.contains(ip("10.1.0.1")))
        #expect(CIDR("0.0.0.0/0")!.contains(ip("203.0.113.9")))
        #expect(!CIDR("0.0.0.0/0")!.contains(ip("2001:db8::1")))
        #expect(CIDR("192.0.2.1")!.contains(ip("192.0.2.1")))
        #expect(CIDR("10.0.0.0/33") == nil)
        #expect(CIDR("10.0.0.0/-1") == nil)
        #expect(CIDR("::/129") == nil)
    }

    @Test func anUntrustedPeerCannotClaimAnotherAddress() {
        let resolver = CallerResolver(trustedProxies: [CIDR("10.0.0.0/8")!])
        #expect(resolver.caller(peer: ip("203.0.113.9"), forwardedFor: ["198.51.100.1"]) == ip("203.0.113.9"))
    }

    @Test func behindTrustedProxiesTheRightMostUntrustedHopIsTheCaller() {
        let resolver = CallerResolver(trustedProxies: [CIDR("10.0.0.0/8")!, CIDR("2001:db8::/32")!])
        #expect(resolver.caller(peer: ip("10.0.0.2"), forwardedFor: ["198.51.100.1, 203.0.113.9"]) == ip("203.0.113.9"))
        #expect(resolver.caller(peer: ip("10.0.0.2"), forwardedFor: ["6.6.6.6", "203.0.113.9, 10.0.0.5"]) == ip("203.0.113.9"))
        #expect(resolver.caller(peer: ip("2001:db8::2"), forwardedFor: ["2001:db8::7, 10.9.9.9"]) == ip("2001:db8::7"))
        #expect(resolver.caller(peer: ip("10.0.0.2"), forwardedFor: []) == ip("10.0.0.2"))
        #expect(resolver.caller(peer: ip("10.0.0.2"), forwardedFor: ["203.0.113.9, garbage"]) == ip("10.0.0.2"))
    }

    @Test func tokenBucketAllowsTheBurstThenTheRate() {
        var bucket = TokenBucket(RateLimit(perSecond: 15, burst: 20))
        for _ in 0..<20 { #expect(bucket.take(at: .seconds(100)) == .allowed) }
        guard case .limited(let wait) = bucket.take(at: .seconds(100)) else { Issue.record("the 21st request passed"); return }
        #expect(abs(wait.seconds - 1.0 / 15) < 1e-9)
        #expect(bucket.take(at: .seconds(100 + 1.0 / 15)) == .allowed)
        #expect(bucket.take(at: .seconds(100 + 1.0 / 15)) != .allowed)
        #expect(bucket.take(at: .seconds(1000)) == .allowed, "a long pause refills the bucket")
        for _ in 0..<19 { #expect(bucket.take(at: .seconds(1000)) == .allowed) }
        #expect(bucket.take(at: .seconds(1000)) != .allowed, "but never beyond the burst")
    }

    @Test func theBucketSaysHowLongUntilItsNextToken() {
        var bucket = TokenBucket(RateLimit(perSecond: 4, burst: 1))
        #expect(bucket.untilNextToken(at: .seconds(10)) == .zero, "a full bucket holds one now")
        #expect(bucket.take(at: .seconds(10)) == .allowed)
        #expect(abs(bucket.untilNextToken(at: .seconds(10)).seconds - 0.25) < 1e-9)
        #expect(abs(bucket.untilNextToken(at: .seconds(10.1)).seconds - 0.15) < 1e-9)
        #expect(bucket.untilNextToken(at: .seconds(10.25)) == .zero)
    }
}

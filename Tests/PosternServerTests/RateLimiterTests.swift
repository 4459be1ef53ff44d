import PosternCore
import PosternServer
import Synchronization
import Testing

/// Rate-limit accounting with a pinned clock: the source's budget for verified requests, refused requests counted
/// per caller address, and the shared bucket once too many addresses are tracked.
struct RateLimiterTests {
    static let yaml = """
        sources:
          - {name: open, path: /open, verify: {preset: none}, rateLimit: {perSecond: 1, burst: 3}}
          - {name: free, path: /free, verify: {preset: none}}
        """

    let attacker = IPAddress("203.0.113.66")!
    let sender = IPAddress("198.51.100.7")!

    /// Seconds on the limiter's clock, moved by the test.
    final class Clock: Sendable {
        let seconds = Mutex(0.0)
    }

    func limiter(_ clock: Clock = Clock()) throws -> RateLimiter {
        RateLimiter(sources: try TestGateway(Self.yaml).sources.sources, elapsed: { .seconds(clock.seconds.withLock { $0 }) })
    }

    @Test func refusedRequestsSpendTheirCallersBucketOnly() throws {
        let clock = Clock()
        let limiter = try limiter(clock)
        for _ in 0..<3 { limiter.recordRefusal("open", caller: attacker) }
        #expect(limiter.throttled("open", caller: attacker)?.reason == .rateLimited)
        #expect(limiter.throttled("open", caller: sender) == nil)
        for _ in 0..<3 { #expect(limiter.admit("open") == nil, "the sender's budget is whole") }
        #expect(limiter.admit("open")?.reason == .rateLimited)
        clock.seconds.withLock { $0 = 1 }
        #expect(limiter.throttled("open", caller: attacker) == nil, "a refused-request token is back after 1/rate")
    }

    @Test func sourcesWithoutARateLimitAreNeverThrottled() throws {
        let limiter = try limiter()
        for _ in 0..<100 { limiter.recordRefusal("free", caller: attacker) }
        #expect(limiter.throttled("free", caller: attacker) == nil)
        #expect(limiter.admit("free") == nil)
    }

    @Test func aReloadKeepsWhatAnUnchangedLimitHasSpent() throws {
        let clock = Clock()
        let limiter = try limiter(clock)
        for _ in 0..<3 { #expect(limiter.admit("open") == nil) }
        for _ in 0..<3 { limiter.recordRefusal("open", caller: attacker) }
        // The same limit after a reload: the spent budget and the attacker's bucket carry over, no fresh burst.
        let same = RateLimiter(sources: try TestGateway(Self.yaml).sources.sources, continuing: limiter)
        #expect(same.admit("open")?.reason == .rateLimited)
        #expect(same.throttled("open", caller: attacker)?.reason == .rateLimited)
        clock.seconds.withLock { $0 = 1 }
        #expect(same.admit("open") == nil, "the old clock goes on: a token is back after 1/rate")
        // A changed limit starts full.
        let changed = RateLimiter(sources: try TestGateway(Self.yaml.replacingOccurrences(of: "burst: 3", with: "burst: 5")).sources.sources,
                                  continuing: same)
        for _ in 0..<5 { #expect(changed.admit("open") == nil) }
        #expect(changed.throttled("open", caller: attacker) == nil)
    }

    @Test func pastTheTrackedCallersRefusedCallersShareOneBucket() throws {
        let limiter = try limiter()
        for index in 0..<RateLimiter.maxTrackedCallers {
            limiter.recordRefusal("open", caller: IPAddress(packed: [10, UInt8(index >> 16 & 0xFF), UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF)]))
        }
        let newcomer = IPAddress("192.0.2.200")!
        for _ in 0..<3 { limiter.recordRefusal("open", caller: newcomer) }
        #expect(limiter.throttled("open", caller: newcomer)?.reason == .rateLimited)
        #expect(limiter.throttled("open", caller: IPAddress("192.0.2.201")!)?.reason == .rateLimited,
                "an untracked caller is held to the shared bucket")
    }
}

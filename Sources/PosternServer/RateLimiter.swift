import Foundation
import PosternCore
import Synchronization

/// The token buckets of every rate-limited source, kept per instance (a limit across instances would need a
/// shared store; per-instance buckets are the honest design behind a load balancer: N instances allow N × the rate).
public final class RateLimiter: Sendable {
    private let buckets: Mutex<[String: TokenBucket]>
    /// Seconds on a monotonic clock; tests pass their own.
    private let clock: @Sendable () -> Double

    public init(sources: [Source], clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        var buckets: [String: TokenBucket] = [:]
        for source in sources {
            if let limit = source.rateLimit { buckets[source.name] = TokenBucket(limit) }
        }
        self.buckets = Mutex(buckets)
        self.clock = clock
    }

    /// Takes a token for the source; a refusal carries the whole seconds until one is back.
    public func admit(_ source: String) -> Refusal? {
        let now = clock()
        let answer = buckets.withLock { buckets -> TokenBucket.Answer in
            buckets[source]?.take(at: now) ?? .allowed
        }
        guard case .limited(let retryAfter) = answer else { return nil }
        return Refusal(.rateLimited, "this source takes at most its configured rate; retry later",
                       retryAfter: max(1, Int(saturating: retryAfter.rounded(.up))))
    }

    public static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

import Foundation
import PosternCore
import Synchronization

/// The token buckets of every rate-limited source, kept per instance (a limit across instances would need a
/// shared store; per-instance buckets are the honest design behind a load balancer: N instances allow N × the rate).
///
/// A source's budget is spent only by requests that pass verification, so a caller with a wrong secret cannot use
/// up the real sender's rate. Requests refused by verification (or for their body) are counted per caller address
/// instead, in a bucket of the same size: an address that keeps sending them is answered 429 before its body is read,
/// while every other address, the sender's among them, goes on as before.
public final class RateLimiter: Sendable {
    /// A caller of one source; a nil address stands for callers without one, and for the overflow bucket.
    private struct Caller: Hashable {
        var source: String
        var address: IPAddress?
    }

    /// The most callers tracked at once; past it, refused callers share one bucket per source.
    public static let maxTrackedCallers = 10_000

    private let limits: [String: RateLimit]
    private let buckets: Mutex<[String: TokenBucket]>
    private let refusals: Mutex<[Caller: TokenBucket]>
    /// Time elapsed on `ContinuousClock` since the limiter was made: the buckets' time line. Tests pass their own.
    private let elapsed: @Sendable () -> Duration

    public init(sources: [Source], elapsed: (@Sendable () -> Duration)? = nil) {
        let limits = Self.limits(sources)
        self.limits = limits
        self.buckets = Mutex(limits.mapValues(TokenBucket.init))
        self.refusals = Mutex([:])
        let start = ContinuousClock.now
        self.elapsed = elapsed ?? { ContinuousClock.now - start }
    }

    /// The limiter for a reloaded configuration: a source whose limit did not change keeps its buckets (what it and
    /// its refused callers have spent), so a reload never hands out a fresh burst; a new or changed limit starts full.
    public init(sources: [Source], continuing previous: RateLimiter) {
        let limits = Self.limits(sources)
        self.limits = limits
        let kept = Set(limits.keys.filter { previous.limits[$0] == limits[$0] })
        let spent = previous.buckets.withLock { $0 }
        self.buckets = Mutex(limits.reduce(into: [:]) { buckets, entry in
            buckets[entry.key] = kept.contains(entry.key) ? spent[entry.key] : TokenBucket(entry.value)
        })
        self.refusals = Mutex(previous.refusals.withLock { $0.filter { kept.contains($0.key.source) } })
        self.elapsed = previous.elapsed
    }

    private static func limits(_ sources: [Source]) -> [String: RateLimit] {
        sources.reduce(into: [:]) { limits, source in
            if let limit = source.rateLimit { limits[source.name] = limit }
        }
    }

    /// Takes a token of the source's budget for a verified request; a refusal carries the whole seconds until one is back.
    public func admit(_ source: String) -> Refusal? {
        let now = elapsed()
        let answer = buckets.withLock { buckets -> TokenBucket.Answer in
            buckets[source]?.take(at: now) ?? .allowed
        }
        return Self.refusal(answer, "this source takes at most its configured rate; retry later")
    }

    /// Whether this caller has sent the source more refused requests than its rate allows; checked before the body.
    public func throttled(_ source: String, caller: IPAddress?) -> Refusal? {
        guard limits[source] != nil else { return nil }
        let now = elapsed()
        let available = refusals.withLock { refusals in
            let own = refusals[Caller(source: source, address: caller)]
            let shared = refusals.count >= Self.maxTrackedCallers ? refusals[Caller(source: source, address: nil)] : nil
            return (own ?? shared)?.available(at: now)
        }
        guard available == 0 else { return nil }
        return Refusal(.rateLimited, "too many refused requests from this address; retry later", retryAfter: 1)
    }

    /// Counts a request from this caller that verification (or the body limit) refused.
    public func recordRefusal(_ source: String, caller: IPAddress?) {
        guard let limit = limits[source] else { return }
        let now = elapsed()
        refusals.withLock { refusals in
            var key = Caller(source: source, address: caller)
            if refusals[key] == nil, refusals.count >= Self.maxTrackedCallers {
                refusals = refusals.filter { $0.value.available(at: now) < $0.value.limit.burst }
                if refusals.count >= Self.maxTrackedCallers { key.address = nil }
            }
            _ = refusals[key, default: TokenBucket(limit)].take(at: now)
        }
    }

    private static func refusal(_ answer: TokenBucket.Answer, _ message: String) -> Refusal? {
        guard case .limited(let retryAfter) = answer else { return nil }
        return Refusal(.rateLimited, message, retryAfter: max(1, Int(saturating: retryAfter.seconds.rounded(.up))))
    }
}

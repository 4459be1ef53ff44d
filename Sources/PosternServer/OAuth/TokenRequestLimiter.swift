import PosternCore
import Synchronization

/// The token endpoint's rate limit: one token bucket per client id and caller address, so a caller guessing secrets
/// for one client is slowed without slowing the real client calling from elsewhere. Bounded: past
/// `maxTracked` pairs, the full buckets are dropped, and if that is not enough the newcomers share one bucket.
final class TokenRequestLimiter: Sendable {
    private struct Key: Hashable {
        var client: String
        var caller: IPAddress?
    }

    static let maxTracked = 10_000

    let limit: RateLimit
    private let buckets = Mutex<[Key: TokenBucket]>([:])
    private let start = ContinuousClock.now

    init(limit: RateLimit) {
        self.limit = limit
    }

    /// The limiter for a reloaded configuration: the same one when the limit did not change, so a reload hands out
    /// no fresh burst.
    static func continuing(_ previous: TokenRequestLimiter?, limit: RateLimit) -> TokenRequestLimiter {
        if let previous, previous.limit == limit { return previous }
        return TokenRequestLimiter(limit: limit)
    }

    /// Takes a token for this client and caller; the whole seconds until one is back when none is left.
    func admit(client: String, caller: IPAddress?) -> Int? {
        let now = ContinuousClock.now - start
        let answer = buckets.withLock { buckets -> TokenBucket.Answer in
            var key = Key(client: client, caller: caller)
            if buckets[key] == nil, buckets.count >= Self.maxTracked {
                buckets = buckets.filter { $0.value.available(at: now) < $0.value.limit.burst }
                if buckets.count >= Self.maxTracked { key = Key(client: "", caller: nil) }
            }
            return buckets[key, default: TokenBucket(limit)].take(at: now)
        }
        guard case .limited(let retryAfter) = answer else { return nil }
        return max(1, Int(saturating: retryAfter.seconds.rounded(.up)))
    }
}

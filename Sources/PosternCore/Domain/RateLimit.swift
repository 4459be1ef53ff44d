/// A source's rate limit: a token bucket refilled at `perSecond`, holding at most `burst` requests.
public struct RateLimit: Sendable, Equatable, Encodable {
    public var perSecond: Double
    public var burst: Int

    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }
}

/// One token bucket's state; time is passed in (seconds on a monotonic clock), so tests pin it.
public struct TokenBucket: Sendable {
    /// What the bucket says to one request.
    public enum Answer: Sendable, Equatable {
        case allowed
        /// Refused; a token is back after this many seconds.
        case limited(retryAfter: Double)
    }

    public let limit: RateLimit
    private var tokens: Double
    private var updatedAt: Double?

    public init(_ limit: RateLimit) {
        self.limit = limit
        self.tokens = Double(limit.burst)
    }

    public mutating func take(at now: Double) -> Answer {
        if let updatedAt {
            tokens = min(Double(limit.burst), tokens + max(0, now - updatedAt) * limit.perSecond)
        }
        updatedAt = now
        // A token refilled in exactly 1/rate seconds must count, whatever the rounding of the sum.
        guard tokens >= 1 - 1e-9 else { return .limited(retryAfter: (1 - tokens) / limit.perSecond) }
        tokens = max(0, tokens - 1)
        return .allowed
    }

    /// How many whole tokens the bucket holds at `now`, without taking any.
    public func available(at now: Double) -> Int {
        let refilled = updatedAt.map { min(Double(limit.burst), tokens + max(0, now - $0) * limit.perSecond) } ?? tokens
        return Int(saturating: (refilled + 1e-9).rounded(.down))
    }
}

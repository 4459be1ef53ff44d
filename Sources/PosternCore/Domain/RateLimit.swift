/// A rate limit (a source's requests, a destination's deliveries): a token bucket refilled at `perSecond`, holding at most `burst` requests.
public struct RateLimit: Sendable, Equatable, Encodable {
    public var perSecond: Double
    public var burst: Int

    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }
}

/// One token bucket's state; time is passed in (the time elapsed on the caller's clock), so tests pin it.
public struct TokenBucket: Sendable {
    /// What the bucket says to one request.
    public enum Answer: Sendable, Equatable {
        case allowed
        /// Refused; a token is back after this long.
        case limited(retryAfter: Duration)
    }

    public let limit: RateLimit
    private var tokens: Double
    private var updatedAt: Duration?

    public init(_ limit: RateLimit) {
        self.limit = limit
        self.tokens = Double(limit.burst)
    }

    public mutating func take(at now: Duration) -> Answer {
        tokens = refilled(at: now)
        updatedAt = now
        // A token refilled in exactly 1/rate seconds must count, whatever the rounding of the sum.
        guard tokens >= 1 - 1e-9 else { return .limited(retryAfter: Duration(secondsSaturating: (1 - tokens) / limit.perSecond)) }
        tokens = max(0, tokens - 1)
        return .allowed
    }

    /// How many whole tokens the bucket holds at `now`, without taking any.
    public func available(at now: Duration) -> Int {
        Int(saturating: (refilled(at: now) + 1e-9).rounded(.down))
    }

    /// How long from `now` until the bucket holds a whole token: zero when it holds one already.
    public func untilNextToken(at now: Duration) -> Duration {
        let tokens = refilled(at: now)
        guard tokens < 1 - 1e-9 else { return .zero }
        return Duration(secondsSaturating: (1 - tokens) / limit.perSecond)
    }

    private func refilled(at now: Duration) -> Double {
        guard let updatedAt else { return tokens }
        return min(Double(limit.burst), tokens + max(0, (now - updatedAt).seconds) * limit.perSecond)
    }
}

/// When a failed delivery is tried again, and when it is given up: exponential backoff with full jitter,
/// `Retry-After` honoured up to a cap, a maximum number of attempts and a maximum age. Durations in seconds.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var minDelay: Double
    public var maxDelay: Double
    /// Seconds after enqueueing (or replaying) past which a delivery is not tried again.
    public var maxAge: Double
    /// The longest `Retry-After` obeyed; a backend asking for a longer wait gets the delivery dead-lettered
    /// rather than retried sooner than it asked.
    public var retryAfterCap: Double

    public init(maxAttempts: Int = 20, minDelay: Double = 1, maxDelay: Double = 600, maxAge: Double = 86_400,
                retryAfterCap: Double = 180) {
        self.maxAttempts = maxAttempts
        self.minDelay = minDelay
        self.maxDelay = maxDelay
        self.maxAge = maxAge
        self.retryAfterCap = retryAfterCap
    }

    /// The wait after the `attempt`-th failure (1-based): uniform between `minDelay` and
    /// `min(maxDelay, minDelay · 2^(attempt-1))`, `random` being a number in 0..<1.
    public func backoff(afterAttempt attempt: Int, random: Double) -> Double {
        let ceiling = min(maxDelay, minDelay * Double(1 << min(max(attempt - 1, 0), 40)))
        return minDelay + (max(ceiling, minDelay) - minDelay) * random
    }

    /// What to do after an attempt: `attempts` counts it, `age` is seconds since the delivery was enqueued.
    public func decide(_ result: AttemptResult, attempts: Int, age: Double, random: Double) -> DeliveryVerdict {
        let failure: String
        switch result.classification {
        case .delivered: return .delivered
        case .permanent(let reason): return .dead(reason: reason)
        case .transient(let reason): failure = reason
        }
        let delay: Double
        if let asked = result.retryAfter {
            guard asked <= retryAfterCap else {
                return .dead(reason: "\(failure); the backend asked to wait \(Int(saturating: asked.rounded())) s, more than retryAfterCap (\(Int(saturating: retryAfterCap)) s)")
            }
            delay = asked
        } else {
            delay = backoff(afterAttempt: attempts, random: random)
        }
        if attempts >= maxAttempts {
            return .dead(reason: "\(failure); gave up after \(counted(attempts, "attempt")) (maxAttempts)")
        }
        if age + delay > maxAge {
            return .dead(reason: "\(failure); gave up: the next attempt would pass maxAge (\(Int(saturating: maxAge)) s)")
        }
        return .retry(after: delay, reason: failure)
    }
}

/// The outcome of deciding on an attempt.
public enum DeliveryVerdict: Sendable, Equatable {
    case delivered
    case retry(after: Double, reason: String)
    case dead(reason: String)
}

/// When a failed delivery is tried again, and when it is given up: exponential backoff with full jitter,
/// `Retry-After` honoured up to a cap, a maximum number of attempts and a maximum age.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var minDelay: Duration
    public var maxDelay: Duration
    /// The time after enqueueing (or replaying) past which a delivery is not tried again.
    public var maxAge: Duration
    /// The longest `Retry-After` obeyed; a backend asking for a longer wait gets the delivery dead-lettered
    /// rather than retried sooner than it asked.
    public var retryAfterCap: Duration

    public init(maxAttempts: Int = 20, minDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(600),
                maxAge: Duration = .seconds(86_400), retryAfterCap: Duration = .seconds(180)) {
        self.maxAttempts = maxAttempts
        self.minDelay = minDelay
        self.maxDelay = maxDelay
        self.maxAge = maxAge
        self.retryAfterCap = retryAfterCap
    }
}

/// The outcome of deciding on an attempt.
public enum DeliveryVerdict: Sendable, Equatable {
    case delivered
    case retry(after: Duration, reason: String)
    case dead(reason: String)
}

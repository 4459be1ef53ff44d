import PosternCore

/// The retry decision after an attempt: backoff with full jitter, `Retry-After` up to its cap, and giving up.
extension RetryPolicy {
    /// The wait after the `attempt`-th failure (1-based): uniform between `minDelay` and
    /// `min(maxDelay, minDelay · 2^(attempt-1))`, `random` being a number in 0..<1.
    public func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        let minimum = minDelay.seconds
        let ceiling = min(maxDelay.seconds, minimum * Double(1 << min(max(attempt - 1, 0), 40)))
        return Duration(secondsSaturating: minimum + (max(ceiling, minimum) - minimum) * random)
    }

    /// What to do after an attempt: `attempts` counts it, `age` is the time since the delivery was enqueued.
    public func decide(_ result: AttemptResult, attempts: Int, age: Duration, random: Double) -> DeliveryVerdict {
        let failure: String
        switch result.classification {
        case .delivered: return .delivered
        case .permanent(let reason): return .dead(reason: reason)
        case .transient(let reason): failure = reason
        }
        let delay: Duration
        if let asked = result.retryAfter {
            guard asked <= retryAfterCap else {
                return .dead(reason: "\(failure); the backend asked to wait \(Int(saturating: asked.seconds.rounded())) s, more than retryAfterCap (\(Int(saturating: retryAfterCap.seconds)) s)")
            }
            delay = asked
        } else {
            delay = backoff(afterAttempt: attempts, random: random)
        }
        if attempts >= maxAttempts {
            return .dead(reason: "\(failure); gave up after \(counted(attempts, "attempt")) (maxAttempts)")
        }
        if age + delay > maxAge {
            return .dead(reason: "\(failure); gave up: the next attempt would pass maxAge (\(Int(saturating: maxAge.seconds)) s)")
        }
        return .retry(after: delay, reason: failure)
    }
}

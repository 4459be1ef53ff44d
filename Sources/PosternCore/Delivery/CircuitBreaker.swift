import Foundation

/// When a destination's circuit opens, and how long it stays open before a probe.
public struct CircuitBreakerPolicy: Sendable, Equatable {
    /// Consecutive outage-like attempts (no answer, or 5xx) that open the circuit.
    public var failureThreshold: Int
    /// Seconds the circuit stays open before one probe delivery is let through.
    public var cooldown: Double

    public init(failureThreshold: Int = 5, cooldown: Double = 30) {
        self.failureThreshold = failureThreshold
        self.cooldown = cooldown
    }
}

/// One destination's circuit breaker. Closed, every due delivery may go; after `failureThreshold` outage-like
/// attempts in a row it opens and nothing goes (waiting deliveries spend no attempts); after `cooldown` one probe
/// goes: an answer closes the circuit, another failure opens it again. A `Retry-After` pauses the destination too.
/// Time is passed in.
public struct CircuitBreaker: Sendable {
    public enum State: String, Sendable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    public let policy: CircuitBreakerPolicy
    public private(set) var state = State.closed
    private var consecutiveFailures = 0
    private var openUntil = Date.distantPast
    private var pausedUntil = Date.distantPast
    private var probeInFlight = false

    public init(policy: CircuitBreakerPolicy) {
        self.policy = policy
    }

    /// How many deliveries may start now: unlimited when closed, one probe when the cooldown is over, else none.
    /// A granted probe must be followed by `record` or `cancelProbe`.
    public mutating func admit(now: Date) -> Int {
        guard now >= pausedUntil else { return 0 }
        switch state {
        case .closed:
            return .max
        case .open where now >= openUntil:
            state = .halfOpen
            probeInFlight = true
            return 1
        case .halfOpen where !probeInFlight:
            probeInFlight = true
            return 1
        case .open, .halfOpen:
            return 0
        }
    }

    /// Gives back a probe that found nothing to deliver.
    public mutating func cancelProbe() {
        probeInFlight = false
    }

    /// Takes an attempt's result into account.
    public mutating func record(_ result: AttemptResult, now: Date) {
        if let wait = result.retryAfter { pausedUntil = max(pausedUntil, now.addingTimeInterval(wait)) }
        if result.suggestsOutage {
            consecutiveFailures += 1
            if state == .halfOpen || consecutiveFailures >= policy.failureThreshold {
                if state == .halfOpen { probeInFlight = false }
                state = .open
                openUntil = now.addingTimeInterval(policy.cooldown)
            }
        } else {
            consecutiveFailures = 0
            state = .closed
            probeInFlight = false
        }
    }
}

import Foundation
import PosternCore

/// One destination's circuit breaker. Closed, every due delivery may go; after `failureThreshold` outage-like
/// attempts in a row it opens and nothing goes (waiting deliveries spend no attempts); after `cooldown` one probe
/// goes: an answer closes the circuit, another failure opens it again. A `Retry-After` pauses the destination too.
/// Time is passed in.
public struct CircuitBreaker: Sendable {
    /// The state's name, for metrics and the admin API.
    public enum State: String, Sendable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    /// Where the breaker is, with what that state needs to know.
    enum Phase: Sendable, Equatable {
        case closed(failures: Int)
        case open(until: Date)
        case halfOpen(probeInFlight: Bool)
    }

    public let policy: CircuitBreakerPolicy
    private(set) var phase = Phase.closed(failures: 0)
    /// Until when the destination asked to be left alone (`Retry-After`), whatever the phase.
    private var pausedUntil = Date.distantPast

    public init(policy: CircuitBreakerPolicy) {
        self.policy = policy
    }

    public var state: State {
        switch phase {
        case .closed: .closed
        case .open: .open
        case .halfOpen: .halfOpen
        }
    }

    /// How many deliveries may start now: unlimited when closed, one probe when the cooldown is over, else none.
    /// A granted probe must be followed by `record` or `cancelProbe`.
    public mutating func admit(now: Date) -> Int {
        guard now >= pausedUntil else { return 0 }
        switch phase {
        case .closed:
            return .max
        case .open(let until):
            guard now >= until else { return 0 }
            phase = .halfOpen(probeInFlight: true)
            return 1
        case .halfOpen(let probeInFlight):
            guard !probeInFlight else { return 0 }
            phase = .halfOpen(probeInFlight: true)
            return 1
        }
    }

    /// Gives back a probe that found nothing to deliver.
    public mutating func cancelProbe() {
        if case .halfOpen = phase { phase = .halfOpen(probeInFlight: false) }
    }

    /// Takes an attempt's result into account.
    public mutating func record(_ result: AttemptResult, now: Date) {
        if let wait = result.retryAfter { pausedUntil = max(pausedUntil, now.adding(wait)) }
        guard result.suggestsOutage else {
            phase = .closed(failures: 0)
            return
        }
        switch phase {
        case .closed(let failures) where failures + 1 < policy.failureThreshold:
            phase = .closed(failures: failures + 1)
        case .closed, .open, .halfOpen:
            phase = .open(until: now.addingTimeInterval(policy.cooldown.seconds))
        }
    }
}

/// When a destination's circuit opens, and how long it stays open before a probe.
public struct CircuitBreakerPolicy: Sendable, Equatable {
    /// Consecutive outage-like attempts (no answer, or 5xx) that open the circuit.
    public var failureThreshold: Int
    /// How long the circuit stays open before one probe delivery is let through.
    public var cooldown: Duration

    public init(failureThreshold: Int = 5, cooldown: Duration = .seconds(30)) {
        self.failureThreshold = failureThreshold
        self.cooldown = cooldown
    }
}

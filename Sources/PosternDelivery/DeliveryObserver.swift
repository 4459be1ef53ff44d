import PosternCore

/// Told about every attempt and every circuit change, for metrics and the audit log.
public protocol DeliveryObserver: Sendable {
    func attempted(_ delivery: DueDelivery, result: AttemptResult, verdict: DeliveryVerdict)
    func circuitChanged(destination: String, to state: CircuitBreaker.State)
}

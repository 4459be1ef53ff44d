import Foundation
import PosternCore
import PosternDelivery
import PosternStore

/// Turns the dispatcher's reports into metrics (attempts by outcome, latency, circuit state) and audit lines
/// (dead letters); reads the queue depth for each scrape.
public struct DeliveryMonitor: DeliveryObserver {
    let metrics: Metrics
    let audit: AuditLog
    let clock: @Sendable () -> Date

    public init(metrics: Metrics, audit: AuditLog, clock: @escaping @Sendable () -> Date = Date.init) {
        self.metrics = metrics
        self.audit = audit
        self.clock = clock
    }

    public func attempted(_ delivery: DueDelivery, result: AttemptResult, verdict: DeliveryVerdict) {
        let outcome = switch verdict {
        case .delivered: "delivered"
        case .retry: "retry"
        case .dead: "dead"
        }
        metrics.increment("postern_delivery_attempts_total", help: "Delivery attempts by destination and outcome.",
                          labels: ["destination": delivery.destination, "outcome": outcome])
        metrics.observe("postern_delivery_duration_seconds", help: "Time one delivery attempt took.",
                        labels: ["destination": delivery.destination], value: result.latency, buckets: Metrics.latencyBuckets)
        if case .dead(var reason) = verdict {
            // The backend's answer body stays in the store (`deliveries list`), out of the audit log.
            if case .permanent = result.classification { reason = result.summary }
            audit.write(DeliveryAuditRecord(time: clock(), decision: "dead_lettered", source: delivery.source,
                                            destination: delivery.destination, eventId: delivery.eventID,
                                            attempts: delivery.attempts + 1, status: result.status, reason: reason))
        }
    }

    public func circuitChanged(destination: String, to state: CircuitBreaker.State) {
        let value: Double = switch state {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
        metrics.set("postern_delivery_circuit_state", help: "Circuit breaker state: 0 closed, 1 half-open (probing), 2 open.",
                    labels: ["destination": destination], to: value)
    }

    /// Sets the queue-depth gauges from the store, before a scrape.
    public static func recordDepth(_ queue: any DeliveryQueue, destinations: [DestinationConfig], into metrics: Metrics) async {
        guard let depths = try? await queue.depth() else { return }
        let byName = Dictionary(uniqueKeysWithValues: depths.map { ($0.destination, $0) })
        for name in Set(destinations.map(\.name)).union(byName.keys) {
            for (state, count) in [("pending", byName[name]?.pending ?? 0), ("dead", byName[name]?.dead ?? 0)] {
                metrics.set("postern_delivery_queue_depth", help: "Deliveries waiting (pending) or given up (dead), by destination.",
                            labels: ["destination": name, "state": state], to: Double(count))
            }
        }
    }
}

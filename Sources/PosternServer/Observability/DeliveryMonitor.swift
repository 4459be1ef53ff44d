import Foundation
import PosternCore
import PosternDelivery
import PosternStore

/// Turns the dispatcher's reports into metrics (attempts by outcome, latency, circuit state) and audit lines
/// (dead letters), each destination's health and the alerts' signals; reads the queue depth for each scrape.
public struct DeliveryMonitor: DeliveryObserver {
    let metrics: Metrics
    let audit: AuditLog
    let health: DestinationHealth
    /// What the alert rules watch.
    let alerts: AlertSignals
    let clock: WallClock

    public init(metrics: Metrics, audit: AuditLog, health: DestinationHealth = DestinationHealth(),
                alerts: AlertSignals = AlertSignals(), clock: WallClock = .system) {
        self.metrics = metrics
        self.audit = audit
        self.health = health
        self.alerts = alerts
        self.clock = clock
    }

    public func attempted(_ delivery: DueDelivery, result: AttemptResult, verdict: DeliveryVerdict) {
        let outcome = switch verdict {
        case .delivered: "delivered"
        case .retry: "retry"
        case .dead: "dead"
        }
        metrics.deliveryAttempts(destination: delivery.destination, outcome: outcome).increment()
        metrics.deliveryDuration(destination: delivery.destination).record(result.latency)
        health.attempted(delivery.destination, at: clock.now, result: result)
        alerts.login(delivery.destination, refused: result.tokenRefused)
        if case .dead(var reason) = verdict {
            alerts.deadLettered(delivery.destination, at: clock.now)
            // The backend's answer body stays in the store (`deliveries list`), out of the audit log.
            if case .permanent = result.classification { reason = result.summary }
            audit.write(DeliveryAuditRecord(time: clock.now, decision: "dead_lettered", source: delivery.source,
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
        metrics.circuitState(destination: destination).set(to: value)
        health.circuitChanged(destination, to: state)
        alerts.circuitChanged(destination, open: state != .closed)
    }

    /// Sets the queue-depth gauges from the store, before a scrape.
    public static func recordDepth(_ queue: any DeliveryQueue, destinations: [DestinationConfig], into metrics: Metrics) async {
        guard let depths = try? await queue.depth() else { return }
        let byName = Dictionary(uniqueKeysWithValues: depths.map { ($0.destination, $0) })
        for name in Set(destinations.map(\.name)).union(byName.keys) {
            for (state, count) in [("pending", byName[name]?.pending ?? 0), ("dead", byName[name]?.dead ?? 0)] {
                metrics.queueDepth(destination: name, state: state).set(to: Double(count))
            }
        }
    }
}

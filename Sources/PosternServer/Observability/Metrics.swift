import Prometheus

/// Postern's metrics, one typed handle per family, on swift-prometheus's registry, which renders `GET /metrics`.
/// The names, labels, help texts and buckets live here alone; call sites ask for a handle and count.
///
/// The handles come from the registry itself rather than through swift-metrics' `PrometheusMetricsFactory`: the
/// factory registers every metric with an empty help text, and the registry refuses a second help text for a name,
/// so families made that way could carry no `# HELP` line.
public struct Metrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    static let latencyBuckets: [Duration] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        .map { Duration.milliseconds($0 * 1000) }
    static let batchBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256]

    /// Webhook requests by source, outcome and reason.
    public func requests(source: String, outcome: String, reason: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("requests", unit: "total", "Webhook requests by source, outcome and reason."),
                             labels: [("outcome", outcome), ("reason", reason), ("source", source)])
    }

    /// Token endpoint requests by client (`unknown` for an id not configured) and outcome (`issued` or the error code).
    public func tokenRequests(client: String, outcome: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("oauth_token_requests", unit: "total", "OAuth token requests by client and outcome."),
                             labels: [("client", client), ("outcome", outcome)])
    }

    /// Time from a request to its answer, by source.
    public func requestDuration(source: String) -> DurationHistogram {
        registry.makeDurationHistogram(descriptor: Self.name("request_duration", unit: "seconds", "Time from request to answer."),
                                       labels: [("source", source)], buckets: Self.latencyBuckets)
    }

    /// Time to commit one batch of events durably.
    public var storeCommitDuration: DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.name("store_commit_duration", unit: "seconds", "Time to commit one batch of events durably."),
            buckets: Self.latencyBuckets)
    }

    /// Events committed together in one transaction.
    public var storeCommitBatchSize: ValueHistogram {
        registry.makeValueHistogram(
            descriptor: Self.name("store_commit_batch", unit: "size", "Events committed together in one transaction."),
            buckets: Self.batchBuckets)
    }

    /// TLS certificate and client CA reloads, by listener and result (`ok`, `failed`).
    public func tlsReloads(listener: String, result: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("tls_reloads", unit: "total", "TLS certificate and client CA reloads."),
                             labels: [("listener", listener), ("result", result)])
    }

    /// Configuration reloads by result (`reloaded`, `refused`).
    public func configReloads(result: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("config_reloads", unit: "total", "Configuration reloads by result."),
                             labels: [("result", result)])
    }

    /// Delivery attempts by destination and outcome (`delivered`, `retry`, `dead`).
    public func deliveryAttempts(destination: String, outcome: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name("delivery_attempts", unit: "total", "Delivery attempts by destination and outcome."),
            labels: [("destination", destination), ("outcome", outcome)])
    }

    /// Time one delivery attempt took, by destination.
    public func deliveryDuration(destination: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.name("delivery_duration", unit: "seconds", "Time one delivery attempt took."),
            labels: [("destination", destination)], buckets: Self.latencyBuckets)
    }

    /// A destination's circuit: 0 closed, 1 half-open (probing), 2 open.
    public func circuitState(destination: String) -> Gauge {
        registry.makeGauge(
            descriptor: Self.name("delivery_circuit", unit: "state", "Circuit breaker state: 0 closed, 1 half-open (probing), 2 open."),
            labels: [("destination", destination)])
    }

    /// Deliveries waiting (`pending`) or given up (`dead`), by destination.
    public func queueDepth(destination: String, state: String) -> Gauge {
        registry.makeGauge(
            descriptor: Self.name("delivery_queue", unit: "depth", "Deliveries waiting (pending) or given up (dead), by destination."),
            labels: [("destination", destination), ("state", state)])
    }

    /// Alert notices raised, by rule and state (`firing`, `resolved`).
    public func alerts(rule: String, state: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("alerts", unit: "total", "Alert notices raised, by rule and state."),
                             labels: [("rule", rule), ("state", state)])
    }

    /// Whether an alert is firing (1) or not (0), by rule and the destination or source it watches.
    public func alertFiring(rule: String, subject: String) -> Gauge {
        registry.makeGauge(descriptor: Self.name("alert", unit: "firing", "Whether an alert is firing, by rule and subject."),
                           labels: [("rule", rule), ("subject", subject)])
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        registry.emitToString()
    }

    private static func name(_ metric: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "postern", metricName: metric, unitName: unit, helpText: help)
    }
}

import Foundation
import Logging
import PosternCore

/// Where every decision goes once made: one audit line, the metrics, the per-source summary and history, and the live feed.
public struct DecisionObserver: Sendable {
    public let audit: AuditLog
    public let metrics: Metrics
    public let summary: AuditSummary
    public let logger: Logger
    public let feed: DecisionFeed
    public let history = DecisionHistory()
    /// What the alert rules watch: refusals by source and reason.
    public let alerts: AlertSignals

    public init(audit: AuditLog, metrics: Metrics, summary: AuditSummary, logger: Logger, feed: DecisionFeed = DecisionFeed(),
                alerts: AlertSignals = AlertSignals()) {
        self.audit = audit
        self.metrics = metrics
        self.summary = summary
        self.logger = logger
        self.feed = feed
        self.alerts = alerts
    }

    public func record(_ decision: Decision) {
        let outcome = decision.reason.isSuccess ? decision.reason.rawValue : "refused"
        audit.write(AuditRecord(
            time: decision.time, source: decision.source, method: decision.method, path: decision.path,
            decision: outcome, reason: decision.reason.rawValue, status: decision.status,
            caller: decision.caller, clientSubject: decision.clientIdentity?.subject, client: decision.verification?.client,
            eventId: decision.eventID,
            correlationId: decision.correlationID,
            scheme: decision.verification?.scheme, secretIndex: decision.verification?.secretIndex, answer: decision.answer,
            routed: decision.routed, latencyMs: (decision.latency.seconds * 1_000_000).rounded() / 1000))
        metrics.requests(source: decision.source ?? "", outcome: outcome, reason: decision.reason.rawValue).increment()
        metrics.requestDuration(source: decision.source ?? "").record(decision.latency)
        if let source = decision.source {
            summary.record(source: source, reason: decision.reason, at: decision.time)
            history.record(source: source, reason: decision.reason, at: decision.time)
            if !decision.reason.isSuccess { alerts.refused(source, reason: decision.reason, at: decision.time) }
        }
        feed.publish(decision)
    }

    /// Records a token request: an audit line and the metrics, labelled with the client only when it is configured
    /// (an unknown id is `unknown`, so callers cannot grow the label set).
    func recordToken(_ outcome: TokenEndpoint.Outcome, known: Bool, caller: IPAddress?, time: Date, latency: Duration) {
        audit.write(TokenAuditRecord(time: time, outcome: outcome.outcome, status: outcome.status, client: outcome.client,
                                     scope: outcome.scope, caller: caller?.description,
                                     latencyMs: (latency.seconds * 1_000_000).rounded() / 1000))
        metrics.tokenRequests(client: known ? outcome.client ?? "unknown" : "unknown", outcome: outcome.outcome).increment()
    }
}

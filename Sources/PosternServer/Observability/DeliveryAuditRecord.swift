import Foundation

/// One delivery decision as the audit log records it: a dead letter, or a replay. Never a body or a secret.
public struct DeliveryAuditRecord: Sendable, Encodable {
    public var time: Date
    /// `dead_lettered` or `replayed`.
    public var decision: String
    public var source: String?
    public var destination: String?
    public var eventId: String?
    public var attempts: Int?
    public var status: Int?
    public var reason: String?
    /// For a replay: what was selected, and how many deliveries were queued.
    public var selection: String?
    public var queued: Int?
    /// For a replay from the admin API: the name of the admin token that asked for it.
    public var by: String?

    public init(time: Date, decision: String, source: String? = nil, destination: String? = nil, eventId: String? = nil,
                attempts: Int? = nil, status: Int? = nil, reason: String? = nil, selection: String? = nil, queued: Int? = nil,
                by: String? = nil) {
        self.time = time
        self.decision = decision
        self.source = source
        self.destination = destination
        self.eventId = eventId
        self.attempts = attempts
        self.status = status
        self.reason = reason
        self.selection = selection
        self.queued = queued
        self.by = by
    }
}

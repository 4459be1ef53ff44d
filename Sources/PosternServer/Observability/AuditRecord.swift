import Foundation

/// One decision as the audit log records it: who called, which source, what was decided and why.
/// It never holds a secret, a signature, an Authorization value or a body.
public struct AuditRecord: Sendable, Encodable {
    public var time: Date
    public var source: String?
    public var method: String
    public var path: String
    public var decision: String
    public var reason: String
    public var status: Int
    public var caller: String?
    /// The verified client certificate's subject (RFC 4514), on mutual TLS.
    public var clientSubject: String?
    /// The OAuth client a bearer token was issued to.
    public var client: String? = nil
    public var eventId: String?
    public var correlationId: String?
    public var scheme: String?
    public var secretIndex: Int?
    /// A fulfillment source's answer: `upstream`, or `fallback: <why>`.
    public var answer: String?
    /// A stored event's destinations, where its source has routing rules; empty when it matched none.
    public var routed: [String]? = nil
    public var latencyMs: Double
}

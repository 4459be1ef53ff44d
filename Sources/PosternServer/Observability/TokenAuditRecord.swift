import Foundation

/// One token request as the audit log records it: the client id as presented and what became of it. Never the
/// secret, the Authorization header or the token.
public struct TokenAuditRecord: Sendable, Encodable {
    public var time: Date
    public var decision = "token_request"
    /// `issued`, or the RFC 6749 error code (`invalid_client`, `invalid_scope`, …).
    public var outcome: String
    public var status: Int
    public var client: String?
    public var scope: String?
    public var caller: String?
    public var latencyMs: Double
}

import PosternCore

/// A "no" for the caller: a reason code and a sentence, answered as `{"error": ..., "message": ...}`.
public struct Refusal: Error, Sendable, Equatable {
    public var reason: ReasonCode
    public var message: String
    /// Seconds after which a retry may succeed, sent as `Retry-After`.
    public var retryAfter: Int?
    /// The `WWW-Authenticate` challenge, for a refused bearer token (RFC 6750 §3).
    public var challenge: String?
    /// The token names a key the identity provider's key set does not hold: worth one more try after a JWKS fetch.
    public var wantsKeyRefresh = false

    public init(_ reason: ReasonCode, _ message: String, retryAfter: Int? = nil, challenge: String? = nil) {
        self.reason = reason
        self.message = message
        self.retryAfter = retryAfter
        self.challenge = challenge
    }
}

extension Refusal {
    /// Whether the request failed verification (a 401, or a token without the scope): it was not the sender's, so it spends none of its budget.
    public var isVerificationFailure: Bool { reason.status == 401 || reason == .insufficientScope }
}

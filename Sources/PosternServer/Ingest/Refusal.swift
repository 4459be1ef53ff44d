import PosternCore

/// A "no" for the caller: a reason code and a sentence, answered as `{"error": ..., "message": ...}`.
public struct Refusal: Error, Sendable, Equatable {
    public var reason: ReasonCode
    public var message: String
    /// Seconds after which a retry may succeed, sent as `Retry-After`.
    public var retryAfter: Int?

    public init(_ reason: ReasonCode, _ message: String, retryAfter: Int? = nil) {
        self.reason = reason
        self.message = message
        self.retryAfter = retryAfter
    }
}

extension Refusal {
    /// Whether the request failed verification (a 401): it was not the sender's, so it spends none of its budget.
    public var isVerificationFailure: Bool { reason.status == 401 }
}

import PosternCore

/// A "no" for the caller: a reason code and a sentence, answered as `{"error": ..., "message": ...}`.
public struct Refusal: Error, Sendable, Equatable {
    public var reason: ReasonCode
    public var message: String

    public init(_ reason: ReasonCode, _ message: String) {
        self.reason = reason
        self.message = message
    }
}

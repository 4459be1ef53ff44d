/// An error code a service named in its answer (an AWS error code), and whether the service means "try again later"
/// by it: it decides a delivery's retry instead of the HTTP status.
public struct ServiceError: Sendable, Equatable {
    public var code: String
    public var message: String?
    public var retryable: Bool

    public init(code: String, message: String? = nil, retryable: Bool) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }
}

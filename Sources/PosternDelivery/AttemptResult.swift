import PosternCore

/// What one delivery attempt came back with: an HTTP status (with any `Retry-After`), or a failure to get one.
public struct AttemptResult: Sendable, Equatable {
    /// How an attempt without an HTTP answer failed.
    public enum Failure: Sendable, Equatable {
        case timeout
        case connection(String)
        /// The event cannot be turned into the destination's request (a required field is missing): never retried.
        case unsendable(String)
    }

    public var status: Int?
    public var failure: Failure?
    /// How long the backend asked to wait (already converted from an HTTP date).
    public var retryAfter: Duration?
    public var latency: Duration
    /// The start of the answer's body, kept with a dead letter to explain it.
    public var bodyExcerpt: String?
    /// The error a service named in its answer (an AWS error code), which decides the retry instead of the status.
    public var serviceError: ServiceError?
    /// Set when the OAuth login host refused or failed the destination's client (a Genesys destination's token).
    public var tokenRefused = false


    public init(status: Int, retryAfter: Duration? = nil, latency: Duration = .zero, bodyExcerpt: String? = nil) {
        self.status = status
        self.retryAfter = retryAfter
        self.latency = latency
        self.bodyExcerpt = bodyExcerpt
    }

    public init(failure: Failure, latency: Duration = .zero) {
        self.failure = failure
        self.latency = latency
    }

    /// Whether this answer means delivered, worth trying again, or never going to work.
    public enum Classification: Sendable, Equatable {
        case delivered
        case transient(String)
        case permanent(String)
    }

    /// 2xx delivered; 408, 429, 5xx, redirects, timeouts and connection errors transient; other 4xx permanent.
    public var classification: Classification {
        switch failure {
        case .timeout?: return .transient("timed out")
        case .connection(let message)?: return .transient("connection failed: \(message)")
        case .unsendable(let message)?: return .permanent("cannot be sent: \(message)")
        case nil: break
        }
        if let error = serviceError {
            let named = "AWS \(error.code)" + (error.message.map { ": \($0)" } ?? "")
            return error.retryable ? .transient(named) : .permanent(named)
        }
        let status = status ?? 0
        switch status {
        case 200..<300: return .delivered
        case 300..<400: return .transient("HTTP \(status): redirects are not followed")
        case 408, 429, 500...: return .transient("HTTP \(status)")
        default: return .permanent("HTTP \(status)" + (bodyExcerpt.map { ": \($0)" } ?? ""))
        }
    }

    /// Whether the backend looked down (for the circuit breaker): no answer, or a 5xx.
    public var suggestsOutage: Bool {
        switch failure {
        case .timeout?, .connection?: true
        case .unsendable?: false
        case nil: (status ?? 0) >= 500
        }
    }

    /// The summary, with the backend's `Retry-After` when it sent one: what the attempt history keeps.
    public var summaryWithRetryAfter: String {
        summary + (retryAfter.map { ", Retry-After \(Int(saturating: $0.seconds.rounded())) s" } ?? "")
    }

    /// A short description for the attempt history: the status, or what went wrong.
    public var summary: String {
        switch failure {
        case .timeout?: "timed out"
        case .connection(let message)?: "connection failed: \(message)"
        case .unsendable(let message)?: "cannot be sent: \(message)"
        case nil: "HTTP \(status ?? 0)" + (serviceError.map { " \($0.code)" } ?? "")
        }
    }
}

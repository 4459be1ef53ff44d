import Foundation
import PosternCore

/// Everything known about one request's decision, gathered while it is handled, for the audit line and metrics.
public struct Decision: Sendable {
    public var time: Date
    public var method: String
    public var path: String
    public var caller: String?
    public var clientIdentity: ClientIdentity?
    public var source: String?
    public var reason: ReasonCode = .storeUnavailable
    /// The HTTP status answered (a duplicate may be 200 or 409).
    public var status = 503
    public var eventID: String?
    public var correlationID: String?
    public var verification: Verification?
    /// How a fulfillment source's answer was made: `upstream`, or `fallback: <why>`.
    public var answer: String?
    /// For a stored event of a source with routing rules: the destinations it was routed to (empty: not routed).
    public var routed: [String]?
    public var latency: Duration = .zero

    public init(time: Date, method: String, path: String, caller: String?) {
        self.time = time
        self.method = method
        self.path = path
        self.caller = caller
    }
}

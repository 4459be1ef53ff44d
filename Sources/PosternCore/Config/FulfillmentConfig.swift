/// How a source answers its caller. `ingest` answers once the event is stored; `fulfillment` answers in the same
/// request with the upstream destination's JSON answer, or with the fallback actions (Cognigy bot fulfillment).
public enum SourceMode: String, Sendable {
    case ingest
    case fulfillment
}

/// The `respond` section of a fulfillment source.
public struct RespondConfig: Sendable {
    /// The destination called synchronously for the answer; nil answers with the fallback at once.
    public var upstream: String?
    /// How long to wait for the upstream before answering with the fallback.
    public var timeout: Duration
    /// The actions (`{type, value}`) answered when there is no upstream answer, as Cognigy's
    /// `{"requestId", "payload", "context"}`.
    public var fallback: [JSONValue]
    /// A whole answer of any JSON shape (a jambonz verb array), answered as it is instead of `fallback`.
    public var fallbackAnswer: JSONValue?

    public init(upstream: String?, timeout: Duration = .seconds(3), fallback: [JSONValue]) {
        self.upstream = upstream
        self.timeout = timeout
        self.fallback = fallback
    }
}

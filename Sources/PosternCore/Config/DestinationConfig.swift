/// A backend that accepted events are delivered to: where, how long to wait, what to add, how to retry.
public struct DestinationConfig: Sendable {
    /// Original request headers forwarded when the destination names none.
    public static let defaultForwardHeaders = ["content-encoding", "user-agent", "tracestate"]

    public var name: String
    /// An absolute http or https URL; every delivery is a POST to it.
    public var url: String
    /// How long one attempt may take, connection and answer included.
    public var timeout: Duration
    /// Headers added to every delivery, e.g. `Authorization: Bearer ...`.
    public var headers: [(name: String, value: String)]
    /// Names (lower case) of the original request's headers that are passed on; nothing else is.
    public var forwardHeaders: [String]
    public var retry: RetryPolicy
    public var circuit: CircuitBreakerPolicy
    /// A Standard Webhooks secret (`whsec_<base64>`): deliveries then carry `webhook-id`, `webhook-timestamp`
    /// and `webhook-signature`.
    public var signingSecret: String?
    /// How many deliveries to this destination may be in flight at once.
    public var concurrency: Int
    /// Set for a Genesys Cloud destination (`type: genesys`): events become Open Messaging inbound messages,
    /// authorized by an OAuth client; `url` is then the inbound message URL.
    public var genesys: GenesysSettings?
    /// Set for an AWS destination (`type: eventbridge`, `sqs` or `sns`): events become signed API calls; `url` is then
    /// the service's endpoint.
    public var aws: AWSSettings?
    /// At most this many deliveries started per second (`rateLimit: {perSecond, burst}`), on top of `concurrency`.
    public var rateLimit: RateLimit?
    /// The JSON sent instead of the event's raw body (`body:`), built from the event.
    public var body: BodyTemplate?
    /// Deliveries with the same key go one at a time, in commit order (`ordering: {key, onFailure}`).
    public var ordering: DeliveryOrdering?

    public init(name: String, url: String, timeout: Duration = .seconds(10), headers: [(name: String, value: String)] = [],
                forwardHeaders: [String] = DestinationConfig.defaultForwardHeaders, retry: RetryPolicy = RetryPolicy(),
                circuit: CircuitBreakerPolicy = CircuitBreakerPolicy(), signingSecret: String? = nil, concurrency: Int = 8,
                genesys: GenesysSettings? = nil) {
        self.name = name
        self.url = url
        self.timeout = timeout
        self.headers = headers
        self.forwardHeaders = forwardHeaders
        self.retry = retry
        self.circuit = circuit
        self.signingSecret = signingSecret
        self.concurrency = concurrency
        self.genesys = genesys
    }

    /// Whether its body or a header is built from the event.
    public var usesPlaceholders: Bool {
        body != nil || headers.contains { $0.value.contains("{{") }
    }

    /// The pace this destination keeps, if any: its `rateLimit`, or a Genesys destination's `requestsPerMinute`.
    public var pace: RateLimit? {
        rateLimit ?? genesys.map { RateLimit(perSecond: $0.requestsPerMinute / 60, burst: max(1, Int($0.requestsPerMinute / 60))) }
    }
}

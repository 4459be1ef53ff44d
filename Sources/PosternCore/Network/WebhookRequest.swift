/// A request as received, before anything is parsed: what every verifier reads.
public struct WebhookRequest: Sendable {
    public var method: String
    /// The path exactly as sent, still percent-encoded.
    public var path: String
    /// The query string exactly as sent, without the `?`; nil when there is none.
    public var query: String?
    public var headers: RequestHeaders
    public var body: [UInt8]

    public init(method: String = "POST", path: String = "/", query: String? = nil, headers: RequestHeaders,
                body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

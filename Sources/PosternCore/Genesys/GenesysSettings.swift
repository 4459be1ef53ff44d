/// A Genesys Cloud destination: where its API and login hosts are, the OAuth client it uses, and the Open Messaging
/// integration that events are posted to.
public struct GenesysSettings: Sendable {
    /// The tutorial's invented endpoint, accepted as a name for the real Open Messaging inbound call.
    public static let tutorialPath = "/api/v2/conversations/message/events"

    /// `https://api.<domain>` (or a test server).
    public var apiBase: String
    /// `https://login.<domain>` (or a test server).
    public var loginBase: String
    public var clientId: String
    public var clientSecret: String
    public var integrationId: String
    public var mapping: OpenMessagingMapping
    /// What each event becomes: an inbound message, a receipt, or a typing event.
    public var send: OpenMessagingKind
    /// The pace kept below Genesys' 300 requests per minute per token.
    public var requestsPerMinute: Double

    public init(apiBase: String, loginBase: String, clientId: String, clientSecret: String, integrationId: String,
                mapping: OpenMessagingMapping = OpenMessagingMapping(), send: OpenMessagingKind = .message,
                requestsPerMinute: Double = 240) {
        self.apiBase = apiBase
        self.loginBase = loginBase
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.integrationId = integrationId
        self.mapping = mapping
        self.send = send
        self.requestsPerMinute = requestsPerMinute
    }

    /// `POST` here for each event: the integration's Open Messaging inbound message, receipt or event call.
    public var inboundURL: String {
        "\(apiBase)/api/v2/conversations/messages/\(integrationId)/inbound/open/\(send.pathComponent)"
    }

    /// The OAuth client-credentials token endpoint.
    public var tokenURL: String { "\(loginBase)/oauth/token" }
}

/// One webhook sender, decoded and checked: the path it calls, how it is verified, and how its events are checked
/// and keyed, with the defaults of its preset and of the gateway's limits already applied.
public struct SourceConfig: Sendable {
    public var name: String
    public var path: String
    public var verify: VerifyConfig
    /// What the bodies are: checked as this kind before they are stored.
    public var body: BodyKind
    /// The compiled JSON Schema (built in or read from a file) every body must satisfy.
    public var schema: JSONSchema?
    /// How the idempotency key is taken: as configured, else the mode's or the preset's default.
    public var idempotencyKey: IdempotencyKeyRule
    public var onDuplicate: DuplicateAnswer
    /// The body limit: this source's own, else the preset's, else `limits.maxBodyBytes`.
    public var maxBodyBytes: Int
    /// Caller addresses allowed; empty allows every address.
    public var allowIPs: [CIDR]
    /// This source's rate limit, else the preset's, if it has one.
    public var rateLimit: RateLimit?
    /// Whether the connection must carry a verified client certificate.
    public var requiresClientCertificate: Bool
    /// Client certificate subjects allowed: a common name or a full RFC 4514 name; empty allows any.
    public var allowedSubjects: [String]
    /// Client certificate subject alternative names (DNS names, IP addresses) allowed; empty allows any.
    public var allowedSANs: [SubjectAlternativeName]
    /// The destinations this source's events are delivered to, by name.
    public var destinations: [String]
    /// The `when:` of each destination that has one: its events go there only when they pass it.
    public var routes: [String: RouteFilter] = [:]
    public var mode: SourceMode
    /// How a fulfillment source answers; nil for an ingest source.
    public var respond: RespondConfig?
    /// How an ingest source answers a stored or duplicate event; nil answers `{"id","status"}`.
    public var answer: AnswerConfig?

    /// The destinations delivered to from the outbox: all but a fulfillment source's upstream, which is called
    /// while the caller waits.
    public var queuedDestinations: [String] {
        destinations.filter { $0 != respond?.upstream }
    }

    /// The queued destinations one event is routed to: those with no `when:`, and those whose `when:` it passes.
    public func routedDestinations(_ queued: [String], document: JSONValue?, headers: [(name: String, value: String)]) -> [String] {
        guard !routes.isEmpty else { return queued }
        return queued.filter { routes[$0]?.admits(document: document, headers: headers) ?? true }
    }
}

/// How a duplicate event is answered: 200 `{"status":"duplicate"}` or 409.
public enum DuplicateAnswer: Int, Sendable {
    case ok = 200
    case conflict = 409
}

/// Where an event's idempotency key comes from.
public enum IdempotencyKeyRule: Sendable, Equatable, CustomStringConvertible {
    /// A JSON pointer into the body, e.g. `/event_id`.
    case body(pointer: String)
    /// A request header.
    case header(name: String)
    /// The digest of the verified signature.
    case signature
    /// SHA-256 of the raw body.
    case bodyDigest
    /// None: every accepted request is a new event (a sender whose identical bodies are distinct messages).
    case unkeyed

    /// Parses `body:<JSON pointer>`, `header:<name>`, `signature`, `sha256` or `none`.
    public init?(parsing text: String) {
        if text == "none" {
            self = .unkeyed
        } else if text == "signature" {
            self = .signature
        } else if text == "sha256" {
            self = .bodyDigest
        } else if text.hasPrefix("body:"), text.dropFirst(5).first == "/" {
            self = .body(pointer: String(text.dropFirst(5)))
        } else if text.hasPrefix("header:"), text.count > 7 {
            self = .header(name: String(text.dropFirst(7)))
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .body(let pointer): "body:\(pointer)"
        case .header(let name): "header:\(name)"
        case .signature: "signature"
        case .bodyDigest: "sha256"
        case .unkeyed: "none"
        }
    }
}

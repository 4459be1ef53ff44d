/// One webhook sender: the path it calls, how it is verified, and how its events are checked and keyed.
public struct SourceConfig: Sendable {
    public var name: String
    public var path: String
    public var verify: VerifySpec
    /// A built-in schema name or a JSON Schema file path.
    public var schema: String?
    /// How the idempotency key is taken; nil means the preset's default.
    public var idempotencyKey: IdempotencyKeyRule?
    public var onDuplicate: DuplicateAnswer
    /// This source's own body limit, overriding `limits.maxBodyBytes`.
    public var maxBodyBytes: Int?
    /// Caller addresses allowed; empty allows every address.
    public var allowIPs: [CIDR]
    /// This source's rate limit; nil means the preset's, if it has one.
    public var rateLimit: RateLimit?
    /// Whether the connection must carry a verified client certificate.
    public var requiresClientCertificate: Bool
    /// Client certificate subjects allowed: a common name or a full RFC 4514 name; empty allows any.
    public var allowedSubjects: [String]
    /// Client certificate subject alternative names (DNS names, IP addresses) allowed; empty allows any.
    public var allowedSANs: [SubjectAlternativeName]
    /// The destinations this source's events are delivered to, by name.
    public var destinations: [String]
    public var mode: SourceMode
    /// How a fulfillment source answers; nil for an ingest source.
    public var respond: RespondConfig?

    public init(name: String, path: String, verify: VerifySpec, schema: String? = nil,
                idempotencyKey: IdempotencyKeyRule? = nil, onDuplicate: DuplicateAnswer = .ok,
                maxBodyBytes: Int? = nil, allowIPs: [CIDR] = [], rateLimit: RateLimit? = nil,
                requiresClientCertificate: Bool = false, allowedSubjects: [String] = [], allowedSANs: [SubjectAlternativeName] = [],
                destinations: [String] = [], mode: SourceMode = .ingest, respond: RespondConfig? = nil) {
        self.name = name
        self.path = path
        self.verify = verify
        self.schema = schema
        self.idempotencyKey = idempotencyKey
        self.onDuplicate = onDuplicate
        self.maxBodyBytes = maxBodyBytes
        self.allowIPs = allowIPs
        self.rateLimit = rateLimit
        self.requiresClientCertificate = requiresClientCertificate
        self.allowedSubjects = allowedSubjects
        self.allowedSANs = allowedSANs
        self.destinations = destinations
        self.mode = mode
        self.respond = respond
    }

    /// The destinations delivered to from the outbox: all but a fulfillment source's upstream, which is called
    /// while the caller waits.
    public var queuedDestinations: [String] {
        destinations.filter { $0 != respond?.upstream }
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

    /// Parses `body:<JSON pointer>`, `header:<name>`, `signature` or `sha256`.
    public init?(parsing text: String) {
        if text == "signature" {
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
        }
    }
}

/// The `verify` section of a source as written; PosternVerify reads it, since each preset takes its own keys.
public struct VerifySpec: Sendable {
    public var node: ConfigNode

    public init(_ node: ConfigNode) {
        self.node = node
    }

    /// The key path of the section, e.g. `sources[0].verify`.
    public var path: String { node.path }
}

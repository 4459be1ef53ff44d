/// The whole gateway as the configuration file describes it: listeners, store, limits and sources.
public struct GatewayConfig: Sendable {
    /// Where webhooks are received: one or more listeners, plain or TLS.
    public var listeners: [ListenerConfig]
    public var admin: AdminConfig
    public var store: StoreLocation
    public var limits: Limits
    public var audit: AuditOutput
    /// Proxies whose `X-Forwarded-For` is believed.
    public var trustedProxies: [CIDR]
    public var connections: ConnectionLimits
    public var sources: [SourceConfig]
    public var destinations: [DestinationConfig]
    /// Seconds after which events and their delivery history are pruned (events still being delivered are kept);
    /// nil keeps everything.
    public var retention: Duration?
    /// Where OpenTelemetry spans go; nil leaves tracing off.
    public var tracing: TracingConfig?
    /// The token endpoint for OAuth callers and its signing keys; nil when no source takes OAuth tokens.
    public var oauth: OAuthConfig?
    /// Alert targets and rules; their targets' destinations are among `destinations`.
    public var alerts: AlertConfig?

    public init(listeners: [ListenerConfig], admin: AdminConfig, store: StoreLocation, limits: Limits,
                audit: AuditOutput, trustedProxies: [CIDR] = [], connections: ConnectionLimits = ConnectionLimits(),
                sources: [SourceConfig], destinations: [DestinationConfig] = [], retention: Duration? = nil,
                tracing: TracingConfig? = nil, oauth: OAuthConfig? = nil, alerts: AlertConfig? = nil) {
        self.listeners = listeners
        self.admin = admin
        self.store = store
        self.limits = limits
        self.audit = audit
        self.trustedProxies = trustedProxies
        self.connections = connections
        self.sources = sources
        self.destinations = destinations
        self.retention = retention
        self.tracing = tracing
        self.oauth = oauth
        self.alerts = alerts
    }

    public func destination(named name: String) -> DestinationConfig? {
        destinations.first { $0.name == name }
    }
}

/// Where events are stored.
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    /// `postgres://user[:password]@host[:port]/database[?sslmode=…]`: one database shared by many instances. A
    /// claimed delivery stays with its instance for `lease` (renewed while its attempt runs), so a dead instance's
    /// work is taken over once its lease ends.
    case postgres(url: String, lease: Duration = StoreLocation.defaultLease)

    public static let defaultLease: Duration = .seconds(30)
}

/// Gateway-wide limits; a source may override them.
public struct Limits: Sendable, Equatable {
    public static let defaultMaxBodyBytes = 1_048_576
    public var maxBodyBytes: Int

    public init(maxBodyBytes: Int = Limits.defaultMaxBodyBytes) {
        self.maxBodyBytes = maxBodyBytes
    }
}

/// Where audit lines go: one JSON object per line.
public enum AuditOutput: Sendable, Equatable {
    case stdout
    case file(path: String)
}

/// How long a connection may take over each part of a request, and how many connections a listener holds,
/// so slow or abusive clients cannot hold connections or starve others.
public struct ConnectionLimits: Sendable, Equatable {
    /// The time to receive a whole request head, from the connection's start or the first byte of the next request.
    public var headerTimeout: Duration
    /// The time from the request head to the end of its body.
    public var bodyTimeout: Duration
    /// How long a keep-alive connection may sit idle between requests.
    public var idleTimeout: Duration
    /// Connections each listener holds at once; more wait in the kernel's backlog.
    public var maxConnections: Int

    public init(headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(60),
                maxConnections: Int = 10_000) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }
}

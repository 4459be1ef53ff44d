/// The admin listener (`/healthz`, `/readyz`, `/metrics`, `/admin/*`, `/console/`) and the tokens that may use it.
public struct AdminConfig: Sendable, Equatable {
    public var listen: ListenAddress
    /// `admin.tokens`, with `admin.token` first as an operator named `admin`; empty leaves a loopback listener open.
    public var tokens: [AdminToken]

    public init(listen: ListenAddress, tokens: [AdminToken]) {
        self.listen = listen
        self.tokens = tokens
    }
}

/// One admin credential: a name for the audit log, the bearer token itself, and what it may do.
public struct AdminToken: Sendable, Equatable {
    public var name: String
    public var token: String
    public var role: AdminRole

    public init(name: String, token: String, role: AdminRole) {
        self.name = name
        self.token = token
        self.role = role
    }
}

/// What an admin token may do: a viewer reads; an operator also replays, reloads and reopens the audit log.
public enum AdminRole: String, Sendable, CaseIterable, Comparable {
    case viewer
    case `operator`

    public static func < (lhs: AdminRole, rhs: AdminRole) -> Bool { lhs == .viewer && rhs == .operator }
}

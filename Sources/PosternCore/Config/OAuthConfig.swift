/// The `oauth` section: the OAuth 2.0 client-credentials token endpoint (RFC 6749 §4.4) that Postern runs on the
/// webhook listener for callers that authenticate with OAuth (Genesys Cloud data actions, CXone, Cognigy), and the
/// keys that sign its access tokens, which `verify: {preset: oauth}` sources accept.
public struct OAuthConfig: Sendable {
    /// The token endpoint's path on the webhook listener.
    public var tokenPath: String
    /// The `iss` claim of every token, and its `aud`.
    public var issuer: String
    /// The first key signs; every key listed is published and verifies (several = rotation).
    public var signingKeys: [OAuthSigningKeyConfig]
    /// Seconds a token is valid for.
    public var tokenLifetime: Int
    public var clients: [OAuthClient]
    /// Token requests allowed per client and caller address.
    public var rateLimit: RateLimit

    public static let defaultTokenLifetime = 3600
    public static let defaultRateLimit = RateLimit(perSecond: 1, burst: 10)

    public init(tokenPath: String, issuer: String, signingKeys: [OAuthSigningKeyConfig], tokenLifetime: Int = defaultTokenLifetime,
                clients: [OAuthClient], rateLimit: RateLimit = defaultRateLimit) {
        self.tokenPath = tokenPath
        self.issuer = issuer
        self.signingKeys = signingKeys
        self.tokenLifetime = tokenLifetime
        self.clients = clients
        self.rateLimit = rateLimit
    }

    public func client(id: String) -> OAuthClient? {
        clients.first { $0.id == id }
    }
}

/// One signing key: its `kid` and the PEM file of its private key (P-256 for ES256, RSA for RS256).
public struct OAuthSigningKeyConfig: Sendable, Equatable {
    public var id: String
    public var privateKeyPath: String

    public init(id: String, privateKeyPath: String) {
        self.id = id
        self.privateKeyPath = privateKeyPath
    }
}

/// A caller allowed to ask for tokens: its id, its secret (as given, or only its SHA-256) and the scopes it may get.
public struct OAuthClient: Sendable, Equatable {
    /// How the client's secret is kept in the configuration.
    public enum Secret: Sendable, Equatable {
        case plain([UInt8])
        /// `secretSha256:` the SHA-256 of the secret, so the configuration never holds the secret itself.
        case sha256([UInt8])
    }

    public var id: String
    public var secret: Secret
    public var scopes: [String]

    public init(id: String, secret: Secret, scopes: [String]) {
        self.id = id
        self.secret = secret
        self.scopes = scopes
    }
}

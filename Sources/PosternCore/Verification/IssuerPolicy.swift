/// What `verify: {preset: jwt}` trusts: bearer JWTs from an external identity provider, whose keys are fetched over
/// https from its JWKS URL, with the same claim checks as Postern's own tokens.
public struct IssuerPolicy: Sendable, Equatable {
    /// The `iss` every token must carry.
    public var issuer: String
    /// The `aud` every token must name: this gateway's identifier at the provider.
    public var audience: String
    public var jwksURL: String
    /// A PEM file of CA certificates that the JWKS server's certificate must chain to, instead of the system's.
    public var jwksCA: String?
    /// Where the last good JWKS is kept, so a start while the provider is unreachable uses it.
    public var jwksCache: String
    /// Scopes, clients (`client_id`, else `azp`, else `sub`) and leeway.
    public var requirement: TokenRequirement

    public init(issuer: String, audience: String, jwksURL: String, jwksCA: String? = nil, jwksCache: String,
                requirement: TokenRequirement) {
        self.issuer = issuer
        self.audience = audience
        self.jwksURL = jwksURL
        self.jwksCA = jwksCA
        self.jwksCache = jwksCache
        self.requirement = requirement
    }
}

import PosternCore

/// A source's verifier, built from its decoded `verify` section.
public struct SourceVerifier: Sendable {
    public let verifier: any Verifier
    /// The decoded `verify` section the verifier was built from.
    public let config: VerifyConfig
    /// The preset, or one called `hmac` for a descriptor written out.
    public var preset: Preset { config.preset }
    /// The HMAC descriptor, for signing test requests and for the security posture.
    public let descriptor: HMACDescriptor?
    /// The identity provider's keys a `jwt` source verifies with, which the server fetches and refreshes.
    public let issuerKeys: TokenKeySet?

    public var presetName: String { preset.name }
    /// The header carrying the sender's correlation id.
    public var correlationHeader: String? { preset.correlationHeader }

    /// The timestamp window in seconds, when the scheme carries a timestamp.
    public var tolerance: Int? {
        if case .sigv4(let policy) = config.secrets { return policy.tolerance }
        return descriptor?.timestamp == nil ? nil : descriptor?.tolerance
    }

    /// Whether the signature covers the sender's timestamp, so a resent capture with a fresh timestamp fails; nil when
    /// the scheme has no timestamp. False for the tutorial presets that sign only the body: their timestamp window
    /// protects nothing, and a replay is refused only while the signature dedup still holds the event.
    public var timestampIsSigned: Bool? {
        if case .sigv4 = config.secrets { return true }
        guard let descriptor, descriptor.timestamp != nil else { return nil }
        return descriptor.signedContent != .body
    }

    /// What is checked, in a phrase for the security posture: `HMAC-SHA256 hex in X-Hub-Signature-256`.
    public var summary: String {
        if let descriptor {
            return "HMAC-\(descriptor.algorithm.rawValue.uppercased()) \(descriptor.encoding.rawValue) in \(descriptor.header)"
        }
        switch config.secrets {
        case .sigv4(let policy):
            return "AWS SigV4 for \(policy.service) in \(policy.region), \(policy.credentials.count) key(s)"
        case .basic: return "basic credentials"
        case .bearer: return "bearer credentials"
        case .apiKey: return "api-key credentials"
        case .oauth(let requirement):
            let scopes = requirement.scopes.isEmpty ? "" : " with scope \(requirement.scopes.joined(separator: " "))"
            return "OAuth 2.0 access tokens from this gateway\(scopes)"
        case .jwt(let policy):
            return "JWTs from \(policy.issuer), keys from \(policy.jwksURL)"
        case .hmac, .none: return "none: unauthenticated"
        }
    }

    /// Builds the verifier a decoded `verify` section describes; `tokens` checks the oauth preset's tokens.
    public init(_ config: VerifyConfig, tokens: TokenAuthority? = nil) {
        let preset = config.preset
        switch config.secrets {
        case .hmac(let descriptor, let keys, let publicKeys):
            self.verifier = HMACVerifier(descriptor: descriptor, keys: keys, publicKeys: publicKeys, scheme: preset.name)
        case .basic(let credentials):
            self.verifier = CredentialVerifier(kind: .basic, accepted: credentials)
        case .bearer(let tokens, let scheme):
            self.verifier = CredentialVerifier(kind: .bearer(scheme: scheme), accepted: tokens)
        case .apiKey(let header, let keys):
            self.verifier = CredentialVerifier(kind: .apiKey(header: header), accepted: keys)
        case .sigv4(let policy):
            self.verifier = SigV4Verifier(policy: policy, scheme: preset.name)
        case .oauth(let requirement):
            self.verifier = AccessTokenVerifier(authority: tokens, requirement: requirement)
        case .jwt(let policy):
            let keys = TokenKeySet()
            self.verifier = IssuerTokenVerifier(policy: policy, keys: keys)
        case .none:
            self.verifier = OpenVerifier()
        }
        self.descriptor = config.descriptor
        self.config = config
        self.issuerKeys = (verifier as? IssuerTokenVerifier)?.keys
    }
}

/// A source's `verify` section, decoded and checked: the preset it names (or the HMAC descriptor written out) and
/// the secrets it verifies with, already in the form the verifier uses.
public struct VerifyConfig: Sendable {
    /// The secrets of each kind of verification.
    public enum Secrets: Sendable {
        /// Key bytes, decoded with the descriptor's secret encoding, and ed25519 public keys (`whpk_`) where the
        /// convention signs with them; several of each for rotation.
        case hmac(HMACDescriptor, keys: [[UInt8]], publicKeys: [[UInt8]])
        /// `user:password` pairs.
        case basic(credentials: [String])
        /// Tokens after `<scheme> ` in `Authorization` (`Bearer`, or `ApiKey` as Cognigy's HTTP Request node sends).
        case bearer(tokens: [String], scheme: String)
        case apiKey(header: String, keys: [String])
        case sigv4(SigV4Policy)
        /// Postern's own access tokens, checked against the `oauth` section's keys, issuer and clients.
        case oauth(TokenRequirement)
        /// An external identity provider's tokens.
        case jwt(IssuerPolicy)
        case none
    }

    /// The preset named, or one called `hmac` made of the descriptor written out.
    public let preset: Preset
    public let secrets: Secrets

    public init(preset: Preset, secrets: Secrets) {
        self.preset = preset
        self.secrets = secrets
    }

    /// The HMAC descriptor, with the source's tolerance; nil for the other kinds.
    public var descriptor: HMACDescriptor? {
        if case .hmac(let descriptor, _, _) = secrets { return descriptor }
        return nil
    }

    /// Whether the verification checks a signature, so `signature` is a usable idempotency key.
    public var isSignature: Bool {
        switch secrets {
        case .hmac, .sigv4: true
        case .basic, .bearer, .apiKey, .oauth, .jwt, .none: false
        }
    }
}

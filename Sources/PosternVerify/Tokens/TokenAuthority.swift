import Crypto
import Foundation
import PosternCore
import Synchronization

/// The `oauth` section at work: it issues access tokens to the configured clients with the first signing key, and
/// knows every key that verifies them — the configured ones, and those a reload removed, until the last token they
/// signed has expired. One per loaded configuration; a reload's carries over the keys it no longer lists.
public final class TokenAuthority: Sendable {
    public let config: OAuthConfig
    public let signer: TokenSigningKey
    private let clients: [String: OAuthClient]
    /// The configured keys by `kid`, and the retired ones with the time they stop verifying.
    private let keys: Mutex<[String: (key: TokenKey, retiredUntil: Date?)]>

    public var issuer: String { config.issuer }

    /// `signingKeys` in the order configured, read from their files; at least one.
    public init(_ config: OAuthConfig, signingKeys: [TokenSigningKey]) {
        precondition(!signingKeys.isEmpty, "the oauth section's decoding requires a signing key")
        self.config = config
        self.signer = signingKeys[0]
        self.clients = Dictionary(config.clients.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.keys = Mutex(Dictionary(signingKeys.map { ($0.id, (key: $0.publicKey, retiredUntil: nil)) },
                                     uniquingKeysWith: { first, _ in first }))
    }

    /// Keeps verifying (and publishing) the keys `previous` had and this configuration no longer lists, until every
    /// token they could have signed has expired.
    public func carryOver(from previous: TokenAuthority, now: Date) {
        let retiring = previous.keys.withLock { $0 }
        let until = now.addingTimeInterval(TimeInterval(previous.config.tokenLifetime))
        keys.withLock { keys in
            for (id, entry) in retiring where keys[id] == nil {
                let end = entry.retiredUntil ?? until
                if end > now { keys[id] = (entry.key, end) }
            }
        }
    }

    /// The key a token's `kid` names, while it verifies.
    public func key(id: String, now: Date) -> TokenKey? {
        keys.withLock { keys in
            guard let entry = keys[id] else { return nil }
            if let until = entry.retiredUntil, until <= now { return nil }
            return entry.key
        }
    }

    /// Every key that verifies now, the signing key first: `/.well-known/jwks.json`.
    public func publishedKeys(now: Date) -> [TokenKey] {
        keys.withLock { keys in
            keys.values.filter { $0.retiredUntil.map { $0 > now } ?? true }.map(\.key)
        }.sorted { ($0.id == signer.id ? 0 : 1, $0.id) < ($1.id == signer.id ? 0 : 1, $1.id) }
    }

    /// `{"keys": [...]}` as the JWKS document.
    public func jwks(now: Date) -> JSONValue {
        .object(["keys": .array(publishedKeys(now: now).map(\.jwk))])
    }

    /// The configured client with this id: a client removed by a reload is gone, and so are its tokens.
    public func client(id: String) -> OAuthClient? {
        clients[id]
    }

    /// Whether `secret` is the client's, compared in constant time (against its SHA-256 when only that is kept).
    public static func authenticates(_ client: OAuthClient, secret: [UInt8]) -> Bool {
        switch client.secret {
        case .plain(let expected):
            return ConstantTime.equals(Array(SHA256.hash(data: expected)), Array(SHA256.hash(data: secret)))
        case .sha256(let digest):
            return ConstantTime.equals(digest, Array(SHA256.hash(data: secret)))
        }
    }

    /// An access token (RFC 9068's JWT profile) for `client` with `scopes`, signed by the first key.
    public func issue(to client: OAuthClient, scopes: [String], now: Date) throws -> String {
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        let header = "{\"alg\":\(JSONText.quoted(signer.algorithm.rawValue)),\"kid\":\(JSONText.quoted(signer.id)),\"typ\":\"at+jwt\"}"
        let claims = [
            "\"iss\":\(JSONText.quoted(issuer))", "\"sub\":\(JSONText.quoted(client.id))",
            "\"aud\":\(JSONText.quoted(issuer))", "\"client_id\":\(JSONText.quoted(client.id))",
            "\"iat\":\(issuedAt)", "\"nbf\":\(issuedAt)", "\"exp\":\(issuedAt + Int64(config.tokenLifetime))",
            "\"jti\":\(JSONText.quoted(UUID().lowercasedString))", "\"scope\":\(JSONText.quoted(scopes.joined(separator: " ")))",
        ].joined(separator: ",")
        let input = Data(header.utf8).base64URLEncoded + "." + Data("{\(claims)}".utf8).base64URLEncoded
        let signature = try signer.sign(Array(input.utf8))
        return input + "." + Data(signature).base64URLEncoded
    }
}

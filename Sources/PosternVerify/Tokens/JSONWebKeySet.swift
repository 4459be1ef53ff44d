import _CryptoExtras
import Crypto
import Foundation
import PosternCore
import Synchronization

/// An identity provider's JWKS document (RFC 7517 §5) read into the keys that can verify its tokens. Written for a
/// document fetched from the network: at most `maxBytes` and `maxKeys`; a key without `kid`, for encryption
/// (`use: enc`), of a type or curve not supported, or too weak (RSA under 2048 bits) is left out, not guessed at.
public enum JSONWebKeySet {
    public static let maxBytes = 65_536
    public static let maxKeys = 100

    /// Why a document gave no keys.
    public struct Unusable: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public static func keys(_ bytes: [UInt8]) throws(Unusable) -> [TokenKey] {
        guard bytes.count <= maxBytes else { throw Unusable(description: "the JWKS is larger than \(maxBytes) bytes") }
        guard case .object(let document)? = try? JSONParser.parse(bytes, maxDepth: 6),
              case .array(let entries)? = document["keys"] else {
            throw Unusable(description: "the JWKS is not a JSON object with a keys array")
        }
        let keys = entries.prefix(maxKeys).compactMap(key)
        guard !keys.isEmpty else { throw Unusable(description: "the JWKS holds no signing key this gateway can use (ES256, RS256, PS256, EdDSA, each with a kid)") }
        return keys
    }

    /// One JWK as a key, or nil when it cannot verify tokens here.
    static func key(_ entry: JSONValue) -> TokenKey? {
        guard case .object(let jwk) = entry, let id = text(jwk["kid"]), !id.isEmpty else { return nil }
        if let use = text(jwk["use"]), use != "sig" { return nil }
        let alg = text(jwk["alg"])
        switch (text(jwk["kty"]), text(jwk["crv"])) {
        case ("EC", "P-256"):
            guard alg == nil || alg == "ES256", let x = bytes(jwk["x"]), let y = bytes(jwk["y"]), x.count == 32, y.count == 32,
                  let key = try? P256.Signing.PublicKey(x963Representation: [0x04] + x + y) else { return nil }
            return TokenKey(id: id, algorithm: .es256, material: .p256(key))
        case ("RSA", _):
            guard let algorithm = alg.map({ TokenAlgorithm(rawValue: $0) }) ?? .rs256, algorithm == .rs256 || algorithm == .ps256,
                  let n = bytes(jwk["n"]), let e = bytes(jwk["e"]), let key = try? _RSA.Signing.PublicKey(n: n, e: e) else { return nil }
            return TokenKey(id: id, algorithm: algorithm, material: .rsa(key))
        case ("OKP", "Ed25519"):
            guard alg == nil || alg == "EdDSA", let x = bytes(jwk["x"]), x.count == 32,
                  let key = try? Curve25519.Signing.PublicKey(rawRepresentation: x) else { return nil }
            return TokenKey(id: id, algorithm: .edDSA, material: .ed25519(key))
        default:
            return nil
        }
    }

    private static func text(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    private static func bytes(_ value: JSONValue?) -> [UInt8]? {
        text(value).flatMap { JSONWebToken.decode(Substring($0)) }
    }
}

/// The keys a `jwt` source verifies with, swapped whole when its JWKS is fetched again; read by every request.
public final class TokenKeySet: Sendable {
    private let keys: Mutex<[String: TokenKey]>

    public init(_ keys: [TokenKey] = []) {
        self.keys = Mutex(Self.byID(keys))
    }

    public func replace(with keys: [TokenKey]) {
        let next = Self.byID(keys)
        self.keys.withLock { $0 = next }
    }

    public func key(id: String) -> TokenKey? {
        keys.withLock { $0[id] }
    }

    public var all: [TokenKey] {
        keys.withLock { Array($0.values) }
    }

    private static func byID(_ keys: [TokenKey]) -> [String: TokenKey] {
        Dictionary(keys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

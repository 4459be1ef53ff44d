import _CryptoExtras
import Crypto
import Foundation
import PosternCore

/// The JWS algorithms a token may be signed with (RFC 7518 §3, RFC 8037 §3.1). `none` and the HMAC ones are not
/// among them: a token is only ever checked with a public key, so a public key can never be used as an HMAC secret.
public enum TokenAlgorithm: String, Sendable, CaseIterable {
    case es256 = "ES256"
    case rs256 = "RS256"
    case ps256 = "PS256"
    case edDSA = "EdDSA"
}

/// A public key that verifies tokens: its `kid`, the one algorithm it verifies, and the key itself. A token whose
/// `alg` is not the key's algorithm is refused whatever its signature.
public struct TokenKey: Sendable {
    enum Material: Sendable {
        case p256(P256.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }

    public let id: String
    public let algorithm: TokenAlgorithm
    let material: Material

    init(id: String, algorithm: TokenAlgorithm, material: Material) {
        self.id = id
        self.algorithm = algorithm
        self.material = material
    }

    /// Whether `signature` is this key's signature of `input` under its algorithm.
    public func isValidSignature(_ signature: [UInt8], for input: [UInt8]) -> Bool {
        switch material {
        case .p256(let key):
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: SHA256.hash(data: input))
        case .rsa(let key):
            let padding: _RSA.Signing.Padding = algorithm == .ps256 ? .PSS : .insecurePKCS1v1_5
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: input),
                                        padding: padding)
        case .ed25519(let key):
            return key.isValidSignature(signature, for: input)
        }
    }

    /// The key as a JWK (RFC 7517) for `/.well-known/jwks.json`: public members only.
    public var jwk: JSONValue {
        var members: [JSONKey: JSONValue] = ["kid": .string(id), "alg": .string(algorithm.rawValue), "use": .string("sig")]
        switch material {
        case .p256(let key):
            let point = Data(key.x963Representation.dropFirst())
            members["kty"] = .string("EC")
            members["crv"] = .string("P-256")
            members["x"] = .string(Data(point.prefix(32)).base64URLEncoded)
            members["y"] = .string(Data(point.suffix(32)).base64URLEncoded)
        case .rsa(let key):
            let primitives = try? key.getKeyPrimitives()
            members["kty"] = .string("RSA")
            members["n"] = .string(primitives?.modulus.base64URLEncoded ?? "")
            members["e"] = .string(primitives?.publicExponent.base64URLEncoded ?? "")
        case .ed25519(let key):
            members["kty"] = .string("OKP")
            members["crv"] = .string("Ed25519")
            members["x"] = .string(key.rawRepresentation.base64URLEncoded)
        }
        return .object(members)
    }
}

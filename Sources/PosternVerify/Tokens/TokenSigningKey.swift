import _CryptoExtras
import Crypto
import Foundation

/// A private key that signs the access tokens Postern issues, read from a PEM file: P-256 (ES256) or RSA of at
/// least 2048 bits (RS256).
public struct TokenSigningKey: Sendable {
    enum Material: Sendable {
        case p256(P256.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
    }

    public let id: String
    let material: Material

    /// Why a PEM file is not a usable signing key.
    public struct Unusable: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Reads the key from PEM text (PKCS#8, SEC 1 or PKCS#1).
    public init(id: String, pem: String) throws(Unusable) {
        self.id = id
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            material = .p256(key)
        } else if let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
            material = .rsa(key)
        } else {
            throw Unusable(description: "is not a P-256 (ES256) or RSA (RS256, at least 2048 bits) private key in PEM")
        }
    }

    /// Generates a P-256 key (tests and `postern oauth keygen`).
    public init(id: String) {
        self.id = id
        material = .p256(P256.Signing.PrivateKey())
    }

    public var pem: String {
        switch material {
        case .p256(let key): key.pemRepresentation
        case .rsa(let key): key.pemRepresentation
        }
    }

    public var algorithm: TokenAlgorithm {
        switch material {
        case .p256: .es256
        case .rsa: .rs256
        }
    }

    /// The public half, which verifies what this key signs.
    public var publicKey: TokenKey {
        switch material {
        case .p256(let key): TokenKey(id: id, algorithm: .es256, material: .p256(key.publicKey))
        case .rsa(let key): TokenKey(id: id, algorithm: .rs256, material: .rsa(key.publicKey))
        }
    }

    /// The JWS signature of `input`: raw r‖s for ES256 (RFC 7518 §3.4), PKCS #1 v1.5 for RS256.
    func sign(_ input: [UInt8]) throws -> [UInt8] {
        switch material {
        case .p256(let key): Array(try key.signature(for: SHA256.hash(data: input)).rawRepresentation)
        case .rsa(let key): Array(try key.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation)
        }
    }
}

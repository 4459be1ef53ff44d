import Foundation

/// Everything that distinguishes one HMAC webhook convention from another. Every HMAC preset is one of these,
/// and a user can write one out as `verify: {hmac: {...}}`, so a new sender is configuration, not code.
public struct HMACDescriptor: Sendable, Equatable {
    /// The hash under the HMAC.
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha1, sha256, sha512
    }

    /// How the secret text becomes key bytes.
    public enum SecretEncoding: String, Sendable, CaseIterable {
        /// The UTF-8 bytes of the secret as written (Stripe uses its whole `whsec_...` string this way).
        case raw
        /// Base64, after an optional `whsec_` prefix (Standard Webhooks).
        case base64
    }

    /// The bytes the sender signs.
    public enum SignedContent: String, Sendable, CaseIterable {
        case body
        /// `<timestamp>.<body>` (Stripe, jambonz).
        case timestampDotBody = "timestamp.body"
        /// `<id>.<timestamp>.<body>` (Standard Webhooks).
        case idDotTimestampDotBody = "id.timestamp.body"
    }

    /// How a timestamp is written.
    public enum TimestampFormat: String, Sendable, CaseIterable {
        case unix
        case unixMilliseconds = "unix-ms"
        case rfc3339
    }

    /// Where the sender's timestamp is found.
    public enum TimestampLocation: Sendable, Equatable {
        /// Its own header.
        case header(String)
        /// An item of the signature header with this prefix, e.g. `t=` in `t=1700000000,v1=...`.
        case signatureItem(prefix: String)
    }

    public var header: String
    /// Text before each signature, e.g. `sha256=` or `v1,`.
    public var prefix: String = ""
    /// Separates several items in the signature header (` ` for Standard Webhooks, `,` for Stripe); nil for one.
    public var delimiter: String? = nil
    public var encoding: ByteEncoding = .hex
    public var algorithm: Algorithm = .sha256
    public var secretEncoding: SecretEncoding = .raw
    public var signedContent: SignedContent = .body
    public var timestamp: TimestampLocation? = nil
    public var timestampFormat: TimestampFormat = .unix
    /// The header carrying the message id, when the signed content includes it.
    public var idHeader: String? = nil
    /// Seconds the sender's timestamp may be behind ours (and ahead of it, unless `futureTolerance` says otherwise).
    public var tolerance: Int = 300
    /// Seconds the sender's timestamp may be ahead of ours, when not `tolerance`.
    public var futureTolerance: Int? = nil
    /// The prefix of ed25519 signatures (`v1a,` in Standard Webhooks), verified with `whpk_` public keys; nil when the
    /// convention has none.
    public var publicKeyPrefix: String? = nil

    public init(header: String, prefix: String = "", delimiter: String? = nil, encoding: ByteEncoding = .hex,
                algorithm: Algorithm = .sha256, secretEncoding: SecretEncoding = .raw,
                signedContent: SignedContent = .body, timestamp: TimestampLocation? = nil,
                timestampFormat: TimestampFormat = .unix, idHeader: String? = nil, tolerance: Int = 300,
                publicKeyPrefix: String? = nil) {
        self.header = header
        self.prefix = prefix
        self.delimiter = delimiter
        self.encoding = encoding
        self.algorithm = algorithm
        self.secretEncoding = secretEncoding
        self.signedContent = signedContent
        self.timestamp = timestamp
        self.timestampFormat = timestampFormat
        self.idHeader = idHeader
        self.tolerance = tolerance
        self.publicKeyPrefix = publicKeyPrefix
    }

    /// The ed25519 public key in a `whpk_` secret (32 bytes), when the convention signs with them; nil otherwise.
    public func publicKeyBytes(for secret: String) -> [UInt8]? {
        guard publicKeyPrefix != nil, secret.hasPrefix("whpk_"), let bytes = Data(base64Encoded: String(secret.dropFirst(5))),
              bytes.count == 32 else { return nil }
        return Array(bytes)
    }

    /// Turns a configured secret into key bytes; nil when it is not valid in the secret encoding.
    public func keyBytes(for secret: String) -> [UInt8]? {
        switch secretEncoding {
        case .raw:
            return secret.isEmpty ? nil : Array(secret.utf8)
        case .base64:
            let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
            guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else { return nil }
            return Array(bytes)
        }
    }
}

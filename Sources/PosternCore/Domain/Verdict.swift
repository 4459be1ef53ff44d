import Foundation

/// What a verifier says about one request: verified (with what it learned) or refused with a reason.
public enum Verdict: Sendable, Equatable {
    case verified(Verification)
    case refused(VerificationFailure)
}

/// What a successful verification established, kept with the stored event.
public struct Verification: Sendable, Equatable, Codable {
    /// The scheme that verified the request, e.g. `hmac:stripe`, `bearer`, `none`.
    public var scheme: String
    /// Which of the configured secrets matched (0-based); rotation shows here.
    public var secretIndex: Int?
    /// The sender's timestamp, when the scheme carries one.
    public var timestamp: Date?
    /// SHA-256 (hex) of the matching signature, never the signature itself: the `signature` idempotency key.
    public var signatureDigest: String?
    /// The sender's message id, when the scheme carries one (Standard Webhooks `webhook-id`).
    public var messageID: String?
    /// The OAuth client a bearer token was issued to: the caller's identity.
    public var client: String?

    public init(scheme: String, secretIndex: Int? = nil, timestamp: Date? = nil,
                signatureDigest: String? = nil, messageID: String? = nil, client: String? = nil) {
        self.scheme = scheme
        self.secretIndex = secretIndex
        self.timestamp = timestamp
        self.signatureDigest = signatureDigest
        self.messageID = messageID
        self.client = client
    }
}

extension Verification {
    /// The JSON the stores keep: the fields present, the timestamp as Unix seconds.
    public var jsonText: String {
        var fields = ["\"scheme\":\(JSONText.quoted(scheme))"]
        if let secretIndex { fields.append("\"secretIndex\":\(secretIndex)") }
        if let timestamp { fields.append("\"timestamp\":\(JSONNumber(timestamp.timeIntervalSince1970).text)") }
        if let signatureDigest { fields.append("\"signatureDigest\":\(JSONText.quoted(signatureDigest))") }
        if let messageID { fields.append("\"messageID\":\(JSONText.quoted(messageID))") }
        if let client { fields.append("\"client\":\(JSONText.quoted(client))") }
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// Why a verifier refused a request; each case is one reason code.
public enum VerificationFailure: Error, Sendable, Equatable {
    case missingSignature(String)
    case invalidSignature
    case timestampOutOfWindow(String)
    case invalidCredentials
    case unknownAccessKey
    /// The named header must be signed and is not.
    case unsignedRequiredHeader(String)
    case payloadHashMismatch(String)
    case credentialScopeMismatch(String)
    case malformedAuthorization(String)
    /// No `Authorization: Bearer` token where a source takes access tokens.
    case missingToken
    case invalidToken(String)
    /// A `kid` the identity provider's key set does not hold (yet): the listener fetches its JWKS and checks again.
    case unknownSigningKey
    case tokenExpired
    /// The scopes the source requires (or a client it does not allow, with none).
    case insufficientScope(String)

    public var reason: ReasonCode {
        switch self {
        case .missingSignature: .missingSignature
        case .invalidSignature: .invalidSignature
        case .timestampOutOfWindow: .timestampOutOfWindow
        case .invalidCredentials: .invalidCredentials
        case .unknownAccessKey: .unknownAccessKey
        case .unsignedRequiredHeader: .unsignedRequiredHeader
        case .payloadHashMismatch: .payloadHashMismatch
        case .credentialScopeMismatch: .credentialScopeMismatch
        case .malformedAuthorization: .malformedAuthorization
        case .missingToken: .missingSignature
        case .invalidToken, .unknownSigningKey: .invalidToken
        case .tokenExpired: .tokenExpired
        case .insufficientScope: .insufficientScope
        }
    }

    /// A sentence for the caller; it names headers, never values.
    public var message: String {
        switch self {
        case .missingSignature(let what): "missing \(what)"
        case .invalidSignature: "no configured secret produces the signature sent"
        case .timestampOutOfWindow(let why): why
        case .invalidCredentials: "the credentials sent are not valid for this source"
        case .unknownAccessKey: "the access key id is not one this source accepts"
        case .unsignedRequiredHeader(let name): "the \(name) header must be signed"
        case .payloadHashMismatch(let why), .credentialScopeMismatch(let why), .malformedAuthorization(let why): why
        case .missingToken: "missing Authorization header with a Bearer token"
        case .invalidToken(let why): why
        case .unknownSigningKey: "the token's kid names no key of the issuer's JWKS"
        case .tokenExpired: "the token has expired"
        case .insufficientScope(let why): why
        }
    }

    /// The RFC 6750 §3 `WWW-Authenticate` challenge for a refused bearer token; nil for the other schemes.
    public var challenge: String? {
        let realm = "Bearer realm=\"postern\""
        switch self {
        case .missingToken: return realm
        case .invalidToken, .unknownSigningKey, .tokenExpired:
            return realm + ", error=\"invalid_token\", error_description=\"\(Self.quotable(message))\""
        case .insufficientScope:
            return realm + ", error=\"insufficient_scope\", error_description=\"\(Self.quotable(message))\""
        default: return nil
        }
    }

    /// Text safe inside a quoted string of a header (RFC 6750 §3 allows printable ASCII but `"` and `\\`).
    private static func quotable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { (0x20...0x7E).contains($0.value) && $0 != "\"" && $0 != "\\" }))
    }
}

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

    public init(scheme: String, secretIndex: Int? = nil, timestamp: Date? = nil,
                signatureDigest: String? = nil, messageID: String? = nil) {
        self.scheme = scheme
        self.secretIndex = secretIndex
        self.timestamp = timestamp
        self.signatureDigest = signatureDigest
        self.messageID = messageID
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
        }
    }
}

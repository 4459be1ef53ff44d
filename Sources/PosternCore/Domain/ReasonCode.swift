/// The reason code carried by every refusal, audit line and metric: one word per decision.
public enum ReasonCode: String, Sendable, CaseIterable, Codable {
    case accepted
    case duplicate
    case unknownSource = "unknown_source"
    case methodNotAllowed = "method_not_allowed"
    case bodyTooLarge = "body_too_large"
    case clientCertRequired = "client_cert_required"
    case clientCertNotAllowed = "client_cert_not_allowed"
    case ipNotAllowed = "ip_not_allowed"
    case rateLimited = "rate_limited"
    case missingSignature = "missing_signature"
    case invalidSignature = "invalid_signature"
    case timestampOutOfWindow = "timestamp_out_of_window"
    case invalidCredentials = "invalid_credentials"
    case unknownAccessKey = "unknown_access_key"
    case unsignedRequiredHeader = "unsigned_required_header"
    case payloadHashMismatch = "payload_hash_mismatch"
    case credentialScopeMismatch = "credential_scope_mismatch"
    case malformedAuthorization = "malformed_authorization"
    /// A bearer token that does not parse, is not signed by a key this gateway accepts, or whose claims do not hold.
    case invalidToken = "invalid_token"
    case tokenExpired = "token_expired"
    /// A valid token without a scope the source requires, or from a client it does not allow (403).
    case insufficientScope = "insufficient_scope"
    case malformedJSON = "malformed_json"
    case malformedForm = "malformed_form"
    /// Not well-formed XML, or XML with a DTD (refused, so no entity is ever declared or expanded).
    case malformedXML = "malformed_xml"
    /// The body ended early or broke off while it was read (the client closed, or the body deadline passed).
    case bodyUnreadable = "body_unreadable"
    case schemaViolation = "schema_violation"
    case storeUnavailable = "store_unavailable"

    /// The HTTP status a refusal with this reason is answered with.
    public var status: Int {
        switch self {
        case .accepted, .duplicate: 200
        case .unknownSource: 404
        case .methodNotAllowed: 405
        case .bodyTooLarge: 413
        case .clientCertRequired, .clientCertNotAllowed, .ipNotAllowed: 403
        case .rateLimited: 429
        case .missingSignature, .invalidSignature, .timestampOutOfWindow, .invalidCredentials, .unknownAccessKey,
             .unsignedRequiredHeader, .payloadHashMismatch, .credentialScopeMismatch, .malformedAuthorization,
             .invalidToken, .tokenExpired: 401
        case .insufficientScope: 403
        case .malformedJSON, .malformedForm, .malformedXML, .bodyUnreadable: 400
        case .schemaViolation: 422
        case .storeUnavailable: 503
        }
    }

    /// Whether the request passed: an accepted or a duplicate event.
    public var isSuccess: Bool { self == .accepted || self == .duplicate }
}

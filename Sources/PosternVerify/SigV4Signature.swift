import Foundation
import PosternCore

/// What a SigV4-signed request claims, read from its Authorization header or from its presigned query.
public struct SigV4Signature: Sendable, Equatable {
    /// Where the signature travels.
    public enum Form: Sendable, Equatable {
        /// `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`.
        case header
        /// `?X-Amz-Algorithm=...&X-Amz-Signature=...`, valid for `expires` seconds.
        case query(expires: Int)
    }

    public static let algorithm = "AWS4-HMAC-SHA256"

    public var form: Form
    public var accessKeyID: String
    /// The credential scope's date (`yyyyMMdd`), region and service.
    public var scopeDate: String
    public var region: String
    public var service: String
    /// Lower-case header names, sorted, as the canonical request lists them.
    public var signedHeaders: [String]
    public var signature: [UInt8]
    /// The request time, `yyyyMMdd'T'HHmmss'Z'`, from `X-Amz-Date`.
    public var amzDate: String

    public var scope: String { "\(scopeDate)/\(region)/\(service)/aws4_request" }

    /// Reads the signature from the request: the Authorization header if present, else the presigned query.
    public static func read(from request: WebhookRequest) -> Result<SigV4Signature, VerificationFailure> {
        if let authorization = request.headers["Authorization"] {
            return fromHeader(authorization, amzDate: request.headers["X-Amz-Date"])
        }
        let query = QueryParameters(request.query)
        if query.first("X-Amz-Signature") != nil || query.first("X-Amz-Algorithm") != nil {
            return fromQuery(query)
        }
        return .failure(.missingSignature("Authorization header (or presigned X-Amz-Signature query)"))
    }

    static func fromHeader(_ value: String, amzDate: String?) -> Result<SigV4Signature, VerificationFailure> {
        guard value.hasPrefix(algorithm + " ") else {
            return .failure(.malformedAuthorization("the Authorization header is not \(algorithm)"))
        }
        var fields: [String: String] = [:]
        for component in value.dropFirst(algorithm.count + 1).split(separator: ",") {
            let trimmed = component.trimmingSpaces
            guard let equals = trimmed.firstIndex(of: "="), fields[String(trimmed[..<equals])] == nil else {
                return .failure(.malformedAuthorization("the Authorization header has a malformed component"))
            }
            fields[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
        }
        guard let credential = fields["Credential"], let signedHeaders = fields["SignedHeaders"],
              let signature = fields["Signature"], fields.count == 3 else {
            return .failure(.malformedAuthorization("the Authorization header needs exactly Credential, SignedHeaders and Signature"))
        }
        guard let amzDate else { return .failure(.missingSignature("X-Amz-Date header")) }
        return make(form: .header, credential: credential, signedHeaders: signedHeaders, signature: signature, amzDate: amzDate)
    }

    static func fromQuery(_ query: QueryParameters) -> Result<SigV4Signature, VerificationFailure> {
        guard query.first("X-Amz-Algorithm") == algorithm else {
            return .failure(.malformedAuthorization("X-Amz-Algorithm must be \(algorithm)"))
        }
        guard let credential = query.first("X-Amz-Credential"), let signedHeaders = query.first("X-Amz-SignedHeaders"),
              let signature = query.first("X-Amz-Signature"), let amzDate = query.first("X-Amz-Date"),
              let expiresText = query.first("X-Amz-Expires") else {
            return .failure(.malformedAuthorization(
                "a presigned request needs X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature"))
        }
        // AWS caps presigned URLs at seven days.
        guard let expires = Int(expiresText), (1...604_800).contains(expires) else {
            return .failure(.malformedAuthorization("X-Amz-Expires must be 1 to 604800 seconds"))
        }
        return make(form: .query(expires: expires), credential: credential, signedHeaders: signedHeaders,
                    signature: signature, amzDate: amzDate)
    }

    private static func make(form: Form, credential: String, signedHeaders: String, signature: String,
                             amzDate: String) -> Result<SigV4Signature, VerificationFailure> {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[4] == "aws4_request", !parts[0].isEmpty, parts[1].count == 8 else {
            return .failure(.malformedAuthorization("Credential must be <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request"))
        }
        let headers = signedHeaders.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard !headers.contains(where: \.isEmpty), headers.allSatisfy({ $0 == $0.lowercased() }) else {
            return .failure(.malformedAuthorization("SignedHeaders must be lower-case names separated by ;"))
        }
        guard signature.count == 64, let bytes = ByteEncoding.hex.decode(signature) else {
            return .failure(.malformedAuthorization("Signature must be 64 hex digits"))
        }
        return .success(SigV4Signature(form: form, accessKeyID: parts[0], scopeDate: parts[1], region: parts[2],
                                       service: parts[3], signedHeaders: headers.sorted(), signature: bytes,
                                       amzDate: amzDate))
    }
}

/// A query string's parameters, decoded, in received order (`+` stays a plus, as SigV4 requires).
struct QueryParameters {
    var pairs: [(name: [UInt8], value: [UInt8])]

    init(_ query: String?, plusIsSpace: Bool = false) {
        pairs = (query ?? "").split(separator: "&").map { piece in
            let text = plusIsSpace ? Substring(piece.replacingOccurrences(of: "+", with: "%20")) : piece
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (AWSPercentEncoding.decode(parts[0]), parts.count > 1 ? AWSPercentEncoding.decode(parts[1]) : [])
        }
    }

    func first(_ name: String) -> String? {
        let wanted = Array(name.utf8)
        return pairs.first { $0.name == wanted }.map { String(decoding: $0.value, as: UTF8.self) }
    }
}

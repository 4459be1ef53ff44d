import Foundation
import PosternCore

/// Verifies a static credential sent with each request — HTTP Basic, a bearer token, or an API key header —
/// against several accepted values, in constant time.
public struct CredentialVerifier: Verifier {
    /// Where the credential travels.
    public enum Kind: Sendable, Equatable {
        /// `Authorization: Basic base64(user:password)`; accepted values are `user:password`.
        case basic
        /// `Authorization: <scheme> <token>`: `Bearer`, or another scheme such as `ApiKey`.
        case bearer(scheme: String)
        /// A header of its own, e.g. Cognigy's `X-Webhook-Key`.
        case apiKey(header: String)
    }

    public let kind: Kind
    private let accepted: [String]

    public init(kind: Kind, accepted: [String]) {
        self.kind = kind
        self.accepted = accepted
    }

    public var scheme: String {
        switch kind {
        case .basic: "basic"
        case .bearer: "bearer"
        case .apiKey: "api-key"
        }
    }

    public func verify(_ request: WebhookRequest, now: Date) -> Verdict {
        guard let presented = presented(in: request.headers) else {
            return .refused(.missingSignature(kind.headerDescription))
        }
        guard let index = ConstantTime.firstMatch(of: presented, in: accepted) else {
            return .refused(.invalidCredentials)
        }
        return .verified(Verification(scheme: scheme, secretIndex: index))
    }

    private func presented(in headers: RequestHeaders) -> String? {
        switch kind {
        case .basic:
            guard let encoded = Self.authorization(headers, scheme: "Basic"),
                  let decoded = Data(base64Encoded: encoded) else { return nil }
            return String(decoding: decoded, as: UTF8.self)
        case .bearer(let scheme):
            return Self.authorization(headers, scheme: scheme)
        case .apiKey(let header):
            return headers[header].flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// The credential after `<scheme> ` in the Authorization header; the scheme name is case-insensitive (RFC 9110 §11.1).
    static func authorization(_ headers: RequestHeaders, scheme: String) -> String? {
        guard let value = headers["Authorization"], value.count > scheme.count + 1,
              value.prefix(scheme.count).lowercased() == scheme.lowercased(),
              value.dropFirst(scheme.count).first == " " else { return nil }
        let credential = value.dropFirst(scheme.count + 1).trimmingSpaces
        return credential.isEmpty ? nil : credential
    }
}

extension CredentialVerifier.Kind {
    var headerDescription: String {
        switch self {
        case .basic: "Authorization header with Basic credentials"
        case .bearer(let scheme): "Authorization header with a \(scheme) token"
        case .apiKey(let header): "\(header) header"
        }
    }
}

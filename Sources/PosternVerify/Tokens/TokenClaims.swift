import Foundation
import PosternCore

/// The claim checks every bearer-token preset shares (RFC 7519 §4.1, RFC 9068 §4): who issued the token, for whom,
/// when it holds, and what it allows.
enum TokenClaims {
    /// The request's bearer token, parsed and its signature checked with the key its `kid` names (`key`), under that
    /// key's own algorithm only; `unknown` is the refusal when no key has that `kid`.
    static func signedToken(_ request: WebhookRequest, key: (String) -> TokenKey?,
                            unknown: VerificationFailure) -> Result<JSONWebToken, VerificationFailure> {
        guard let text = CredentialVerifier.authorization(request.headers, scheme: "Bearer") else { return .failure(.missingToken) }
        let token: JSONWebToken
        do {
            token = try JSONWebToken(Substring(text))
        } catch {
            return .failure(.invalidToken(error.reason))
        }
        guard let kid = token.keyID else { return .failure(.invalidToken("the token has no kid")) }
        guard let key = key(kid) else { return .failure(unknown) }
        guard token.algorithm == key.algorithm.rawValue else {
            return .failure(.invalidToken("the token's alg is not its key's algorithm (\(key.algorithm.rawValue))"))
        }
        guard key.isValidSignature(token.signature, for: token.signingInput) else {
            return .failure(.invalidToken("the token's signature does not verify"))
        }
        return .success(token)
    }

    /// `iss` is the issuer, `aud` (a string or a list) names the audience, `exp` is required and not past, and `nbf`
    /// (when sent) has come, both within `leeway` seconds.
    static func check(_ token: JSONWebToken, issuer: String, audience: String, leeway: Int, now: Date) -> VerificationFailure? {
        guard token.string("iss") == issuer else { return .invalidToken("the token's iss is not the expected issuer") }
        let audiences: [String]
        switch token.claims["aud"] {
        case .string(let one)?: audiences = [one]
        case .array(let many)?: audiences = many.compactMap { if case .string(let one) = $0 { one } else { nil } }
        default: audiences = []
        }
        guard audiences.contains(audience) else { return .invalidToken("the token's aud does not name this gateway") }
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        guard let expires = token.seconds("exp") else { return .invalidToken("the token has no exp") }
        if seconds > expires.addingReportingOverflow(Int64(leeway)).partialValue { return .tokenExpired }
        if token.claims["nbf"] != nil {
            guard let notBefore = token.seconds("nbf") else { return .invalidToken("the token's nbf is not a number") }
            if seconds.addingReportingOverflow(Int64(leeway)).partialValue < notBefore {
                return .invalidToken("the token is not valid yet (nbf)")
            }
        }
        return nil
    }

    /// The client is one the source allows, and the token's `scope` (or `scp`) holds every scope the source requires.
    static func check(_ token: JSONWebToken, client: String, _ requirement: TokenRequirement) -> VerificationFailure? {
        if !requirement.clients.isEmpty, !requirement.clients.contains(client) {
            return .insufficientScope("the client \(client) may not call this source")
        }
        let granted = Set(scopes(token))
        let missing = requirement.scopes.filter { !granted.contains($0) }
        guard missing.isEmpty else {
            return .insufficientScope("the token lacks the scope \(missing.joined(separator: " ")) this source requires")
        }
        return nil
    }

    /// `scope` as RFC 9068 writes it (space-delimited), or `scp` as some identity providers do (a list or a string).
    static func scopes(_ token: JSONWebToken) -> [String] {
        switch token.claims["scope"] ?? token.claims["scp"] {
        case .string(let text)?: text.split(separator: " ").map(String.init)
        case .array(let items)?: items.compactMap { if case .string(let one) = $0 { one } else { nil } }
        default: []
        }
    }
}

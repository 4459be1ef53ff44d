import Foundation
import PosternCore

/// Verifies `Authorization: Bearer <JWT>` access tokens that this gateway's token endpoint issued
/// (`verify: {preset: oauth}`): the signature by `kid` with the algorithm of that key alone, `iss` and `aud` (this
/// gateway), `exp` and `nbf` with the source's leeway, a client still configured, then the source's clients and
/// scopes. The client becomes the event's caller identity.
///
/// Written on swift-crypto rather than jwt-kit: jwt-kit 5 verifies through its key collection, an actor, so every
/// request would await a task hop, where the listener verifies on the event loop in one synchronous call. The
/// algorithms are the same (swift-crypto's P-256, RSA and Ed25519).
public struct AccessTokenVerifier: Verifier {
    /// Nil when the configuration has no `oauth` section: every token is refused (`check` reports it first).
    let authority: TokenAuthority?
    let requirement: TokenRequirement

    public init(authority: TokenAuthority?, requirement: TokenRequirement) {
        self.authority = authority
        self.requirement = requirement
    }

    public func verify(_ request: WebhookRequest, now: Date) -> Verdict {
        guard let authority else {
            guard CredentialVerifier.authorization(request.headers, scheme: "Bearer") != nil else { return .refused(.missingToken) }
            return .refused(.invalidToken("this gateway issues no tokens (no oauth section)"))
        }
        let token: JSONWebToken
        switch TokenClaims.signedToken(request, key: { authority.key(id: $0, now: now) },
                                       unknown: .invalidToken("the token's kid names no signing key of this gateway")) {
        case .success(let signed): token = signed
        case .failure(let failure): return .refused(failure)
        }
        if let failure = TokenClaims.check(token, issuer: authority.issuer, audience: authority.issuer,
                                           leeway: requirement.leeway, now: now) {
            return .refused(failure)
        }
        guard let client = token.string("sub"), authority.client(id: client) != nil else {
            return .refused(.invalidToken("the token's client is not configured (any more)"))
        }
        if let failure = TokenClaims.check(token, client: client, requirement) { return .refused(failure) }
        return .verified(Verification(scheme: "oauth", client: client))
    }
}

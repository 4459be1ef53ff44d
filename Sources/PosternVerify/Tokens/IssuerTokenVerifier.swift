import Foundation
import PosternCore

/// Verifies `Authorization: Bearer <JWT>` from an external identity provider (`verify: {preset: jwt}`): the same
/// parsing, key, algorithm and claim checks as `AccessTokenVerifier`, against the provider's JWKS (`keys`, fetched by
/// the server) and the configured issuer and audience. The client is `client_id`, else `azp`, else `sub`.
///
/// A `kid` the key set does not hold is refused with `unknownSigningKey`, which the listener answers by fetching the
/// JWKS again (at most once per interval) and checking once more: a provider's rotation refuses no valid token.
public struct IssuerTokenVerifier: Verifier {
    let policy: IssuerPolicy
    let keys: TokenKeySet

    public init(policy: IssuerPolicy, keys: TokenKeySet) {
        self.policy = policy
        self.keys = keys
    }

    public func verify(_ request: WebhookRequest, now: Date) -> Verdict {
        let token: JSONWebToken
        switch TokenClaims.signedToken(request, key: keys.key(id:), unknown: .unknownSigningKey) {
        case .success(let signed): token = signed
        case .failure(let failure): return .refused(failure)
        }
        if let failure = TokenClaims.check(token, issuer: policy.issuer, audience: policy.audience,
                                           leeway: policy.requirement.leeway, now: now) {
            return .refused(failure)
        }
        guard let client = token.string("client_id") ?? token.string("azp") ?? token.string("sub") else {
            return .refused(.invalidToken("the token names no client (client_id, azp or sub)"))
        }
        if let failure = TokenClaims.check(token, client: client, policy.requirement) { return .refused(failure) }
        return .verified(Verification(scheme: "jwt", client: client))
    }
}

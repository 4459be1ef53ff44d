import Crypto
import Foundation
import PosternCore
import PosternVerify
import Testing

/// The oauth preset: tokens the authority issues verify; everything altered, expired, foreign or revoked does not,
/// each with its reason; retired keys verify until their tokens expire.
struct AccessTokenVerifierTests {
    static let issuer = "https://hooks.example.com"
    static let client = OAuthClient(id: "genesys", secret: .plain(Array("genesys-secret-0123456789".utf8)), scopes: ["hooks:write"])

    static func authority(_ keys: [TokenSigningKey] = [TokenSigningKey(id: "k1")], clients: [OAuthClient] = [client],
                          lifetime: Int = 600) -> TokenAuthority {
        TokenAuthority(OAuthConfig(tokenPath: "/oauth/token", issuer: issuer, signingKeys: [], tokenLifetime: lifetime, clients: clients),
                       signingKeys: keys)
    }

    static func verdict(_ token: String, _ authority: TokenAuthority, requirement: TokenRequirement = TokenRequirement(scopes: ["hooks:write"]),
                        now: Date = at(1_800_000_000)) -> Verdict {
        AccessTokenVerifier(authority: authority, requirement: requirement)
            .verify(body: [], headers: ["Authorization": "Bearer \(token)"], now: now)
    }

    @Test func anIssuedTokenVerifiesAndNamesItsClient() throws {
        let authority = Self.authority()
        let token = try authority.issue(to: Self.client, scopes: ["hooks:write"], now: at(1_800_000_000))
        let verdict = Self.verdict(token, authority)
        #expect(verdict.verification == Verification(scheme: "oauth", client: "genesys"))
        #expect(Self.verdict(token, authority, requirement: TokenRequirement(scopes: ["hooks:read"])).reason == .insufficientScope)
        #expect(Self.verdict(token, authority, requirement: TokenRequirement(clients: ["other"])).reason == .insufficientScope)
    }

    @Test func lifetimeIsCheckedWithTheLeeway() throws {
        let authority = Self.authority()
        let token = try authority.issue(to: Self.client, scopes: ["hooks:write"], now: at(1_800_000_000))
        #expect(Self.verdict(token, authority, now: at(1_800_000_000 + 600 + 30)).isVerified)
        #expect(Self.verdict(token, authority, now: at(1_800_000_000 + 600 + 31)).reason == .tokenExpired)
        #expect(Self.verdict(token, authority, now: at(1_800_000_000 - 31)).reason == .invalidToken)
    }

    @Test func anotherAuthoritysTokenOrARevokedClientIsRefused() throws {
        let token = try Self.authority().issue(to: Self.client, scopes: ["hooks:write"], now: at(1_800_000_000))
        #expect(Self.verdict(token, Self.authority()).reason == .invalidToken)  // same kid, another key
        let sameKey = TokenSigningKey(id: "k1")
        let issued = try Self.authority([sameKey]).issue(to: Self.client, scopes: ["hooks:write"], now: at(1_800_000_000))
        #expect(Self.verdict(issued, Self.authority([sameKey], clients: [])).reason == .invalidToken)
        #expect(Self.verdict(issued, Self.authority([sameKey])).isVerified)
    }

    @Test func aRetiredKeyVerifiesUntilItsTokensHaveExpired() throws {
        let (old, new) = (TokenSigningKey(id: "k1"), TokenSigningKey(id: "k2"))
        let before = Self.authority([old])
        let token = try before.issue(to: Self.client, scopes: ["hooks:write"], now: at(1_800_000_000))
        let after = Self.authority([new])
        after.carryOver(from: before, now: at(1_800_000_000))
        #expect(Self.verdict(token, after).isVerified)
        #expect(after.publishedKeys(now: at(1_800_000_000)).map(\.id) == ["k2", "k1"])
        #expect(after.publishedKeys(now: at(1_800_000_601)).map(\.id) == ["k2"])
        let later = Self.authority([new])
        later.carryOver(from: after, now: at(1_800_000_300))  // a second reload keeps the first retirement's end
        #expect(later.key(id: "k1", now: at(1_800_000_599)) != nil)
        #expect(later.key(id: "k1", now: at(1_800_000_600)) == nil)
    }

    @Test func theAlgorithmMustBeTheKeys() throws {
        let authority = Self.authority()
        let token = try authority.issue(to: Self.client, scopes: ["hooks:write"], now: at(1_800_000_000))
        let parts = token.split(separator: ".")
        for alg in ["RS256", "PS256", "EdDSA", "HS256", "none", "es256"] {
            let header = Data("{\"alg\":\"\(alg)\",\"kid\":\"k1\"}".utf8).base64URLEncoded
            #expect(Self.verdict("\(header).\(parts[1]).\(parts[2])", authority).reason == .invalidToken, "alg \(alg)")
        }
    }

    @Test func theParserRefusesWhatIsNotOneCanonicalCompactJWS() throws {
        let header = Data("{\"alg\":\"ES256\",\"kid\":\"k1\"}".utf8).base64URLEncoded
        let claims = Data("{\"sub\":\"a\"}".utf8).base64URLEncoded
        let signature = Data(repeating: 7, count: 64).base64URLEncoded
        #expect(throws: Never.self) { try JSONWebToken(Substring("\(header).\(claims).\(signature)")) }
        let refused = [
            "\(header).\(claims)", "\(header).\(claims).\(signature).x", "\(header)..\(signature)",
            "\(header)=.\(claims).\(signature)", "\(header).\(claims).\(signature.dropLast())B",  // stray low bits
            "\(header).\(claims).\(signature)+", String(repeating: "a", count: JSONWebToken.maxBytes + 1),
            "\(Data("[1]".utf8).base64URLEncoded).\(claims).\(signature)",
            "\(Data("{\"alg\":\"ES256\",\"alg\":\"none\"}".utf8).base64URLEncoded).\(claims).\(signature)",
            "\(Data("{\"alg\":\"ES256\",\"x5u\":\"https://evil\"}".utf8).base64URLEncoded).\(claims).\(signature)",
            "\(Data("{\"alg\":\"ES256\",\"kid\":7}".utf8).base64URLEncoded).\(claims).\(signature)",
            "\(Data("{\"kid\":\"k1\"}".utf8).base64URLEncoded).\(claims).\(signature)",
        ]
        for text in refused {
            #expect(throws: JSONWebToken.Malformed.self, "\(text.prefix(80))") { try JSONWebToken(Substring(text)) }
        }
    }

    @Test func clientSecretsCompareWholeOrByDigest() {
        let hashed = OAuthClient(id: "c", secret: .sha256(Array(SHA256.hash(data: Array("s3cret-value-0123".utf8)))), scopes: [])
        #expect(TokenAuthority.authenticates(Self.client, secret: Array("genesys-secret-0123456789".utf8)))
        #expect(!TokenAuthority.authenticates(Self.client, secret: Array("genesys-secret-012345678".utf8)))
        #expect(TokenAuthority.authenticates(hashed, secret: Array("s3cret-value-0123".utf8)))
        #expect(!TokenAuthority.authenticates(hashed, secret: Array("s3cret-value-0124".utf8)))
    }
}

/// An identity provider's JWKS: the keys it can use are read, the rest left out; its tokens verify by kid.
struct JSONWebKeySetTests {
    @Test func readsUsableKeysAndLeavesOutTheRest() throws {
        let signing = TokenSigningKey(id: "own")
        var entries = [signing.publicKey.jwk]
        if case .object(var withoutKid) = signing.publicKey.jwk {
            withoutKid["kid"] = nil
            entries.append(.object(withoutKid))
        }
        if case .object(var encryption) = signing.publicKey.jwk {
            encryption["kid"] = .string("enc")
            encryption["use"] = .string("enc")
            entries.append(.object(encryption))
        }
        if case .object(var mislabelled) = signing.publicKey.jwk {
            mislabelled["kid"] = .string("wrong-alg")
            mislabelled["alg"] = .string("RS256")
            entries.append(.object(mislabelled))
        }
        entries.append(.object(["kty": .string("oct"), "kid": .string("hmac"), "k": .string("c2VjcmV0")]))
        entries.append(.object(["kty": .string("RSA"), "kid": .string("short"),
                                "n": .string(Data(repeating: 0xC5, count: 128).base64URLEncoded), "e": .string("AQAB")]))
        let document = JSONValue.object(["keys": .array(entries)]).jsonText
        let keys = try JSONWebKeySet.keys(Array(document.utf8))
        #expect(keys.map(\.id) == ["own"])

        let policy = IssuerPolicy(issuer: AccessTokenVerifierTests.issuer, audience: AccessTokenVerifierTests.issuer,
                                  jwksURL: "https://idp.example/jwks", jwksCache: "/nonexistent",
                                  requirement: TokenRequirement(scopes: ["hooks:write"]))
        let authority = AccessTokenVerifierTests.authority([signing])
        let token = try authority.issue(to: AccessTokenVerifierTests.client, scopes: ["hooks:write"], now: at(1_800_000_000))
        let set = TokenKeySet()
        let verifier = IssuerTokenVerifier(policy: policy, keys: set)
        let headers: RequestHeaders = ["Authorization": "Bearer \(token)"]
        #expect(verifier.verify(body: [], headers: headers, now: at(1_800_000_000)).reason == .invalidToken)  // no keys yet
        set.replace(with: keys)
        #expect(verifier.verify(body: [], headers: headers, now: at(1_800_000_000)).verification
            == Verification(scheme: "jwt", client: "genesys"))
    }

    @Test func refusesDocumentsWithoutUsableKeys() {
        for document in ["[]", "{\"keys\":{}}", "{\"keys\":[]}", "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"a\"}]}",
                         String(repeating: " ", count: JSONWebKeySet.maxBytes + 1)] {
            #expect(throws: JSONWebKeySet.Unusable.self) { try JSONWebKeySet.keys(Array(document.utf8)) }
        }
    }
}

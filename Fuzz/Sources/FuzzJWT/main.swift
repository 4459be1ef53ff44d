import Foundation
import FuzzSupport
import PosternCore
import PosternVerify

/// A bearer token as a caller sends it, parsed by `JSONWebToken` and checked whole by the oauth preset's verifier:
/// nothing may trap, what parses covers exactly its first two segments, and no input the fuzzer makes verifies (it
/// holds no signing key). The same bytes are read as an identity provider's JWKS document, which comes from the
/// network too: every key read from it has a kid.
let authority = TokenAuthority(
    OAuthConfig(tokenPath: "/oauth/token", issuer: "https://hooks.example.com", signingKeys: [],
                clients: [OAuthClient(id: "client", secret: .plain(Array("client-secret-0123456789".utf8)), scopes: ["hooks:write"])]),
    signingKeys: [TokenSigningKey(id: "k1")])
let verifier = AccessTokenVerifier(authority: authority, requirement: TokenRequirement(scopes: ["hooks:write"]))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    if let token = try? JSONWebToken(Substring(text)) {
        let dots = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        require(token.signingInput.count == dots[0].count + 1 + dots[1].count, "the signing input is the first two segments")
        _ = token.seconds("exp")
        _ = token.string("sub")
    }
    if let keys = try? JSONWebKeySet.keys(Array(text.utf8)) {
        require(keys.allSatisfy { !$0.id.isEmpty }, "every key read from a JWKS has a kid")
    }
    let request = WebhookRequest(headers: RequestHeaders([("Authorization", "Bearer " + text)]), body: [])
    if case .verified = verifier.verify(request, now: Date(timeIntervalSince1970: 1_800_000_000)) {
        require(false, "a token the fuzzer made verified")
    }
    return 0
}

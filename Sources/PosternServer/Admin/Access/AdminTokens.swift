import Foundation
import PosternCore
import PosternVerify

/// Finds the configured admin token a request's `Authorization: Bearer …` carries, compared in constant time
/// against every token, so neither which token matched nor where a wrong one differs shows in the timing.
struct AdminTokens: Sendable {
    let tokens: [AdminToken]
    private let verifier: CredentialVerifier

    init(_ tokens: [AdminToken]) {
        self.tokens = tokens
        verifier = CredentialVerifier(kind: .bearer(scheme: "Bearer"), accepted: tokens.map(\.token))
    }

    /// Whether the listener is open (a loopback listener configured without tokens).
    var isUnguarded: Bool { tokens.isEmpty }

    /// The holder of the bearer token in `headers`; nil for none or a wrong one.
    func identity(_ headers: RequestHeaders) -> AdminIdentity? {
        if isUnguarded { return .unguarded }
        guard case .verified(let verification) = verifier.verify(body: [], headers: headers, now: Date()),
              let index = verification.secretIndex else { return nil }
        return AdminIdentity(name: tokens[index].name, role: tokens[index].role)
    }

    /// The holder of a token typed into the console's log-in form.
    func identity(token: String) -> AdminIdentity? {
        var headers = RequestHeaders()
        headers.append("Authorization", "Bearer " + token)
        return identity(headers)
    }
}

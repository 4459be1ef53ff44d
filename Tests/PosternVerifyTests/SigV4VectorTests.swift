import Crypto
import Foundation
import PosternCore
@testable import PosternVerify
import Testing

/// The whole AWS SigV4 test suite, both forms: canonical request and string to sign byte for byte, the signed
/// request verified at the case's time, and every single-part change refused.
struct SigV4VectorTests {
    static let forms = ["header", "query"]

    @Test func theSuiteIsPresent() {
        #expect(SigV4Vector.all.count == 38)
    }

    @Test(arguments: SigV4Vector.all, forms)
    func canonicalRequestAndStringToSignMatch(vector: SigV4Vector, form: String) throws {
        let request = vector.signedRequest(form)
        let claimed = try SigV4Signature.read(from: request).get()
        let payloadHash = request.headers["X-Amz-Content-Sha256"]
            ?? ByteEncoding.hex.encode(SHA256.hash(data: request.body))
        var omitted: Set<String> = form == "query" ? ["X-Amz-Signature"] : []
        if form == "query", vector.omitsSessionToken { omitted.insert("X-Amz-Security-Token") }
        let canonical = SigV4CanonicalRequest(request, signedHeaders: claimed.signedHeaders, payloadHash: payloadHash,
                                              pathRule: vector.policy.pathRule, omitting: omitted)
        #expect(canonical.text == vector.file("\(form)-canonical-request.txt"))
        #expect(canonical.stringToSign(amzDate: claimed.amzDate, scope: claimed.scope) == vector.file("\(form)-string-to-sign.txt"))
        #expect(ByteEncoding.hex.encode(claimed.signature) == vector.file("\(form)-signature.txt"))
    }

    @Test(arguments: SigV4Vector.all, forms)
    func signedRequestVerifiesAtItsTime(vector: SigV4Vector, form: String) {
        let verdict = SigV4Verifier(policy: vector.policy).verify(vector.signedRequest(form), now: vector.time)
        #expect(verdict.isVerified, "\(verdict)")
    }

    @Test(arguments: SigV4Vector.all, forms)
    func everySingleChangeIsRefused(vector: SigV4Vector, form: String) {
        let verifier = SigV4Verifier(policy: vector.policy)
        for (change, request) in Self.mutations(of: vector.signedRequest(form)) {
            let verdict = verifier.verify(request, now: vector.time)
            #expect(!verdict.isVerified, "accepted after changing the \(change)")
        }
    }

    /// The signed request with one signed part changed at a time.
    static func mutations(of request: WebhookRequest) -> [(String, WebhookRequest)] {
        var changes: [(String, WebhookRequest)] = []
        var changed = request
        changed.method = request.method == "GET" ? "PUT" : "GET"
        changes.append(("method", changed))

        changed = request
        changed.path += "x"
        changes.append(("path", changed))

        if let query = request.query, !query.isEmpty {
            var pairs = query.split(separator: "&").map(String.init)
            if let index = pairs.firstIndex(where: { !$0.hasPrefix("X-Amz-Signature=") }) {
                pairs[index] += "x"
                changed = request
                changed.query = pairs.joined(separator: "&")
                changes.append(("query value", changed))
            }
        }

        changed = request
        changed.headers = RequestHeaders(request.headers.fields.map { field in
            field.name.lowercased() == "host" ? (field.name, field.value + "x") : field
        })
        changes.append(("host header", changed))

        changed = request
        changed.body += Array("x".utf8)
        changes.append(("body", changed))

        changed = request
        changed.headers = RequestHeaders(request.headers.fields.map { field in
            field.name.lowercased() == "x-amz-date" ? (field.name, "20150830T123601Z") : field
        })
        changed.query = request.query?.replacingOccurrences(of: "X-Amz-Date=20150830T123600Z", with: "X-Amz-Date=20150830T123601Z")
        changes.append(("date", changed))
        return changes
    }
}

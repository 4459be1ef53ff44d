import Foundation
import PosternCore
@testable import PosternVerify
import Testing

/// The signer against the same AWS SigV4 suite as the verifier: each unsigned request, signed at the case's time,
/// carries exactly the suite's Authorization header, and the verifier accepts it.
struct SigV4SignerTests {
    /// The cases a destination's signing meets: normalized paths (every service but S3), the session token signed.
    static let signable = SigV4Vector.all.filter { $0.context.normalize && !$0.omitsSessionToken }

    @Test func mostOfTheSuiteIsSignable() {
        #expect(Self.signable.count >= 25)
    }

    @Test(arguments: signable)
    func signingTheRequestGivesTheSuitesAuthorization(vector: SigV4Vector) throws {
        let request = vector.request
        let signer = SigV4Signer(credential: vector.policy.credentials[0], sessionToken: vector.context.credentials.token,
                                 region: vector.context.region, service: vector.context.service,
                                 sendsPayloadHash: vector.context.sign_body ?? false)
        let headers = request.headers.fields
        let signed = signer.sign(method: request.method, path: request.path, query: request.query, headers: headers,
                                 body: request.body, at: vector.time)
        let expected = vector.signedRequest("header").headers["Authorization"]
        #expect(signed.last?.name == "Authorization")
        #expect(signed.last?.value == expected)
        var signedHeaders = RequestHeaders()
        for (name, value) in signed { signedHeaders.append(name, value) }
        let verdict = SigV4Verifier(policy: vector.policy).verify(
            WebhookRequest(method: request.method, path: request.path, query: request.query, headers: signedHeaders, body: request.body),
            now: vector.time)
        #expect(verdict.isVerified, "\(verdict)")
    }

    @Test func amzDateIsUTCWithLeadingZeros() {
        #expect(SigV4Signer.amzDate(Date(timeIntervalSince1970: 1_441_016_160)) == "20150831T101600Z")
        #expect(SigV4Signer.amzDate(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
    }
}

import PosternCore
import PosternVerify
import Testing

/// Basic, bearer and API-key credentials: accepted values, rotation, and the two refusals.
struct CredentialVerifierTests {
    @Test func basicAcceptsAnyConfiguredPair() throws {
        let verifier = try presetVerifier("basic", credentials: ["cognigy:first", "cognigy:second"])
        let verdict = verifier.verify(body: [], headers: ["Authorization": "Basic Y29nbmlneTpzZWNvbmQ="], now: at(0))
        #expect(verdict.verification?.secretIndex == 1)
        #expect(verifier.verify(body: [], headers: ["Authorization": "basic Y29nbmlneTpmaXJzdA=="], now: at(0)).isVerified)
        #expect(verifier.verify(body: [], headers: ["Authorization": "Basic Y29nbmlneTp3cm9uZw=="], now: at(0)).reason == .invalidCredentials)
        #expect(verifier.verify(body: [], headers: [:], now: at(0)).reason == .missingSignature)
    }

    @Test func bearerComparesTheWholeToken() throws {
        let verifier = try presetVerifier("bearer", secrets: ["tok-123"])
        #expect(verifier.verify(body: [], headers: ["Authorization": "Bearer tok-123"], now: at(0)).isVerified)
        #expect(verifier.verify(body: [], headers: ["Authorization": "Bearer tok-12"], now: at(0)).reason == .invalidCredentials)
        #expect(verifier.verify(body: [], headers: ["Authorization": "Bearer tok-1234"], now: at(0)).reason == .invalidCredentials)
        #expect(verifier.verify(body: [], headers: ["Authorization": "Basic tok-123"], now: at(0)).reason == .missingSignature)
    }

    @Test func apiKeyReadsItsHeader() throws {
        let verifier = try presetVerifier("api-key", secrets: ["k1"], header: "X-Webhook-Key")
        #expect(verifier.verify(body: [], headers: ["x-webhook-key": "k1"], now: at(0)).isVerified)
        #expect(verifier.verify(body: [], headers: ["X-Webhook-Key": "k2"], now: at(0)).reason == .invalidCredentials)
    }
}

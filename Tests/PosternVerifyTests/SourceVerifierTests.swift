import PosternCore
import PosternVerify
import Testing

/// Building verifiers from configuration: written-out descriptors, and problems named by key path.
struct SourceVerifierTests {
    func problems(_ spec: ConfigNode) -> [String] {
        do {
            _ = try SourceVerifier(spec)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func writtenOutDescriptorBehavesLikeThePreset() throws {
        let hmac: ConfigValue = .map([
            "header": .string("Stripe-Signature"), "prefix": .string("v1="), "delimiter": .string(","),
            "signedContent": .string("timestamp.body"), "timestampPrefix": .string("t="),
        ])
        let verifier = try SourceVerifier(verifySpec(secrets: ["whsec_test_secret"], extra: ["hmac": hmac])).verifier
        let header = "t=1700000000,v1=0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd"
        let verdict = verifier.verify(body: bytes(#"{"id":"evt_1","object":"event"}"#),
                                      headers: ["Stripe-Signature": header], now: at(1700000000))
        #expect(verdict.isVerified)
    }

    @Test func problemsNameTheirKeyPaths() {
        #expect(problems(verifySpec(path: "sources[0].verify", preset: "stripes", secrets: ["s"])).first?
            .hasPrefix("sources[0].verify.preset: unknown preset \"stripes\"") == true)
        #expect(problems(verifySpec(path: "v", preset: "stripe")) == ["v.secrets: at least one is required"])
        #expect(problems(verifySpec(path: "v", preset: "standard-webhooks", secrets: ["whsec_!!"])) ==
            ["v.secrets[0]: must be base64 (optionally whsec_-prefixed)"])
        #expect(problems(verifySpec(path: "v", preset: "github", secrets: ["s"], tolerance: 30)) ==
            ["v.tolerance: this preset carries no timestamp"])
        #expect(problems(verifySpec(path: "v", preset: "api-key", secrets: ["s"])) ==
            ["v.header: is required for the api-key preset, e.g. X-API-Key"])
        #expect(problems(verifySpec(path: "v", preset: "bearer", secrets: ["s"], tolerance: 5)) ==
            ["v.tolerance: unknown key (expected one of: hmac, preset, scheme, secrets)"])
        #expect(problems(verifySpec(path: "v")) == ["v: needs either `preset` or `hmac`"])
        let hmac: ConfigValue = .map(["header": .string("X-Sig"), "encoding": .string("base32"),
                                      "signedContent": .string("timestamp.body")])
        #expect(problems(verifySpec(path: "v", secrets: ["s"], extra: ["hmac": hmac])) == [
            "v.hmac.encoding: must be one of hex, base64, found \"base32\"",
            "v.hmac.signedContent: signs a timestamp, so timestampHeader or timestampPrefix is required",
        ])
    }

    @Test func toleranceOverridesThePresetDefault() throws {
        let verifier = try presetVerifier("cognigy-fulfillment", secrets: ["fulfil-secret"], tolerance: 120)
        let headers: RequestHeaders = [
            "X-Cognigy-Signature": "F6PJrIv2UhLComz3mDkJM7iPEC0YwNZZbLwyUnIpgwo=", "X-Cognigy-Timestamp": "1700000000",
        ]
        #expect(verifier.verify(body: bytes(#"{"event_id":"e1"}"#), headers: headers, now: at(1700000120)).isVerified)
        #expect(verifier.verify(body: bytes(#"{"event_id":"e1"}"#), headers: headers, now: at(1700000121)).reason == .timestampOutOfWindow)
    }
}

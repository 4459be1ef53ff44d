import PosternCore
import PosternVerify
import Testing

/// Each preset against a signature made by an independent implementation (Python's hmac, Stripe's library,
/// GitHub's documentation), so a preset that drifts from its sender's convention fails here.
struct PresetVectorTests {
    let body = bytes(#"{"event_id":"e1"}"#)

    @Test func githubDocumentedVector() throws {
        let verdict = try presetVerifier("github", secrets: ["It's a Secret to Everybody"]).verify(
            body: bytes("Hello, World!"),
            headers: ["X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"],
            now: at(0))
        #expect(verdict.isVerified)
    }

    @Test func stripeLibraryVector() throws {
        let header = "t=1700000000,v1=0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd"
        let verifier = try presetVerifier("stripe", secrets: ["whsec_test_secret"])
        let body = bytes(#"{"id":"evt_1","object":"event"}"#)
        #expect(verifier.verify(body: body, headers: ["Stripe-Signature": header], now: at(1700000100)).isVerified)
        #expect(verifier.verify(body: body, headers: ["Stripe-Signature": header], now: at(1700000301)).reason == .timestampOutOfWindow)
        let v0Only = "t=1700000000,v0=0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd"
        #expect(verifier.verify(body: body, headers: ["Stripe-Signature": v0Only], now: at(1700000000)).reason == .invalidSignature)
    }

    @Test func cognigyWebhookHexWithRFC3339Timestamp() throws {
        let verifier = try presetVerifier("cognigy-webhook", secrets: ["cognigy-secret"])
        let headers: RequestHeaders = [
            "X-Cognigy-Webhook-Signature": "dc5c52bd3c5703fd5abbd34001d679b7176a2854391852c2578863cb2ebb5063",
            "X-Cognigy-Webhook-Timestamp": "2023-11-14T22:13:20Z",
        ]
        #expect(verifier.verify(body: body, headers: headers, now: at(1700000000 + 300)).isVerified)
        #expect(verifier.verify(body: body, headers: headers, now: at(1700000000 - 301)).reason == .timestampOutOfWindow)
    }

    @Test func cognigyFulfillmentBase64WithUnixSecondsAnd30sWindow() throws {
        let verifier = try presetVerifier("cognigy-fulfillment", secrets: ["fulfil-secret"])
        let headers: RequestHeaders = [
            "X-Cognigy-Signature": "F6PJrIv2UhLComz3mDkJM7iPEC0YwNZZbLwyUnIpgwo=", "X-Cognigy-Timestamp": "1700000000",
        ]
        #expect(verifier.verify(body: body, headers: headers, now: at(1700000030)).isVerified)
        #expect(verifier.verify(body: body, headers: headers, now: at(1700000031)).reason == .timestampOutOfWindow)
    }

    @Test func genesysHmacUsesMilliseconds() throws {
        let verifier = try presetVerifier("genesys-hmac", secrets: ["genesys-secret"])
        let headers: RequestHeaders = [
            "X-Genesys-Signature": "j3qEngQHHRwgMSlZXkZByGxsaiTH+kUxiB97qQNjtSo=", "X-Genesys-Timestamp": "1700000000000",
        ]
        #expect(verifier.verify(body: body, headers: headers, now: at(1700000299)).isVerified)
        #expect(verifier.verify(body: body, headers: headers, now: at(1700000301)).reason == .timestampOutOfWindow)
    }

    @Test func genesysOpenMessagingIsBase64AfterSha256Prefix() throws {
        let verifier = try presetVerifier("genesys-open-messaging", secrets: ["genesys-secret"])
        let good: RequestHeaders = ["X-Hub-Signature-256": "sha256=j3qEngQHHRwgMSlZXkZByGxsaiTH+kUxiB97qQNjtSo="]
        #expect(verifier.verify(body: body, headers: good, now: at(0)).isVerified)
        let unprefixed: RequestHeaders = ["X-Hub-Signature-256": "j3qEngQHHRwgMSlZXkZByGxsaiTH+kUxiB97qQNjtSo="]
        #expect(verifier.verify(body: body, headers: unprefixed, now: at(0)).reason == .invalidSignature)
    }

    @Test func jambonzSignsTimestampDotBody() throws {
        let verifier = try presetVerifier("jambonz", secrets: ["jambonz-secret"])
        let headers: RequestHeaders = [
            "Jambonz-Signature": "t=1700000000,v1=a608479947cc28e6e05eb7d4aaa55bad15db9666b4b0f1b6d0196a928eb4ff68",
        ]
        #expect(verifier.verify(body: body, headers: headers, now: at(1700000000)).isVerified)
        #expect(verifier.verify(body: bytes("{}"), headers: headers, now: at(1700000000)).reason == .invalidSignature)
    }

    @Test func rotationAcceptsAnyConfiguredSecretAndSaysWhich() throws {
        let verifier = try presetVerifier("github", secrets: ["old-secret", "It's a Secret to Everybody"])
        let verdict = verifier.verify(
            body: bytes("Hello, World!"),
            headers: ["X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"],
            now: at(0))
        #expect(verdict.verification?.secretIndex == 1)
        let retired = try presetVerifier("github", secrets: ["old-secret"]).verify(
            body: bytes("Hello, World!"),
            headers: ["X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"],
            now: at(0))
        #expect(retired.reason == .invalidSignature)
    }

    @Test func missingHeaderIsMissingSignature() throws {
        let verdict = try presetVerifier("github", secrets: ["s"]).verify(body: body, headers: [:], now: at(0))
        #expect(verdict.reason == .missingSignature)
    }

    @Test(arguments: Preset.catalog.compactMap { preset -> HMACDescriptor? in
        if case .hmac(let descriptor) = preset.method { return descriptor } else { return nil }
    })
    func signerAndVerifierAgree(descriptor: HMACDescriptor) throws {
        let secret = descriptor.secretEncoding == .base64 ? "whsec_c2VjcmV0LWtleS1ieXRlcw==" : "a-secret"
        let verifier = HMACVerifier(descriptor: descriptor, keys: [descriptor.keyBytes(for: secret)!], scheme: "test")
        let lines = HMACSigner(descriptor: descriptor).headers(body: body, keyBytes: descriptor.keyBytes(for: secret)!,
                                                                timestamp: at(1700000000))
        let verdict = verifier.verify(body: body, headers: RequestHeaders(lines), now: at(1700000001))
        #expect(verdict.isVerified)
        let otherKey = HMACVerifier(descriptor: descriptor, keys: [Array("another".utf8)], scheme: "test")
        #expect(otherKey.verify(body: body, headers: RequestHeaders(lines), now: at(1700000001)).reason == .invalidSignature)
    }
}

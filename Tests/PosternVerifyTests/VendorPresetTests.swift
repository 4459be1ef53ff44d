import Crypto
import Foundation
import PosternCore
import PosternVerify
import Testing

/// The vendors' documented mechanisms: Standard Webhooks `v1a` ed25519 signatures, Svix's headers, CXone Expert's
/// signature over `<timestamp>.<body>`, `futureTolerance`, and bearer credentials under another scheme.
struct VendorPresetTests {
    let body = bytes(#"{"type":"user.created","data":{"id":"u_1"}}"#)
    let id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"
    let time = 1_764_633_600.0

    /// `v1a,<base64 ed25519 signature of "id.timestamp.body">`, as the Standard Webhooks specification defines it.
    func v1a(_ key: Curve25519.Signing.PrivateKey, timestamp: Double) throws -> String {
        let signed = bytes("\(id).\(Int(timestamp)).") + body
        return "v1a," + Data(try key.signature(for: signed)).base64EncodedString()
    }

    func publicKey(_ key: Curve25519.Signing.PrivateKey) -> String {
        "whpk_" + key.publicKey.rawRepresentation.base64EncodedString()
    }

    @Test(arguments: ["standard-webhooks", "svix"])
    func ed25519SignaturesVerifyWithPublicKeysBesideSecrets(_ preset: String) throws {
        let names = preset == "svix" ? ("svix-id", "svix-timestamp", "svix-signature") : ("webhook-id", "webhook-timestamp", "webhook-signature")
        let key = Curve25519.Signing.PrivateKey(), other = Curve25519.Signing.PrivateKey()
        let verifier = try presetVerifier(preset, secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", publicKey(other), publicKey(key)])
        func headers(_ signature: String) -> RequestHeaders {
            [names.0: id, names.1: String(Int(time)), names.2: signature]
        }
        let verdict = verifier.verify(body: body, headers: headers("v1,bm9wZQ== " + (try v1a(key, timestamp: time))), now: at(time))
        #expect(verdict.verification?.scheme == preset + "+ed25519")
        #expect(verdict.verification?.secretIndex == 1, "the second public key")
        #expect(verifier.verify(body: body + [0x20], headers: headers(try v1a(key, timestamp: time)), now: at(time)).reason == .invalidSignature)
        let stranger = Curve25519.Signing.PrivateKey()
        #expect(verifier.verify(body: body, headers: headers(try v1a(stranger, timestamp: time)), now: at(time)).reason == .invalidSignature)
        #expect(verifier.verify(body: body, headers: headers(try v1a(key, timestamp: time)), now: at(time + 301)).reason == .timestampOutOfWindow)
    }

    @Test func aPublicKeyMustBeAnEd25519Key() {
        #expect(throws: ConfigProblems.self) { try presetVerifier("standard-webhooks", secrets: ["whpk_bm9wZQ=="]) }
        #expect(throws: ConfigProblems.self) { try presetVerifier("stripe", secrets: []) }
    }

    @Test func cxoneExpertSignsTheTimestampDotBodyInHex() throws {
        let secret = "expert-webhook-secret"
        let xml = bytes(#"<?xml version="1.0"?><event type="Page_Create"><page id="42"/></event>"#)
        // NICE's guide: createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex'), as sha256=<hex>.
        let mac = HMAC<SHA256>.authenticationCode(for: bytes("\(Int(time)).") + xml, using: SymmetricKey(data: bytes(secret)))
        let headers: RequestHeaders = [
            "X-Nexus-Signature-256": "sha256=" + mac.map { String(format: "%02x", $0) }.joined(),
            "X-Nexus-Timestamp": String(Int(time)), "X-Nexus-Delivery-Id": "d-1", "Content-Type": "text/xml",
        ]
        let verifier = try presetVerifier("cxone-expert", secrets: [secret])
        #expect(verifier.verify(body: xml, headers: headers, now: at(time + 10)).isVerified)
        #expect(verifier.verify(body: xml + [0x20], headers: headers, now: at(time)).reason == .invalidSignature)
        #expect(Preset.all["cxone-expert"]?.body == .xml)
        #expect(Preset.all["cxone-expert"]?.idempotencyKey == .header(name: "X-Nexus-Delivery-Id"))
    }

    @Test func futureToleranceIsSeparateFromThePastWindow() throws {
        let secret = "whsec_test_stripe"
        let signed = bytes("\(Int(time)).") + body
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: bytes(secret)))
        let headers: RequestHeaders = ["Stripe-Signature": "t=\(Int(time)),v1=" + mac.map { String(format: "%02x", $0) }.joined()]
        let verifier = try SourceVerifier(verifySpec(preset: "stripe", secrets: [secret], tolerance: 300,
                                                     extra: ["futureTolerance": .int(3600)])).verifier
        #expect(verifier.verify(body: body, headers: headers, now: at(time - 3600)).isVerified, "an hour ahead of us")
        #expect(verifier.verify(body: body, headers: headers, now: at(time - 3601)).reason == .timestampOutOfWindow)
        #expect(verifier.verify(body: body, headers: headers, now: at(time + 300)).isVerified)
        #expect(verifier.verify(body: body, headers: headers, now: at(time + 301)).reason == .timestampOutOfWindow)
        #expect(throws: ConfigProblems.self) {
            try SourceVerifier(verifySpec(preset: "github", secrets: [secret], extra: ["futureTolerance": .int(60)]))
        }
    }

    @Test func aBearerTokenCanTravelUnderAnotherScheme() throws {
        let verifier = try SourceVerifier(verifySpec(preset: "bearer", secrets: ["k-1"], extra: ["scheme": .string("ApiKey")])).verifier
        #expect(verifier.verify(body: [], headers: ["Authorization": "ApiKey k-1"], now: at(time)).isVerified)
        #expect(verifier.verify(body: [], headers: ["Authorization": "Bearer k-1"], now: at(time)).reason == .missingSignature)
        let plain = try presetVerifier("bearer", secrets: ["k-1"])
        #expect(plain.verify(body: [], headers: ["Authorization": "Bearer k-1"], now: at(time)).isVerified)
    }
}

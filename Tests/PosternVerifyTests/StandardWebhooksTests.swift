import PosternCore
import PosternVerify
import Testing

/// The Standard Webhooks specification's own test vector, and the edges of its timestamp window.
struct StandardWebhooksTests {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let body = bytes(#"{"test": 2432232314}"#)
    let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    func headers(signature: String, timestamp: String = "1614265330") -> RequestHeaders {
        ["webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": timestamp, "webhook-signature": signature]
    }

    @Test func specVectorVerifies() throws {
        let verdict = try presetVerifier("standard-webhooks", secrets: [secret])
            .verify(body: body, headers: headers(signature: signature), now: at(1614265330))
        #expect(verdict.verification?.messageID == "msg_p5jXN8AQM9LWM0D4loKWxJek")
        #expect(verdict.verification?.secretIndex == 0)
    }

    @Test func anyOfSeveralSignaturesMayMatch() throws {
        let list = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,abc \(signature)"
        let verdict = try presetVerifier("standard-webhooks", secrets: [secret])
            .verify(body: body, headers: headers(signature: list), now: at(1614265330))
        #expect(verdict.isVerified)
    }

    @Test func alteredBodyIsRefused() throws {
        let verdict = try presetVerifier("standard-webhooks", secrets: [secret])
            .verify(body: bytes(#"{"test": 2432232315}"#), headers: headers(signature: signature), now: at(1614265330))
        #expect(verdict.reason == .invalidSignature)
    }

    @Test(arguments: [(-300.0, true), (300.0, true), (-301.0, false), (301.0, false)])
    func toleranceBoundary(offset: Double, accepted: Bool) throws {
        let verdict = try presetVerifier("standard-webhooks", secrets: [secret])
            .verify(body: body, headers: headers(signature: signature), now: at(1614265330 + offset))
        #expect(verdict.isVerified == accepted)
        if !accepted { #expect(verdict.reason == .timestampOutOfWindow) }
    }

    @Test func unparsableTimestampIsOutOfWindow() throws {
        let verdict = try presetVerifier("standard-webhooks", secrets: [secret])
            .verify(body: body, headers: headers(signature: signature, timestamp: "yesterday"), now: at(1614265330))
        #expect(verdict.reason == .timestampOutOfWindow)
    }

    @Test func missingIdIsMissingSignature() throws {
        var incomplete = RequestHeaders()
        incomplete.append("webhook-timestamp", "1614265330")
        incomplete.append("webhook-signature", signature)
        let verdict = try presetVerifier("standard-webhooks", secrets: [secret])
            .verify(body: body, headers: incomplete, now: at(1614265330))
        #expect(verdict.reason == .missingSignature)
    }

    @Test func signerReproducesTheVector() throws {
        guard case .hmac(let descriptor) = Preset.all["standard-webhooks"]!.method else { Issue.record(); return }
        let lines = HMACSigner(descriptor: descriptor).headers(
            body: body, keyBytes: descriptor.keyBytes(for: secret)!, timestamp: at(1614265330), id: "msg_p5jXN8AQM9LWM0D4loKWxJek")
        #expect(lines.first { $0.name == "webhook-signature" }?.value == signature)
    }
}

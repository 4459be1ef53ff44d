import Crypto
import Foundation
import PosternCore
@testable import PosternVerify
import Testing

/// The gateway's SigV4 policy: each refusal has its own reason code.
struct SigV4PolicyTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14T22:13:20Z
    static let amzDate = "20231114T221320Z"
    static let policy = SigV4Policy(
        region: "eu-west-1", service: "execute-api",
        credentials: [SigV4Credential(accessKeyID: "AKIDOLD", secretAccessKey: "old-secret"),
                      SigV4Credential(accessKeyID: "AKIDNEW", secretAccessKey: "new-secret")],
        tolerance: 900)

    /// Signs a POST in the header form, as an AWS SDK would, with whatever scope and headers a test asks for.
    static func signed(body: String = #"{"eventId":"e-1"}"#, key: String = "AKIDNEW", secret: String = "new-secret",
                       amzDate: String = amzDate, scopeDate: String? = nil, region: String = "eu-west-1",
                       service: String = "execute-api", extraHeaders: [(String, String)] = [],
                       signed signedNames: [String] = ["host", "x-amz-date"]) -> WebhookRequest {
        var headers: RequestHeaders = ["Host": "hooks.example.com", "X-Amz-Date": amzDate]
        for (name, value) in extraHeaders { headers.append(name, value) }
        var request = WebhookRequest(path: "/cxone/events", query: "tenant=a%2Fb&x=1", headers: headers, body: Array(body.utf8))
        let scope = "\(scopeDate ?? String(amzDate.prefix(8)))/\(region)/\(service)/aws4_request"
        let payloadHash = headers["X-Amz-Content-Sha256"] ?? ByteEncoding.hex.encode(SHA256.hash(data: request.body))
        let canonical = SigV4CanonicalRequest(request, signedHeaders: signedNames.sorted(), payloadHash: payloadHash,
                                              pathRule: .normalized)
        let signingKey = SigV4SigningKeys.derive(secret: secret, date: String(scope.prefix(8)), region: region, service: service)
        let signature = HMAC<SHA256>.authenticationCode(
            for: Array(canonical.stringToSign(amzDate: amzDate, scope: scope).utf8), using: signingKey)
        request.headers.append("Authorization", "AWS4-HMAC-SHA256 Credential=\(key)/\(scope), "
            + "SignedHeaders=\(signedNames.sorted().joined(separator: ";")), Signature=\(ByteEncoding.hex.encode(signature))")
        return request
    }

    func verdict(_ request: WebhookRequest, now: Date = now, policy: SigV4Policy = policy) -> Verdict {
        SigV4Verifier(policy: policy).verify(request, now: now)
    }

    @Test func aCorrectRequestVerifiesWithEitherKey() {
        #expect(verdict(Self.signed()).verification?.secretIndex == 1)
        #expect(verdict(Self.signed(key: "AKIDOLD", secret: "old-secret")).verification?.secretIndex == 0)
    }

    @Test func unknownKeyAndWrongSecret() {
        #expect(verdict(Self.signed(key: "AKIDOTHER")).reason == .unknownAccessKey)
        #expect(verdict(Self.signed(secret: "old-secret")).reason == .invalidSignature)
    }

    @Test func hostAndDateMustBeSignedAndSoMustEveryAmzHeader() {
        #expect(verdict(Self.signed(signed: ["x-amz-date"])).reason == .unsignedRequiredHeader)
        #expect(verdict(Self.signed(signed: ["host"])).reason == .unsignedRequiredHeader)
        let unsigned = Self.signed(extraHeaders: [("X-Amz-Target", "Events.Put")])
        #expect(verdict(unsigned).reason == .unsignedRequiredHeader)
        let signedTarget = Self.signed(extraHeaders: [("X-Amz-Target", "Events.Put")], signed: ["host", "x-amz-date", "x-amz-target"])
        #expect(verdict(signedTarget).isVerified)
        var tokenAfter = Self.signed()
        tokenAfter.headers.append("X-Amz-Security-Token", "session-token")
        #expect(verdict(tokenAfter).isVerified)
    }

    @Test func payloadHashIsCheckedAgainstTheBody() {
        let body = #"{"eventId":"e-1"}"#
        let hash = ByteEncoding.hex.encode(SHA256.hash(data: Array(body.utf8)))
        let names = ["host", "x-amz-content-sha256", "x-amz-date"]
        #expect(verdict(Self.signed(body: body, extraHeaders: [("X-Amz-Content-Sha256", hash)], signed: names)).isVerified)
        var lying = Self.signed(body: body, extraHeaders: [("X-Amz-Content-Sha256", hash)], signed: names)
        lying.body = Array(#"{"eventId":"e-2"}"#.utf8)
        #expect(verdict(lying).reason == .payloadHashMismatch)
        let unsigned = Self.signed(body: body, extraHeaders: [("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")], signed: names)
        #expect(verdict(unsigned).reason == .payloadHashMismatch)
        var allowing = Self.policy
        allowing.allowsUnsignedPayload = true
        #expect(verdict(unsigned, policy: allowing).isVerified)
    }

    @Test func credentialScopeMustMatch() {
        #expect(verdict(Self.signed(scopeDate: "20231113")).reason == .credentialScopeMismatch)
        #expect(verdict(Self.signed(region: "us-east-1")).reason == .credentialScopeMismatch)
        #expect(verdict(Self.signed(service: "s3")).reason == .credentialScopeMismatch)
    }

    @Test(arguments: [(-900.0, true), (900.0, true), (-901.0, false), (901.0, false)])
    func timeWindowBothWays(offset: Double, accepted: Bool) {
        let result = verdict(Self.signed(), now: Self.now.addingTimeInterval(offset))
        #expect(result.isVerified == accepted)
        if !accepted { #expect(result.reason == .timestampOutOfWindow) }
    }

    @Test func unparsableDateIsOutOfWindow() {
        #expect(verdict(Self.signed(amzDate: "20231114T251320Z")).reason == .timestampOutOfWindow)
    }

    @Test(arguments: [
        "AWS4-HMAC-SHA1 Credential=AKIDNEW/20231114/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + String(repeating: "0", count: 64),
        "AWS4-HMAC-SHA256 Credential=AKIDNEW/20231114/eu-west-1/execute-api, SignedHeaders=host;x-amz-date, Signature=" + String(repeating: "0", count: 64),
        "AWS4-HMAC-SHA256 Credential=AKIDNEW/20231114/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date",
        "AWS4-HMAC-SHA256 Credential=AKIDNEW/20231114/eu-west-1/execute-api/aws4_request, SignedHeaders=Host;x-amz-date, Signature=" + String(repeating: "0", count: 64),
        "AWS4-HMAC-SHA256 Credential=AKIDNEW/20231114/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=xyz",
        "AWS4-HMAC-SHA256 Credential=a, Credential=b, SignedHeaders=host, Signature=" + String(repeating: "0", count: 64),
        "AWS4-HMAC-SHA256 garbage",
    ])
    func malformedAuthorization(header: String) {
        let request = WebhookRequest(headers: ["Host": "h", "X-Amz-Date": Self.amzDate, "Authorization": header], body: [])
        #expect(verdict(request).reason == .malformedAuthorization)
    }

    @Test func amzDatesAreParsedExactly() {
        #expect(SigV4Verifier.parseAmzDate("20150830T123600Z") == Date(timeIntervalSince1970: 1_440_938_160))
        #expect(SigV4Verifier.parseAmzDate("20240229T235959Z") == Date(timeIntervalSince1970: 1_709_251_199))
        #expect(SigV4Verifier.parseAmzDate("19700101T000000Z") == Date(timeIntervalSince1970: 0))
        for invalid in ["20230229T000000Z", "20231301T000000Z", "20231114T246000Z", "2023111XT221320Z", "20231114 221320Z", ""] {
            #expect(SigV4Verifier.parseAmzDate(invalid) == nil, "\(invalid)")
        }
    }

    @Test(arguments: [("a b", "a b"), ("a  b", "a b"), (" a", "a"), ("a ", "a"), ("a\tb", "a b"), ("", ""),
                      ("  a \t b  c ", "a b c"), ("\"a   b\"", "\"a b\""), (" ", "")])
    func headerValuesAreTrimmedAndCollapsed(value: String, canonical: String) {
        #expect(SigV4CanonicalRequest.collapsingWhitespace(value) == canonical)
    }

    @Test(arguments: [("/cxone/events", true), ("/", true), ("/a.b/c~d-e_f", true), ("/a/...", true),
                      ("//a", false), ("/a//b", false), ("/./a", false), ("/a/..", false), ("/a/.", false), ("/a b", false),
                      ("/a%20b", false), ("/caf\u{e9}", false), ("a/b", false), ("", false)])
    func plainPathsAreTheirOwnCanonicalForm(path: String, plain: Bool) {
        #expect(SigV4CanonicalRequest.isPlainPath(path) == plain)
        if plain {
            #expect(SigV4CanonicalRequest.canonicalPath(path, rule: .normalized) == SigV4CanonicalRequest.removingDotSegments(path))
        }
    }

    @Test func nothingSignedIsMissingSignature() {
        #expect(verdict(WebhookRequest(headers: ["Host": "h"], body: [])).reason == .missingSignature)
    }

    @Test func presignedRequestsExpire() throws {
        let vector = try #require(SigV4Vector.all.first { $0.name == "get-vanilla" })
        let request = vector.signedRequest("query")
        let verifier = SigV4Verifier(policy: vector.policy)
        #expect(verifier.verify(request, now: vector.time.addingTimeInterval(3600)).isVerified)
        #expect(verifier.verify(request, now: vector.time.addingTimeInterval(3601)).reason == .timestampOutOfWindow)
        #expect(verifier.verify(request, now: vector.time.addingTimeInterval(-301)).reason == .timestampOutOfWindow)
    }

    @Test func signingKeysAreDerivedOncePerScope() {
        let keys = SigV4SigningKeys()
        let first = keys.key(accessKeyID: "A", secret: "s", date: "20231114", region: "r", service: "x")
        let again = keys.key(accessKeyID: "A", secret: "other", date: "20231114", region: "r", service: "x")
        #expect(first == again, "the cached key is reused for the same scope")
        #expect(first == SigV4SigningKeys.derive(secret: "s", date: "20231114", region: "r", service: "x"))
        #expect(keys.key(accessKeyID: "A", secret: "s", date: "20231115", region: "r", service: "x") != first)
    }

    @Test func cxonePresetReadsItsConfiguration() throws {
        let credentials: ConfigValue = .list([.map(["accessKeyId": .string("AKIDNEW"), "secretAccessKey": .string("new-secret")])])
        let source = try SourceVerifier(verifySpec(preset: "cxone-sigv4",
                                                   extra: ["region": .string("eu-west-1"), "credentials": credentials]))
        #expect(source.preset.maxBodyBytes == 1_048_576)
        #expect(source.preset.idempotencyKey == .body(pointer: "/eventId"))
        #expect(source.tolerance == 900)
        #expect(source.verifier.verify(Self.signed(), now: Self.now).isVerified)

        #expect(throws: ConfigProblems.self) { try SourceVerifier(verifySpec(path: "v", preset: "cxone-sigv4")) }
        do {
            _ = try SourceVerifier(verifySpec(path: "v", preset: "cxone-sigv4", extra: ["credentials": .list([.map(["accessKeyId": .string("A")])])]))
        } catch {
            #expect(error.problems.map(\.description) == ["v.region: is required", "v.credentials[0].secretAccessKey: is required"])
        }
    }
}

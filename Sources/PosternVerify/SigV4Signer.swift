import Crypto
import Foundation
import PosternCore

/// Signs an outgoing request with AWS Signature Version 4 (header form), the mirror of `SigV4Verifier`: the same
/// canonical request, string to sign and derived keys, so the suite's vectors check both.
public struct SigV4Signer: Sendable {
    public var credential: SigV4Credential
    /// A temporary credential's session token, sent (and signed) as `X-Amz-Security-Token`.
    public var sessionToken: String?
    public var region: String
    public var service: String
    /// Whether the payload's hash is sent (and signed) as `X-Amz-Content-Sha256` too.
    public var sendsPayloadHash: Bool

    public init(credential: SigV4Credential, sessionToken: String? = nil, region: String, service: String,
                sendsPayloadHash: Bool = false) {
        self.credential = credential
        self.sessionToken = sessionToken
        self.region = region
        self.service = service
        self.sendsPayloadHash = sendsPayloadHash
    }

    /// The request's headers with `X-Amz-Date`, `X-Amz-Security-Token` and `Authorization` added; `headers` must
    /// hold `Host`, and every header given is signed.
    public func sign(method: String, path: String, query: String?, headers: [(name: String, value: String)],
                     body: [UInt8], at time: Date) -> [(name: String, value: String)] {
        let amzDate = Self.amzDate(time)
        let payloadHash = ByteEncoding.hex.encode(SHA256.hash(data: body))
        var signed = headers + [("X-Amz-Date", amzDate)]
        if sendsPayloadHash { signed.append(("X-Amz-Content-Sha256", payloadHash)) }
        if let sessionToken { signed.append(("X-Amz-Security-Token", sessionToken)) }
        var requestHeaders = RequestHeaders()
        for (name, value) in signed { requestHeaders.append(name, value) }
        let names = Array(Set(signed.map { $0.name.lowercased() })).sorted()
        let request = WebhookRequest(method: method, path: path, query: query, headers: requestHeaders, body: body)
        let canonical = SigV4CanonicalRequest(request, signedHeaders: names, payloadHash: payloadHash, pathRule: .normalized)
        let scopeDate = String(amzDate.prefix(8))
        let scope = "\(scopeDate)/\(region)/\(service)/aws4_request"
        let key = SigV4SigningKeys.derive(secret: credential.secretAccessKey, date: scopeDate, region: region, service: service)
        let signature = HMAC<SHA256>.authenticationCode(for: Array(canonical.stringToSign(amzDate: amzDate, scope: scope).utf8), using: key)
        let authorization = "\(SigV4Signature.algorithm) Credential=\(credential.accessKeyID)/\(scope), "
            + "SignedHeaders=\(names.joined(separator: ";")), Signature=\(ByteEncoding.hex.encode(signature))"
        return signed + [("Authorization", authorization)]
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func amzDate(_ time: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: time)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 1970)\(two(parts.month))\(two(parts.day))T\(two(parts.hour))\(two(parts.minute))\(two(parts.second))Z"
    }
}

import Crypto
import Foundation
import PosternCore

/// Verifies AWS Signature Version 4, in the Authorization-header and the presigned-query forms, exactly as AWS
/// defines the canonical request, with the policy checks a gateway needs (required signed headers, scope,
/// known keys, time window, payload hash).
public struct SigV4Verifier: Verifier {
    static let unsignedPayload = "UNSIGNED-PAYLOAD"
    static let securityToken = "x-amz-security-token"

    public let policy: SigV4Policy
    public let scheme: String
    private let keys = SigV4SigningKeys()

    public init(policy: SigV4Policy, scheme: String = "sigv4") {
        self.policy = policy
        self.scheme = scheme
    }

    public func verify(_ request: WebhookRequest, now: Date) -> Verdict {
        do {
            return .verified(try check(request, now: now))
        } catch {
            return .refused(error)
        }
    }

    private func check(_ request: WebhookRequest, now: Date) throws(VerificationFailure) -> Verification {
        let claimed = try SigV4Signature.read(from: request).get()
        try checkSignedHeaders(claimed, request.headers)
        let time = try checkScopeAndTime(claimed, now: now)
        guard let index = policy.credentials.firstIndex(where: { $0.accessKeyID == claimed.accessKeyID }) else {
            throw .unknownAccessKey
        }
        let payloadHash = try checkPayload(request)
        guard matches(request, claimed, secret: policy.credentials[index].secretAccessKey, payloadHash: payloadHash) else {
            throw .invalidSignature
        }
        return Verification(scheme: scheme, secretIndex: index, timestamp: time,
                            signatureDigest: ByteEncoding.hex.encode(SHA256.hash(data: claimed.signature)))
    }

    /// `host` and `x-amz-date` must be signed, and every `x-amz-*` header sent, but for the security token
    /// that some clients add after signing (the suite's `post-sts-header-after`).
    private func checkSignedHeaders(_ claimed: SigV4Signature, _ headers: RequestHeaders) throws(VerificationFailure) {
        var required = ["host"]
        if claimed.form == .header { required.append("x-amz-date") }
        for name in required where !claimed.signedHeaders.contains(name) {
            throw .unsignedRequiredHeader(name)
        }
        for name in headers.names
        where name.hasPrefix("x-amz-") && name != Self.securityToken && !claimed.signedHeaders.contains(name) {
            throw .unsignedRequiredHeader(name)
        }
        for name in claimed.signedHeaders where !headers.contains(lowercased: name) {
            throw .invalidSignature
        }
    }

    private func checkScopeAndTime(_ claimed: SigV4Signature, now: Date) throws(VerificationFailure) -> Date {
        guard let time = Self.parseAmzDate(claimed.amzDate) else {
            throw .timestampOutOfWindow("X-Amz-Date is not yyyyMMdd'T'HHmmss'Z'")
        }
        guard claimed.amzDate.hasPrefix(claimed.scopeDate) else {
            throw .credentialScopeMismatch("the credential scope's date is not the date of X-Amz-Date")
        }
        guard claimed.region == policy.region, claimed.service == policy.service else {
            throw .credentialScopeMismatch("the credential scope must name region \(policy.region) and service \(policy.service)")
        }
        // A presigned request stays valid for X-Amz-Expires after X-Amz-Date, whatever the tolerance.
        let window = switch claimed.form {
        case .header: TimestampWindow(ahead: policy.futureTolerance ?? policy.tolerance, behind: policy.tolerance)
        case .query(let expires): TimestampWindow(ahead: policy.futureTolerance ?? policy.tolerance, behind: expires)
        }
        if let refusal = window.refusal(for: time, now: now, named: "X-Amz-Date") { throw refusal }
        return time
    }

    /// The payload hash to sign with: `X-Amz-Content-Sha256` when sent (and then it must match the body), else the body's.
    private func checkPayload(_ request: WebhookRequest) throws(VerificationFailure) -> String {
        let bodyHash = ByteEncoding.hex.encode(SHA256.hash(data: request.body))
        guard let declared = request.headers["X-Amz-Content-Sha256"] else { return bodyHash }
        if declared == Self.unsignedPayload {
            guard policy.allowsUnsignedPayload else { throw .payloadHashMismatch("UNSIGNED-PAYLOAD is not accepted by this source") }
            return declared
        }
        guard ConstantTime.equals(Array(declared.lowercased().utf8), Array(bodyHash.utf8)) else {
            throw .payloadHashMismatch("X-Amz-Content-Sha256 is not the SHA-256 of the body")
        }
        return declared
    }

    /// Recomputes the signature and compares it in constant time. A presigned request is tried once more without
    /// its security token, which some clients add after signing.
    private func matches(_ request: WebhookRequest, _ claimed: SigV4Signature, secret: String, payloadHash: String) -> Bool {
        let key = keys.key(accessKeyID: claimed.accessKeyID, secret: secret, date: claimed.scopeDate,
                           region: claimed.region, service: claimed.service)
        var omissions: [Set<String>] = [[]]
        if case .query = claimed.form {
            omissions = [["X-Amz-Signature"]]
            if QueryParameters(request.query).first("X-Amz-Security-Token") != nil {
                omissions.append(["X-Amz-Signature", "X-Amz-Security-Token"])
            }
        }
        // botocore sends a space in a query as `+` but signs it as `%20`; AWS's own suite signs `+` as `%2B`. A `+`
        // is read both ways, and either signature is accepted.
        let plusReadings = request.query?.contains("+") == true ? [false, true] : [false]
        for omitted in omissions {
            for plusIsSpace in plusReadings {
                let canonical = SigV4CanonicalRequest(request, signedHeaders: claimed.signedHeaders, payloadHash: payloadHash,
                                                      pathRule: policy.pathRule, omitting: omitted, plusIsSpace: plusIsSpace)
                let stringToSign = canonical.stringToSign(amzDate: claimed.amzDate, scope: claimed.scope)
                let expected = HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key)
                if ConstantTime.equals(Array(expected), claimed.signature) { return true }
            }
        }
        return false
    }

    /// Parses `yyyyMMdd'T'HHmmss'Z'` (UTC), refusing impossible dates and times.
    static func parseAmzDate(_ text: String) -> Date? {
        let digits = Array(text.utf8)
        guard digits.count == 16, digits[8] == UInt8(ascii: "T"), digits[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for digit in digits[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
                value = value * 10 + Int(digit - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60 else { return nil }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

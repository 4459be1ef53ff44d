import Foundation
import PosternCore
import PosternVerify
import FuzzSupport

/// The verifier every input is checked against: the AWS test suite's credentials and scope.
let verifier = SigV4Verifier(policy: .init(
    region: "us-east-1", service: "service",
    credentials: [SigV4Credential(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")]))
let suiteTime = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

/// One input is an HTTP request as text (the test suite's signed requests are the seeds): it goes through the
/// Authorization/presigned parser, both canonicalizations and the whole verifier. Any crash or hang is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let request = parseRequest(fuzzBytes(data, size))
    if case .success(let claimed) = SigV4Signature.read(from: request) {
        for rule in [SigV4Policy.PathRule.normalized, .asSent] {
            let canonical = SigV4CanonicalRequest(request, signedHeaders: claimed.signedHeaders,
                                                  payloadHash: "UNSIGNED-PAYLOAD", pathRule: rule)
            // Lines by byte: split by Character, a method ending in "\r" would join "\r\n" into one and shift them.
            let lines = canonical.text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            precondition(lines[1].allSatisfy(isCanonicalByte) && lines[2].allSatisfy(isCanonicalByte),
                         "the canonical path and query hold only unreserved characters, /, %, = and &")
            _ = canonical.stringToSign(amzDate: claimed.amzDate, scope: claimed.scope)
        }
    }
    _ = verifier.verify(request, now: suiteTime)
    return 0
}

func isCanonicalByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
    default:
        "-._~/%=&".utf8.contains(byte)
    }
}

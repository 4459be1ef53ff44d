import Foundation
import PosternCore
import PosternVerify

/// The verifier every input is checked against: the AWS test suite's credentials and scope.
let verifier = SigV4Verifier(policy: .init(
    region: "us-east-1", service: "service",
    credentials: [SigV4Credential(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")]))
let suiteTime = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

/// One input is an HTTP request as text (the test suite's signed requests are the seeds): it goes through the
/// Authorization/presigned parser, both canonicalizations and the whole verifier. Any crash or hang is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let request = parseRequest(Array(UnsafeBufferPointer(start: data, count: size)))
    if case .success(let claimed) = SigV4Signature.read(from: request) {
        for rule in [SigV4CanonicalRequest.PathRule.normalized, .asSent] {
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

/// `METHOD target HTTP/1.1`, `Name:value` lines, a blank line, the body; anything malformed becomes something.
func parseRequest(_ bytes: [UInt8]) -> WebhookRequest {
    let text = String(decoding: bytes, as: UTF8.self)
    let sections = text.components(separatedBy: "\n\n")
    var lines = sections[0].components(separatedBy: "\n")
    let requestLine = lines.isEmpty ? "" : lines.removeFirst()
    let words = requestLine.split(separator: " ", maxSplits: 1)
    let method = words.first.map(String.init) ?? "POST"
    let target = words.count > 1 ? String(words[1].replacingOccurrences(of: " HTTP/1.1", with: "")) : "/"
    var headers = RequestHeaders()
    for line in lines {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers.append(String(line[..<colon]), String(line[line.index(after: colon)...]))
    }
    let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    let body = Array(sections.dropFirst().joined(separator: "\n\n").utf8)
    return WebhookRequest(method: method, path: parts.first.map(String.init) ?? "/",
                          query: parts.count > 1 ? String(parts[1]) : nil, headers: headers, body: body)
}

import Crypto
import PosternCore

/// The canonical request and string to sign of AWS Signature Version 4, built from a request as received.
public struct SigV4CanonicalRequest: Sendable {
    public let text: String

    /// Builds the canonical request; `signedHeaders` must be sorted and lower-case, `payloadHash` lower-case hex
    /// (or `UNSIGNED-PAYLOAD`). `omitting` names query parameters left out (`X-Amz-Signature`); `plusIsSpace` reads
    /// a `+` in the query as a space (form encoding, as botocore sends it) rather than as itself.
    public init(_ request: WebhookRequest, signedHeaders: [String], payloadHash: String, pathRule: SigV4Policy.PathRule,
                omitting omitted: Set<String> = [], plusIsSpace: Bool = false) {
        text = [
            request.method,
            Self.canonicalPath(request.path, rule: pathRule),
            Self.canonicalQuery(request.query, omitting: omitted, plusIsSpace: plusIsSpace),
            Self.canonicalHeaders(request.headers, signedHeaders),
            signedHeaders.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
    }

    /// `AWS4-HMAC-SHA256`, the request time, the credential scope and the canonical request's hash, one per line.
    public func stringToSign(amzDate: String, scope: String) -> String {
        // Native strings are contiguous UTF-8: hash them in place rather than copying into an array.
        let digest = text.utf8.withContiguousStorageIfAvailable { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
            ?? SHA256.hash(data: Array(text.utf8))
        let hash = ByteEncoding.hex.encode(digest)
        return "\(SigV4Signature.algorithm)\n\(amzDate)\n\(scope)\n\(hash)"
    }

    static func canonicalPath(_ path: String, rule: SigV4Policy.PathRule) -> String {
        // Most webhook paths (`/cxone/events`) are already canonical under either rule.
        if isPlainPath(path) { return path }
        switch rule {
        case .normalized: return AWSPercentEncoding.encode(removingDotSegments(path).utf8, keepingSlashes: true)
        case .asSent: return AWSPercentEncoding.encode(AWSPercentEncoding.decode(path.isEmpty ? "/" : path), keepingSlashes: true)
        }
    }

    /// A path of unreserved characters and single slashes, with no dot segments: its own canonical form.
    static func isPlainPath(_ path: String) -> Bool {
        var previous: UInt8 = 0
        var segmentLength = 0
        var segmentIsDots = true
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if previous == byte || (segmentLength > 0 && segmentLength <= 2 && segmentIsDots) { return false }
                segmentLength = 0
                segmentIsDots = true
            } else {
                guard AWSPercentEncoding.isUnreserved(byte) else { return false }
                segmentLength += 1
                segmentIsDots = segmentIsDots && byte == UInt8(ascii: ".")
            }
            previous = byte
        }
        let endsInDotSegment = segmentLength > 0 && segmentLength <= 2 && segmentIsDots
        return path.utf8.first == UInt8(ascii: "/") && !endsInDotSegment
    }

    /// RFC 3986 §5.2.4 as AWS applies it: empty and `.` segments dropped, `..` removes the one before;
    /// the leading and a trailing slash are kept.
    static func removingDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = output.popLast()
            } else {
                output.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return "/" + output.joined(separator: "/") + trailing
    }

    /// Parameters decoded, re-encoded with the unreserved set, sorted by name then value.
    static func canonicalQuery(_ query: String?, omitting omitted: Set<String>, plusIsSpace: Bool = false) -> String {
        let omittedNames = Set(omitted.map { Array($0.utf8) })
        let encoded: [(name: String, value: String)] = QueryParameters(query, plusIsSpace: plusIsSpace).pairs
            .filter { !omittedNames.contains($0.name) }
            .map { (AWSPercentEncoding.encode($0.name), AWSPercentEncoding.encode($0.value)) }
        let sorted = encoded.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// One `name:value` line per signed header: repeated headers joined by `,` in received order, each value
    /// trimmed and its inner whitespace runs collapsed to one space.
    static func canonicalHeaders(_ headers: RequestHeaders, _ signedHeaders: [String]) -> String {
        signedHeaders.map { name in
            "\(name):" + headers.values(lowercased: name).map(collapsingWhitespace).joined(separator: ",") + "\n"
        }.joined()
    }

    static func collapsingWhitespace(_ value: String) -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        var previousWasSpace = true
        let isCanonical = value.utf8.allSatisfy { byte in
            defer { previousWasSpace = isSpace(byte) }
            return !(isSpace(byte) && (previousWasSpace || byte != 0x20))
        }
        // Most values are already canonical: no leading, trailing, repeated or non-space whitespace.
        if isCanonical, !previousWasSpace || value.isEmpty { return value }
        return value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}

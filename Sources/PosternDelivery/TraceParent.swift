import PosternCore

/// W3C Trace Context `traceparent` values (`00-<32 hex trace id>-<16 hex span id>-<flags>`).
enum TraceParent {
    /// A new span in the caller's trace when it sent a valid `traceparent`, else in a new trace.
    static func child(of incoming: String?) -> String {
        let parts = incoming?.split(separator: "-", omittingEmptySubsequences: false) ?? []
        if parts.count == 4, parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
           parts[1].allSatisfy(\.isHexDigit), parts[1] != String(repeating: "0", count: 32) {
            return "00-\(parts[1].lowercased())-\(randomHex(bytes: 8))-\(parts[3].lowercased())"
        }
        return "00-\(randomHex(bytes: 16))-\(randomHex(bytes: 8))-01"
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return ByteEncoding.hex.encode((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}

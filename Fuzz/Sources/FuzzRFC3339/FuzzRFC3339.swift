import FuzzSupport
import PosternVerify

/// RFC 3339 timestamps as senders write them: whatever parses formats back to text that parses to the same instant.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    guard let date = RFC3339.parse(text) else { return 0 }
    let again = RFC3339.parse(RFC3339.format(date))
    require(again.map { abs($0.timeIntervalSince(date)) < 0.001 } == true, "a parsed time formats and parses back")
    return 0
}

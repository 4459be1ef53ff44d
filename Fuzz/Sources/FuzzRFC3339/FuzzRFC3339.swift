import Foundation
import FuzzSupport
import PosternCore

/// The instants RFC 3339's four-digit years can write: 0000-01-01T00:00:00Z up to 9999-12-31T23:59:59Z.
let writable = -62_167_219_200.0 ..< 253_402_300_800.0

/// RFC 3339 timestamps as senders write them: whatever parses, and has a four-digit year once in UTC, formats (to
/// the whole second) and parses back to the same second.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    guard let date = RFC3339.parse(text), writable.contains(date.timeIntervalSince1970) else { return 0 }
    let second = date.timeIntervalSince1970.rounded(.down)
    let again = RFC3339.parse(RFC3339.format(date))
    require(again?.timeIntervalSince1970 == second, "a parsed time formats and parses back to its second")
    return 0
}

import Foundation

/// The gateway's event ids: `evt_` and the 32 lower-case hex digits of a UUIDv7 — the time in milliseconds, then
/// random bits. Ids therefore sort by arrival, and new rows land at the end of the id index instead of on a random
/// page of it (which would cost the store a page write per event).
enum EventID {
    private static let digits = Array("0123456789abcdef".utf8)

    static func make(now: Date = Date()) -> String {
        var uuid = UUID().uuid
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        withUnsafeMutableBytes(of: &uuid) { bytes in
            for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * index)) }
            bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
            bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 9562 variant
        }
        return withUnsafeBytes(of: uuid) { bytes in
            var text = Array("evt_".utf8)
            text.reserveCapacity(36)
            for byte in bytes {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
            return String(decoding: text, as: UTF8.self)
        }
    }
}

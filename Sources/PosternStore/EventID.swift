import Foundation

/// The gateway's event ids: `evt_` and 32 lower-case hex digits of a random UUID.
enum EventID {
    private static let digits = Array("0123456789abcdef".utf8)

    static func make() -> String {
        let uuid = UUID().uuid
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

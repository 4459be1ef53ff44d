import Foundation

/// How signature bytes are written in a header.
public enum ByteEncoding: String, Sendable, CaseIterable {
    case hex
    case base64

    public func encode(_ bytes: some Sequence<UInt8>) -> String {
        switch self {
        case .hex: Self.encodeHex(bytes)
        case .base64: Data(bytes).base64EncodedString()
        }
    }

    /// Decodes text in this encoding; nil when it is not valid (hex is accepted in either case).
    public func decode(_ text: some StringProtocol) -> [UInt8]? {
        switch self {
        case .hex: Self.decodeHex(text)
        case .base64: Data(base64Encoded: String(text)).map { Array($0) }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func encodeHex(_ bytes: some Sequence<UInt8>) -> String {
        var digits: [UInt8] = []
        digits.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            digits.append(hexDigits[Int(byte >> 4)])
            digits.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: digits, as: UTF8.self)
    }

    private static func decodeHex(_ text: some StringProtocol) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The value of one hex digit, either case.
    public static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Decodes `%XY` sequences (URI percent-encoding); a `%` not followed by two hex digits stays as it is.
    public static func percentDecoded(_ text: some StringProtocol) -> [UInt8] {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = nibble(bytes[index + 1]), let low = nibble(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}

import PosternCore

/// Percent-encoding as AWS Signature Version 4 defines it: every byte but the unreserved set
/// (`A-Z a-z 0-9 - . _ ~`) becomes `%XY` with upper-case hex; `+` is a literal plus, never a space.
enum AWSPercentEncoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Encodes bytes; `/` is kept as is when `keepingSlashes` (paths), encoded otherwise (query names and values).
    static func encode(_ bytes: some Sequence<UInt8>, keepingSlashes: Bool = false) -> String {
        var output: [UInt8] = []
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlashes && byte == UInt8(ascii: "/")) {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes `%XY` sequences; a `%` not followed by two hex digits stays as it is.
    static func decode(_ text: some StringProtocol) -> [UInt8] {
        ByteEncoding.percentDecoded(text)
    }
}

/// A second, independent reader of RFC 8259 written straight from its grammar, with the rules Postern adds: a
/// nesting limit of 64, member names unique by code points, valid UTF-8, paired surrogates. It only accepts or
/// rejects; the target checks that the intake's parser agrees on every input.
struct ReferenceJSON {
    private let bytes: [UInt8]
    private var position = 0

    static func accepts(_ bytes: [UInt8]) -> Bool {
        var reader = ReferenceJSON(bytes: bytes)
        reader.whitespace()
        guard reader.value(depth: 0) else { return false }
        reader.whitespace()
        return reader.position == bytes.count
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        position += 1
        return true
    }

    private mutating func whitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private mutating func value(depth: Int) -> Bool {
        switch current {
        case UInt8(ascii: "{"): return depth < 64 && object(depth: depth + 1)
        case UInt8(ascii: "["): return depth < 64 && array(depth: depth + 1)
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    private mutating func literal(_ word: String) -> Bool {
        for byte in word.utf8 where !take(byte) { return false }
        return true
    }

    private mutating func object(depth: Int) -> Bool {
        position += 1
        whitespace()
        if take(UInt8(ascii: "}")) { return true }
        var names: Set<[Unicode.Scalar]> = []
        repeat {
            whitespace()
            guard current == UInt8(ascii: "\""), let name = string(), names.insert(name).inserted else { return false }
            whitespace()
            guard take(UInt8(ascii: ":")) else { return false }
            whitespace()
            guard value(depth: depth) else { return false }
            whitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    private mutating func array(depth: Int) -> Bool {
        position += 1
        whitespace()
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            whitespace()
            guard value(depth: depth) else { return false }
            whitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    private mutating func digits() -> Int {
        let start = position
        while let byte = current, (0x30...0x39).contains(byte) { position += 1 }
        return position - start
    }

    private mutating func number() -> Bool {
        _ = take(UInt8(ascii: "-"))
        if take(UInt8(ascii: "0")) {
            // no more digits may follow a leading zero
        } else if digits() == 0 {
            return false
        }
        if take(UInt8(ascii: ".")), digits() == 0 { return false }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            if digits() == 0 { return false }
        }
        return true
    }

    /// The string's code points, or nil when it is not a valid JSON string.
    private mutating func string() -> [Unicode.Scalar]? {
        position += 1
        var scalars: [Unicode.Scalar] = []
        while let byte = current {
            if byte == UInt8(ascii: "\"") {
                position += 1
                return scalars
            }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                guard let scalar = escape() else { return nil }
                scalars.append(scalar)
                continue
            }
            // One UTF-8 sequence, decoded by the standard library's decoder from here.
            var iterator = bytes[position...].makeIterator()
            var decoder = UTF8()
            let start = position
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                scalars.append(scalar)
                position = start + UTF8.width(scalar)
            default:
                return nil
            }
        }
        return nil
    }

    private mutating func escape() -> Unicode.Scalar? {
        position += 1
        guard let byte = current else { return nil }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(byte)
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            guard let unit = hex4() else { return nil }
            if (0xDC00...0xDFFF).contains(unit) { return nil }
            guard (0xD800...0xDBFF).contains(unit) else { return Unicode.Scalar(unit) }
            guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00...0xDFFF).contains(low) else {
                return nil
            }
            return Unicode.Scalar(0x10000 + (unit - 0xD800) * 0x400 + (low - 0xDC00))
        default: return nil
        }
    }

    private mutating func hex4() -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { return nil }
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: return nil
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }
}

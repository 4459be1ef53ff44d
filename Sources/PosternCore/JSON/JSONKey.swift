/// An object member's name. JSON compares names by their code points (RFC 8259 §8.3), so a key compares and hashes
/// its UTF-8 bytes; Swift's `String ==` compares by canonical equivalence, which would make "café" written in NFC and
/// in NFD one name.
public struct JSONKey: Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public init(stringLiteral name: String) {
        self.name = name
    }

    public var description: String { name }

    public static func == (lhs: JSONKey, rhs: JSONKey) -> Bool {
        lhs.name.hasSameScalars(as: rhs.name)
    }

    /// Code point order (what UTF-8 byte order is).
    public static func < (lhs: JSONKey, rhs: JSONKey) -> Bool {
        var left = lhs.name, right = rhs.name
        return left.withUTF8 { a in right.withUTF8 { b in a.lexicographicallyPrecedes(b) } }
    }

    public func hash(into hasher: inout Hasher) {
        var name = name
        name.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension String {
    /// Whether two strings have the same code points: JSON's equality, not Swift's canonical equivalence.
    /// Compares the contiguous UTF-8 buffers (the generic `utf8.elementsEqual` walks index by index, a measured
    /// 4 % of a schema check).
    public func hasSameScalars(as other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var left = self, right = other
        return left.withUTF8 { a in right.withUTF8 { b in a.elementsEqual(b) } }
    }
}

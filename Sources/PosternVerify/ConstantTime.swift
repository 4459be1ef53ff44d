import Crypto

/// Comparisons whose duration does not depend on where two secrets differ.
public enum ConstantTime {
    /// Equal bytes, compared without an early exit; lengths are public (a MAC's length is fixed by its algorithm).
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    /// Equal strings of any length: both sides are hashed first, so neither length nor content leaks.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(SHA256.hash(data: Array(a.utf8))), Array(SHA256.hash(data: Array(b.utf8))))
    }

    /// The index of the first candidate equal to `value`, comparing against every candidate.
    static func firstMatch(of value: String, in candidates: [String]) -> Int? {
        var found: Int?
        for (index, candidate) in candidates.enumerated() where equals(value, candidate) && found == nil {
            found = index
        }
        return found
    }
}

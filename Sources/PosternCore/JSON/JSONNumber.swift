/// A JSON number: its text exactly as the document wrote it, and its value. Two numbers are equal when their values
/// are (JSON equality); the text keeps what a Double cannot, so `9007199254740993` and `9007199254740992` stay apart.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral {
    /// The number as written, e.g. `1e3`, `-0.50`, `9007199254740993`.
    public let text: String
    public let value: Double

    public init(text: String, value: Double) {
        self.text = text
        self.value = value
    }

    /// A number made in code, written as JSON writes it: integers without a fraction.
    public init(_ value: Double) {
        self.init(text: JSONNumber.canonicalText(value), value: value)
    }

    public init(_ value: Int) {
        self.init(text: String(value), value: Double(value))
    }

    public init(integerLiteral value: Int) {
        self.init(value)
    }

    public init(floatLiteral value: Double) {
        self.init(value)
    }

    /// Whether the value has no fraction (JSON Schema's `integer`: `1.0` is one). Beyond 2^53 a Double cannot hold a
    /// fraction, so every finite value up there is whole.
    public var isInteger: Bool { value.isFinite && value.rounded() == value }

    public var description: String { text }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.value == rhs.value }

    /// Integers up to 10^15 without a fraction or exponent, anything else as Swift writes a Double; JSON has no
    /// infinity or NaN, so those are written as null.
    static func canonicalText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

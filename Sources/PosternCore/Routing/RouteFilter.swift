/// A destination entry's `when:`: conditions on an event's fields (a JSON or form body's, by JSON pointer, or a kept
/// header's), every one of which must hold for the event to be delivered there.
public struct RouteFilter: Sendable {
    /// Where a condition reads its value.
    enum Field: Sendable, Equatable {
        /// A JSON pointer into the JSON or form body (`/payload_data/priority`).
        case body(String)
        /// A header kept with the event, by lower-cased name (`header:X-Channel`).
        case header(String)
    }

    /// One operator of a condition.
    enum Test: Sendable {
        case equal(JSONValue)
        case notEqual(JSONValue)
        case oneOf([JSONValue])
        case exists(Bool)
        case compare(Comparison, Double)
        case prefix(String)
        case matches(SchemaPattern)
    }

    /// `gt`, `gte`, `lt`, `lte`.
    enum Comparison: String, Sendable, CaseIterable {
        case gt, gte, lt, lte
    }

    struct Condition: Sendable {
        var field: Field
        /// All must hold.
        var tests: [Test]
    }

    var conditions: [Condition]

    /// The headers (lower case) the conditions read; they are kept with the event, so a replay routes as ingest did.
    public var headerNames: [String] {
        conditions.compactMap { if case .header(let name) = $0.field { name } else { nil } }
    }

    /// Whether a condition reads the body (which then must have fields: JSON or a form).
    var readsBody: Bool {
        conditions.contains { if case .body = $0.field { true } else { false } }
    }

    /// Whether the event passes: `document` is its JSON or form body's fields (nil for XML and raw bodies, which
    /// no body condition matches), `headers` its kept headers.
    public func admits(document: JSONValue?, headers: [(name: String, value: String)]) -> Bool {
        conditions.allSatisfy { condition in
            let value: JSONValue?
            switch condition.field {
            case .body(let pointer): value = document?.value(at: pointer)
            case .header(let name): value = headers.first { $0.name.lowercased() == name }.map { .string($0.value) }
            }
            return condition.tests.allSatisfy { Self.passes($0, value) }
        }
    }

    static func passes(_ test: Test, _ value: JSONValue?) -> Bool {
        switch test {
        case .exists(let wanted): return (value != nil) == wanted
        case .notEqual(let other): return value.map { !Self.same($0, other) } ?? true
        default: break
        }
        guard let value else { return false }
        switch test {
        case .equal(let other): return same(value, other)
        case .oneOf(let options): return options.contains { same(value, $0) }
        case .compare(let comparison, let bound):
            guard let number = number(value) else { return false }
            switch comparison {
            case .gt: return number > bound
            case .gte: return number >= bound
            case .lt: return number < bound
            case .lte: return number <= bound
            }
        case .prefix(let start): return text(value)?.hasPrefix(start) ?? false
        case .matches(let pattern): return text(value).map(pattern.matches) ?? false
        case .exists, .notEqual: return false
        }
    }

    /// JSON equality, or, for a string (every form field and header is one), equality with a scalar's text: `3`
    /// matches a form's `priority=3`.
    static func same(_ value: JSONValue, _ other: JSONValue) -> Bool {
        if value == other { return true }
        guard case .string(let string) = value else { return false }
        return text(other) == string
    }

    /// A number, or a string that reads as a finite one.
    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number): number.value
        case .string(let string): Double(string).flatMap { $0.isFinite ? $0 : nil }
        default: nil
        }
    }

    /// A string, number or boolean as text.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let string): string
        case .number(let number): number.text
        case .bool(let bool): String(bool)
        default: nil
        }
    }
}

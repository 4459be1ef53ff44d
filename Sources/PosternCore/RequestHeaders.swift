/// The header fields of a request as received, looked up case-insensitively, in received order.
public struct RequestHeaders: Sendable, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// Every value of the named field, in received order.
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The first value of the named field.
    public subscript(_ name: String) -> String? {
        values(name).first
    }

    public mutating func append(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }
}

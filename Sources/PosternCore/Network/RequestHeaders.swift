/// The header fields of a request as received, looked up case-insensitively, in received order.
public struct RequestHeaders: Sendable, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [(name: String, value: String)]
    /// The field names in lower case, computed once, since every lookup compares them.
    private var lowercasedNames: [String]

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
        self.lowercasedNames = fields.map { $0.name.lowercased() }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements.map { (name: $0.0, value: $0.1) })
    }

    /// Every value of the named field, in received order.
    public func values(_ name: String) -> [String] {
        values(lowercased: name.lowercased())
    }

    /// Every value of the field, named in lower case already, in received order.
    public func values(lowercased name: String) -> [String] {
        var found: [String] = []
        for (index, candidate) in lowercasedNames.enumerated() where candidate == name { found.append(fields[index].value) }
        return found
    }

    /// Whether a field of this (lower-case) name is present.
    public func contains(lowercased name: String) -> Bool {
        lowercasedNames.contains(name)
    }

    /// The field names in lower case, in received order.
    public var names: [String] { lowercasedNames }

    /// The first value of the named field.
    public subscript(_ name: String) -> String? {
        let wanted = name.lowercased()
        return lowercasedNames.firstIndex(of: wanted).map { fields[$0].value }
    }

    public mutating func append(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
        lowercasedNames.append(name.lowercased())
    }
}

import Foundation

/// A destination's `body:`: the JSON it is sent instead of the event's raw body, built from the event. A string that is
/// one placeholder (`"{{/payload/text}}"`) becomes the value there with its JSON type, a string with placeholders
/// inside (`"Session {{/sessionId}}"`) becomes text, and `{"{{#each /lines}}": item}` becomes a list of `item` made
/// from each element of that array, whose pointers then read the element.
public indirect enum BodyTemplate: Sendable {
    case literal(JSONValue)
    case value(Placeholder)
    case text([Piece])
    case array([BodyTemplate])
    case object([JSONKey: BodyTemplate])
    case each(pointer: String, item: BodyTemplate)
    /// The built-in Genesys Open Messaging template (`"{{genesys-open-messaging}}"`, `…:receipt`, `…:typing`): an
    /// inbound message, receipt or typing event made by the mapping, whose fields each take the first pointer found.
    case genesys(OpenMessagingKind, OpenMessagingMapping)

    /// What a placeholder stands for.
    public enum Placeholder: Sendable, Equatable {
        case id
        case correlationID
        case receivedAt
        /// A JSON pointer into the event's JSON or form body (or, inside `#each`, into the element).
        case pointer(String)
    }

    /// A piece of text with placeholders.
    public enum Piece: Sendable, Equatable {
        case text(String)
        case placeholder(Placeholder)
    }

    /// What the placeholders of one delivery stand for.
    public struct Values: Sendable {
        public var id: String
        public var correlationID: String
        public var receivedAt: Date?
        /// The fields of the event's JSON or form body; nil for other bodies (every pointer is then null).
        public var document: JSONValue?

        public init(id: String, correlationID: String, receivedAt: Date?, document: JSONValue?) {
            self.id = id
            self.correlationID = correlationID
            self.receivedAt = receivedAt
            self.document = document
        }
    }

    /// The rendered document: a pointer to nothing is null, `#each` over a missing or non-array value an empty list.
    public func render(_ values: Values) -> JSONValue {
        switch self {
        case .literal(let value): return value
        case .value(let placeholder): return Self.value(placeholder, values)
        case .text(let pieces): return .string(Self.text(pieces, values))
        case .array(let items): return .array(items.map { $0.render(values) })
        case .object(let members): return .object(members.mapValues { $0.render(values) })
        case .each(let pointer, let item):
            guard case .array(let elements)? = values.document?.value(at: pointer) else { return .array([]) }
            return .array(elements.map { element in
                var inner = values
                inner.document = element
                return item.render(inner)
            })
        case .genesys(let kind, let mapping):
            return (try? mapping.body(kind, document: values.document, eventID: values.id, receivedAt: values.receivedAt ?? Date())
                .get()).flatMap { try? JSONParser.parse($0) } ?? .null
        }
    }

    /// Why this event cannot be rendered, for a template that requires fields (the Genesys mapping's sender and text);
    /// nil when it can. A delivery with a problem is unsendable.
    public func problem(_ values: Values) -> String? {
        guard case .genesys(let kind, let mapping) = self else { return nil }
        if case .failure(let problem) = mapping.body(kind, document: values.document, eventID: values.id,
                                                      receivedAt: values.receivedAt ?? Date()) {
            return problem.message
        }
        return nil
    }

    static func value(_ placeholder: Placeholder, _ values: Values) -> JSONValue {
        switch placeholder {
        case .id: .string(values.id)
        case .correlationID: .string(values.correlationID)
        case .receivedAt: values.receivedAt.map { .string(RFC3339.format($0)) } ?? .null
        case .pointer(let pointer): values.document?.value(at: pointer) ?? .null
        }
    }

    /// A text with placeholders (a header's value, an EventBridge source), rendered; a text that does not parse as a
    /// template (config checks refuse it) stays as it is.
    public static func text(rendering template: String, _ values: Values) -> String {
        guard template.contains("{{") else { return template }
        var problems: [ConfigProblem] = []
        return text(pieces(template, at: "", &problems) ?? [.text(template)], values)
    }

    /// Text with each placeholder written as its value's text (a string as it is, anything else as JSON, null empty).
    public static func text(_ pieces: [Piece], _ values: Values) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let text): return text
            case .placeholder(let placeholder):
                switch value(placeholder, values) {
                case .string(let string): return string
                case .null: return ""
                case let other: return other.jsonText
                }
            }
        }.joined()
    }
}

import Foundation

/// The body of a source's configured answer (`answer.body`): text with `{{id}}`, `{{correlationId}}`,
/// `{{receivedAt}}` and `{{body:/pointer}}` placeholders, each value escaped for the answer's content type so that a
/// JSON answer stays valid JSON and an XML answer valid XML.
///
/// Written here rather than with swift-mustache: Mustache reads `.` in a name as nesting (JSON pointers keep it as a
/// character), escapes for HTML by default, and brings sections and partials an answer must not have.
public struct AnswerTemplate: Sendable, Equatable {
    /// One piece of the template.
    public enum Part: Sendable, Equatable {
        case text(String)
        case id
        case correlationID
        case receivedAt
        case field(pointer: String)
    }

    /// How values are written into the text, from the content type.
    public enum Escaping: Sendable, Equatable {
        /// Inside a JSON string: `"` `\` and control characters escaped.
        case json
        /// `&` `<` `>` `"` `'` as entities.
        case xml
        /// Percent-encoded, as a form field.
        case form
        /// As they are.
        case none

        public init(contentType: String) {
            let type = contentType.split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? ""
            if type == "application/json" || type.hasSuffix("+json") {
                self = .json
            } else if type == "application/xml" || type == "text/xml" || type.hasSuffix("+xml") {
                self = .xml
            } else if type == "application/x-www-form-urlencoded" {
                self = .form
            } else {
                self = .none
            }
        }
    }

    /// Why a template is refused; the message names the placeholder.
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
    }

    /// What the placeholders stand for in one answer.
    public struct Values: Sendable {
        public var id: String
        public var correlationID: String
        public var receivedAt: Date
        /// The fields of a JSON or form body; nil for other kinds.
        public var document: JSONValue?

        public init(id: String, correlationID: String, receivedAt: Date, document: JSONValue?) {
            self.id = id
            self.correlationID = correlationID
            self.receivedAt = receivedAt
            self.document = document
        }
    }

    public let parts: [Part]

    public init(parsing text: String) throws(Failure) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw Failure(message: "a {{ without its }}")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingSpaces
            switch name {
            case "id": parts.append(.id)
            case "correlationId": parts.append(.correlationID)
            case "receivedAt": parts.append(.receivedAt)
            case let field where field.hasPrefix("body:/"): parts.append(.field(pointer: String(field.dropFirst(5))))
            default:
                throw Failure(message: "{{\(name)}} is not a placeholder: use {{id}}, {{correlationId}}, {{receivedAt}} or {{body:/pointer}}")
            }
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        self.parts = parts
    }

    /// The JSON pointers the template reads from the body.
    public var pointers: [String] {
        parts.compactMap { if case .field(let pointer) = $0 { pointer } else { nil } }
    }

    /// The answer's text; a field the body does not have renders empty.
    public func render(_ values: Values, escaping: Escaping) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .text(let literal): text += literal
            case .id: text += Self.escape(values.id, escaping)
            case .correlationID: text += Self.escape(values.correlationID, escaping)
            case .receivedAt:
                text += Self.escape(values.receivedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), escaping)
            case .field(let pointer):
                let value: String = switch values.document?.value(at: pointer) {
                case .string(let string)?: string
                case nil, .null?: ""
                case let other?: other.jsonText
                }
                text += Self.escape(value, escaping)
            }
        }
        return text
    }

    static func escape(_ value: String, _ escaping: Escaping) -> String {
        switch escaping {
        case .none: return value
        case .json:
            let quoted = JSONText.quoted(value)
            return String(quoted.dropFirst().dropLast())
        case .xml:
            return value.markupEscaped
        case .form:
            var escaped = ""
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                     UInt8(ascii: "*"):
                    escaped.unicodeScalars.append(Unicode.Scalar(byte))
                case UInt8(ascii: " "): escaped += "+"
                default: escaped += "%" + String(format: "%02X", byte)
                }
            }
            return escaped
        }
    }
}

import Foundation

/// A stored body laid out for reading (`postern events show`, the console's event page): JSON indented with sorted
/// keys, a form as one `name = value` line per field, XML one element per line, indented; anything else as it is.
/// The layout only: the stored bytes are never changed.
public enum BodyPrinter {
    /// The body as text to read, by its `Content-Type`; nil when it is not UTF-8.
    public static func pretty(_ body: [UInt8], contentType: String?) -> String? {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if type == "application/x-www-form-urlencoded", case .object(let fields)? = try? FormBody.parse(body) {
            return fields.sorted { $0.key.name < $1.key.name }.flatMap { name, value -> [String] in
                switch value {
                case .array(let values): values.map { "\(name.name) = \(Self.text($0))" }
                default: ["\(name.name) = \(Self.text(value))"]
                }
            }.joined(separator: "\n")
        }
        if type.hasSuffix("xml"), (try? XMLBody.check(body)) != nil { return indentedXML(text) }
        return json(text) ?? text
    }

    /// JSON indented for reading; nil when the text is not JSON.
    public static func json(_ text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return String(data: data, encoding: .utf8)
    }

    private static func text(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return ""
    }

    /// One tag or text run per line, two spaces per level; an element holding only text stays on one line.
    static func indentedXML(_ text: String) -> String {
        var lines: [String] = []
        var depth = 0
        let tokens = xmlTokens(text)
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            let pad = String(repeating: "  ", count: max(0, depth))
            if token.hasPrefix("</") {
                depth -= 1
                lines.append(String(repeating: "  ", count: max(0, depth)) + token)
            } else if token.hasPrefix("<") && !token.hasPrefix("<?") && !token.hasPrefix("<!") && !token.hasSuffix("/>") {
                if index + 2 < tokens.count, !tokens[index + 1].hasPrefix("<"), tokens[index + 2].hasPrefix("</") {
                    lines.append(pad + token + tokens[index + 1] + tokens[index + 2])
                    index += 3
                    continue
                }
                lines.append(pad + token)
                depth += 1
            } else {
                lines.append(pad + token)
            }
            index += 1
        }
        return lines.joined(separator: "\n")
    }

    /// Tags (quotes, comments and CDATA respected) and the text between them, whitespace-only text dropped.
    private static func xmlTokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("<") {
                let end: String.Index
                if rest.hasPrefix("<!--") {
                    end = rest.range(of: "-->")?.upperBound ?? rest.endIndex
                } else if rest.hasPrefix("<![CDATA[") {
                    end = rest.range(of: "]]>")?.upperBound ?? rest.endIndex
                } else {
                    var quote: Character?
                    end = rest.indices.first { index in
                        let character = rest[index]
                        if let open = quote { if character == open { quote = nil }; return false }
                        if character == "\"" || character == "'" { quote = character; return false }
                        return character == ">"
                    }.map { rest.index(after: $0) } ?? rest.endIndex
                }
                tokens.append(String(rest[..<end]))
                rest = rest[end...]
            } else {
                let end = rest.firstIndex(of: "<") ?? rest.endIndex
                let run = rest[..<end].trimmingCharacters(in: .whitespacesAndNewlines)
                if !run.isEmpty { tokens.append(run) }
                rest = rest[end...]
            }
        }
        return tokens
    }
}

/// Reading a `body:` template, and the placeholders of any templated text, from the configuration.
extension BodyTemplate {
    static func decode(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> BodyTemplate? {
        switch node.value {
        case nil: return nil
        case .string(let string)?:
            if let kind = builtIn(string) { return .genesys(kind, OpenMessagingMapping()) }
            guard let pieces = pieces(string, at: node.path, &problems) else { return nil }
            if pieces.count == 1, case .placeholder(let placeholder) = pieces[0] { return .value(placeholder) }
            if pieces.allSatisfy({ if case .text = $0 { true } else { false } }) { return .literal(.string(string)) }
            return .text(pieces)
        case .list?: return .array(node.elements(&problems).compactMap { decode($0, &problems) })
        case .map(let map)?:
            if let key = map.keys.first(where: { $0.hasPrefix("{{#each") }) {
                guard map.count == 1, key.hasSuffix("}}"),
                      case let pointer = key.dropFirst("{{#each".count).dropLast(2).trimmingSpaces, pointer.hasPrefix("/") else {
                    problems.append(ConfigProblem(node.path, "{{#each /pointer}} must be the only key of its mapping, naming a JSON pointer"))
                    return nil
                }
                return decode(node[key], &problems).map { .each(pointer: String(pointer), item: $0) }
            }
            var members: [JSONKey: BodyTemplate] = [:]
            for key in map.keys.sorted() {
                if let member = decode(node[key], &problems) { members[JSONKey(key)] = member }
            }
            return .object(members)
        case let other?: return .literal(JSONValue(other))
        }
    }

    /// The kind a built-in Genesys template names: `{{genesys-open-messaging}}` (a message), `…:receipt`, `…:typing`.
    static func builtIn(_ text: String) -> OpenMessagingKind? {
        let name = "{{genesys-open-messaging"
        guard text.hasPrefix(name), text.hasSuffix("}}") else { return nil }
        let rest = text.dropFirst(name.count).dropLast(2)
        if rest.isEmpty { return .message }
        return rest.first == ":" ? OpenMessagingKind(rawValue: String(rest.dropFirst())) : nil
    }

    /// Text split into its pieces: `{{id}}`, `{{correlationId}}`, `{{receivedAt}}` and `{{/pointer}}`; nil, with a
    /// problem at `path`, when a placeholder is unknown or not closed.
    public static func pieces(_ text: String, at path: String, _ problems: inout [ConfigProblem]) -> [Piece]? {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                problems.append(ConfigProblem(path, "a placeholder is not closed with }}"))
                return nil
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingSpaces
            switch name {
            case "id": pieces.append(.placeholder(.id))
            case "correlationId": pieces.append(.placeholder(.correlationID))
            case "receivedAt": pieces.append(.placeholder(.receivedAt))
            case let pointer where pointer.hasPrefix("/"): pieces.append(.placeholder(.pointer(String(pointer))))
            default:
                problems.append(ConfigProblem(path,
                    "{{\(name)}} is not a placeholder (use {{id}}, {{correlationId}}, {{receivedAt}} or {{/json/pointer}})"))
                return nil
            }
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        return pieces
    }
}

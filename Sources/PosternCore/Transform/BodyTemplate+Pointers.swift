/// The event fields a template reads, for `postern check` to hold them against the source's schema.
extension BodyTemplate {
    /// The JSON pointers into the event the template reads; an `#each` item's are read as pointers into the list's
    /// first element (`/items/0/text`).
    public var pointers: [String] {
        switch self {
        case .literal: []
        case .value(let placeholder): Self.pointers([.placeholder(placeholder)])
        case .text(let pieces): Self.pointers(pieces)
        case .array(let items): items.flatMap(\.pointers)
        case .object(let members): members.keys.sorted().flatMap { members[$0]?.pointers ?? [] }
        case .each(let pointer, let item): [pointer] + item.pointers.map { pointer + "/0" + $0 }
        // Each of the mapping's fields takes the first of several pointers found: none alone is required.
        case .genesys: []
        }
    }

    static func pointers(_ pieces: [Piece]) -> [String] {
        pieces.compactMap { piece in
            if case .placeholder(.pointer(let pointer)) = piece { pointer } else { nil }
        }
    }

    /// The pointers a templated text (a header's value) reads.
    public static func pointers(inText text: String) -> [String] {
        var problems: [ConfigProblem] = []
        return pointers(pieces(text, at: "", &problems) ?? [])
    }
}

extension GatewayConfig {
    /// Refuses a destination template's placeholder that no event of a source delivering there can fill: a source
    /// whose body has no fields, or whose schema rules the pointer out.
    static func checkTemplates(_ sources: [SourceConfig], destinations: [DestinationConfig], _ problems: inout [ConfigProblem]) {
        for (index, destination) in destinations.enumerated() {
            var read: [(key: String, pointers: [String])] = []
            if let body = destination.body { read.append(("body", body.pointers)) }
            for (name, value) in destination.headers { read.append(("headers.\(name)", BodyTemplate.pointers(inText: value))) }
            if case .eventBridge(_, let source, let detailType)? = destination.aws?.target {
                read += [("source", source.map(BodyTemplate.pointers(inText:)) ?? []),
                         ("detailType", detailType.map(BodyTemplate.pointers(inText:)) ?? [])]
            }
            for source in sources where source.queuedDestinations.contains(destination.name) {
                for (key, pointers) in read {
                    for pointer in pointers {
                        let path = "destinations[\(index)].\(key)"
                        if !source.body.hasFields {
                            problems.append(ConfigProblem(path,
                                "{{\(pointer)}} needs a body with fields (json or form), but source \(source.name) takes \(source.body.rawValue)"))
                            break
                        } else if let schema = source.schema, !schema.admits(pointer: pointer) {
                            problems.append(ConfigProblem(path,
                                "{{\(pointer)}} can never be in an event of source \(source.name): its schema does not allow it"))
                        }
                    }
                }
            }
        }
    }
}

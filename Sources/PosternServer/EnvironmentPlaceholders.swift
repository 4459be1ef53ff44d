import PosternCore

/// `${NAME}` (or `${NAME:-default}`) references in a configuration file. They are swapped for inert tokens before the YAML is parsed
/// (so `[${SECRET}]` stays valid YAML whatever the secret holds) and filled in afterwards, value by value.
struct EnvironmentPlaceholders {
    /// The text with every reference replaced by its token.
    let text: String
    private let references: [Reference]

    /// A variable name and the value used when it is not set, if any.
    private struct Reference {
        var name: String
        var fallback: String?

        init?(_ text: Substring) {
            let parts = text.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = parts.first, EnvironmentPlaceholders.isName(first) else { return nil }
            name = String(first)
            fallback = parts.count > 1 ? String(parts[1]) : nil
        }
    }

    init(_ original: String) {
        var references: [Reference] = []
        var output = ""
        var rest = Substring(original)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}"), let reference = Reference(afterOpen[..<close]) else {
                output += "${"
                rest = afterOpen
                continue
            }
            output += Self.token(references.count)
            references.append(reference)
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        self.text = output + rest
        self.references = references
    }

    fileprivate static func isName(_ text: Substring) -> Bool {
        guard let first = text.first, first == "_" || first.isLetter else { return false }
        return text.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    private static func token(_ index: Int) -> String { "__POSTERN_ENV_\(index)__" }

    func substitute(in value: ConfigValue, path: String, environment: [String: String],
                    _ problems: inout [ConfigProblem]) -> ConfigValue {
        switch value {
        case .string(var text):
            for (index, reference) in references.enumerated() where text.contains(Self.token(index)) {
                guard let replacement = environment[reference.name] ?? reference.fallback else {
                    problems.append(ConfigProblem(path, "environment variable \(reference.name) is not set"))
                    continue
                }
                text = text.replacingOccurrences(of: Self.token(index), with: replacement)
            }
            return .string(text)
        case .list(let items):
            return .list(items.enumerated().map { substitute(in: $1, path: "\(path)[\($0)]", environment: environment, &problems) })
        case .map(let map):
            return .map(map.reduce(into: [:]) { result, entry in
                let child = path.isEmpty ? entry.key : "\(path).\(entry.key)"
                result[entry.key] = substitute(in: entry.value, path: child, environment: environment, &problems)
            })
        default:
            return value
        }
    }
}

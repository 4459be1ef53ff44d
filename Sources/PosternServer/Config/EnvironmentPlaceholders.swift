import Foundation
import PosternCore

/// `${NAME}` (or `${NAME:-default}`) references in a configuration file, and `${credential:NAME}`, the systemd
/// credential of that name (`LoadCredential=` in the unit: the file `$CREDENTIALS_DIRECTORY/NAME`, one trailing
/// newline dropped). They are swapped for inert tokens before the
/// YAML is parsed (so `[${SECRET}]` stays valid YAML whatever the secret holds) and filled in afterwards, value by
/// value, in one pass: a substituted value is never read again, and every token carries a nonce made for this load,
/// so no literal text in the file can pass for one.
struct EnvironmentPlaceholders {
    /// The text with every reference replaced by its token.
    let text: String
    private let references: [Reference]
    /// What every token of this load starts with; a token is the prefix, the reference's index, and `__`.
    private let tokenPrefix: String

    /// A variable name and the value used when it is not set, if any; or a credential's name.
    private struct Reference {
        var name: String
        var fallback: String?
        var isCredential = false

        init?(_ text: Substring) {
            if text.hasPrefix("credential:") {
                let name = text.dropFirst("credential:".count)
                // systemd's credential names: no slash, not `.` or `..`.
                guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { return nil }
                self.name = String(name)
                isCredential = true
                return
            }
            let parts = text.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = parts.first, EnvironmentPlaceholders.isName(first) else { return nil }
            name = String(first)
            fallback = parts.count > 1 ? String(parts[1]) : nil
        }
    }

    init(_ original: String) {
        let tokenPrefix = "__POSTERN_ENV_\(String(UInt64.random(in: .min ... .max), radix: 36))_"
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
            output += "\(tokenPrefix)\(references.count)__"
            references.append(reference)
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        self.text = output + rest
        self.references = references
        self.tokenPrefix = tokenPrefix
    }

    fileprivate static func isName(_ text: Substring) -> Bool {
        guard let first = text.first, first == "_" || first.isLetter else { return false }
        return text.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    func substitute(in value: ConfigValue, path: String, environment: [String: String],
                    _ problems: inout [ConfigProblem]) -> ConfigValue {
        switch value {
        case .string(let text):
            return .string(substitute(in: text, path: path, environment: environment, &problems))
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

    /// Replaces each token in `text`, left to right; what a token becomes is copied out and never scanned again.
    private func substitute(in text: String, path: String, environment: [String: String],
                            _ problems: inout [ConfigProblem]) -> String {
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: tokenPrefix) {
            output += rest[..<start.lowerBound]
            let afterPrefix = rest[start.upperBound...]
            let digits = afterPrefix.prefix { $0.isASCII && $0.isNumber }
            guard let index = Int(digits), references.indices.contains(index), afterPrefix[digits.endIndex...].hasPrefix("__") else {
                output += rest[start]
                rest = afterPrefix
                continue
            }
            let reference = references[index]
            if reference.isCredential {
                switch Self.credential(reference.name, environment: environment) {
                case .success(let value): output += value
                case .failure(let problem): problems.append(ConfigProblem(path, problem.description))
                }
            } else if let replacement = environment[reference.name] ?? reference.fallback {
                output += replacement
            } else {
                problems.append(ConfigProblem(path, "environment variable \(reference.name) is not set"))
            }
            rest = afterPrefix[afterPrefix.index(digits.endIndex, offsetBy: 2)...]
        }
        return output + rest
    }

    private struct CredentialProblem: Error, CustomStringConvertible {
        var description: String
    }

    /// The credential's file, as systemd passes it to the service.
    private static func credential(_ name: String, environment: [String: String]) -> Result<String, CredentialProblem> {
        guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
            return .failure(CredentialProblem(description: "systemd credential \(name): CREDENTIALS_DIRECTORY is not set (LoadCredential= in the unit sets it)"))
        }
        guard let data = FileManager.default.contents(atPath: directory + "/" + name), var value = String(data: data, encoding: .utf8) else {
            return .failure(CredentialProblem(description: "systemd credential \(name): \(directory)/\(name) cannot be read as UTF-8 text"))
        }
        if value.hasSuffix("\n") { value.removeLast() }
        return .success(value)
    }
}

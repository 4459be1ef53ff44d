import PosternCore

/// Reads a SigV4 source's `verify` section: region, service, key pairs and options.
enum SigV4PolicyReader {
    static func read(_ node: ConfigNode, service fixedService: String?, tolerance: Int,
                     _ problems: inout [ConfigProblem]) -> SigV4Verifier.Policy? {
        let region = node["region"].requiredString(&problems)
        var service = fixedService
        if let configured = node["service"].string(&problems) {
            service = configured
        } else if service == nil {
            problems.append(ConfigProblem(node["service"].path, "is required, e.g. execute-api"))
        }
        let credentials = credentialsList(node["credentials"], &problems)
        let normalizePath = flag(node["normalizePath"], default: true, &problems)
        let unsignedPayload = flag(node["unsignedPayload"], default: false, &problems)
        guard let region, let service else { return nil }
        return SigV4Verifier.Policy(region: region, service: service, credentials: credentials, tolerance: tolerance,
                                    pathRule: normalizePath ? .normalized : .asSent, allowsUnsignedPayload: unsignedPayload)
    }

    private static func credentialsList(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [SigV4Credential] {
        let elements = node.elements(&problems)
        if elements.isEmpty { problems.append(ConfigProblem(node.path, "at least one {accessKeyId, secretAccessKey} is required")) }
        var seen: Set<String> = []
        return elements.compactMap { element in
            element.rejectUnknownKeys(["accessKeyId", "secretAccessKey"], &problems)
            guard let id = element["accessKeyId"].requiredString(&problems),
                  let secret = element["secretAccessKey"].requiredString(&problems) else { return nil }
            guard !id.isEmpty, !secret.isEmpty, !id.contains("/") else {
                problems.append(ConfigProblem(element.path, "accessKeyId and secretAccessKey must not be empty, nor the id contain /"))
                return nil
            }
            if !seen.insert(id).inserted {
                problems.append(ConfigProblem(element["accessKeyId"].path, "\"\(id)\" is listed twice"))
            }
            return SigV4Credential(accessKeyID: id, secretAccessKey: secret)
        }
    }

    private static func flag(_ node: ConfigNode, default fallback: Bool, _ problems: inout [ConfigProblem]) -> Bool {
        switch node.value {
        case nil, .null?: return fallback
        case .bool(let value)?: return value
        case let other?:
            problems.append(ConfigProblem(node.path, "must be true or false, found \(other.kindName)"))
            return fallback
        }
    }
}

extension SigV4Policy {
    /// Reads a SigV4 source's `verify` section: region, service, key pairs and options.
    static func decode(_ node: ConfigNode, service fixedService: String?, tolerance: Int,
                              _ problems: inout [ConfigProblem]) -> SigV4Policy? {
        let region = node["region"].requiredString(&problems)
        var service = fixedService
        if let configured = node["service"].string(&problems) {
            service = configured
        } else if service == nil {
            problems.append(ConfigProblem(node["service"].path, "is required, e.g. execute-api"))
        }
        let credentials = credentialsList(node["credentials"], &problems)
        let normalizePath = node["normalizePath"].bool(default: true, &problems)
        let unsignedPayload = node["unsignedPayload"].bool(default: false, &problems)
        guard let region, let service else { return nil }
        return SigV4Policy(region: region, service: service, credentials: credentials, tolerance: tolerance,
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
}

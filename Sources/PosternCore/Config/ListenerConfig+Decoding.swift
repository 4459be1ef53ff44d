/// The `listen` section: addresses, and TLS with client certificates.
extension GatewayConfig {
    /// `listen` is `host:port`, or a list of `{address, tls}`.
    static func decodeListeners(_ node: ConfigNode, baseDirectory: String, _ problems: inout [ConfigProblem]) -> [ListenerConfig] {
        guard case .list = node.value else {
            return address(node, default: "127.0.0.1:8080", &problems).map { [ListenerConfig(address: $0)] } ?? []
        }
        let elements = node.elements(&problems)
        if elements.isEmpty { problems.append(ConfigProblem(node.path, "at least one listener is required")) }
        let decoded = elements.compactMap { element -> (node: ConfigNode, listener: ListenerConfig)? in
            element.rejectUnknownKeys(["address", "tls"], &problems)
            guard element["address"].isPresent else {
                problems.append(ConfigProblem(element["address"].path, "is required"))
                return nil
            }
            let tls = element["tls"].isPresent ? decodeTLS(element["tls"], baseDirectory: baseDirectory, &problems) : nil
            return address(element["address"], default: "", &problems).map { (element, ListenerConfig(address: $0, tls: tls)) }
        }
        reportRepeats(decoded.map { ($0.node["address"].path, $0.listener.address.description) }, &problems)
        return decoded.map(\.listener)
    }

    static func decodeTLS(_ node: ConfigNode, baseDirectory: String, _ problems: inout [ConfigProblem]) -> TLSSettings? {
        node.rejectUnknownKeys(["certificate", "privateKey", "minVersion", "clientCA", "clientAuth"], &problems)
        let certificate = node["certificate"].requiredString(&problems)
        let privateKey = node["privateKey"].requiredString(&problems)
        let minimumVersion = node["minVersion"].string(&problems) ?? "1.2"
        if !["1.2", "1.3"].contains(minimumVersion) {
            problems.append(ConfigProblem(node["minVersion"].path, "must be \"1.2\" or \"1.3\""))
        }
        let clientCA = node["clientCA"].string(&problems).map { resolve($0, against: baseDirectory) }
        var clientAuth = TLSSettings.ClientAuth.none
        if let text = node["clientAuth"].string(&problems) {
            if let value = TLSSettings.ClientAuth(rawValue: text) {
                clientAuth = value
            } else {
                problems.append(ConfigProblem(node["clientAuth"].path, "must be none, optional or required"))
            }
        } else if clientCA != nil {
            clientAuth = .required
        }
        if clientAuth != .none, clientCA == nil {
            problems.append(ConfigProblem(node["clientCA"].path, "is required when clientAuth is \(clientAuth.rawValue)"))
        }
        guard let certificate, let privateKey else { return nil }
        return TLSSettings(certificate: resolve(certificate, against: baseDirectory),
                           privateKey: resolve(privateKey, against: baseDirectory),
                           minimumVersion: minimumVersion, clientCA: clientCA, clientAuth: clientAuth)
    }
}

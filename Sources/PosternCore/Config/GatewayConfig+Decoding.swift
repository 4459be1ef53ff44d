import Foundation

extension GatewayConfig {
    static let topLevelKeys: Set<String> = [
        "listen", "admin", "store", "limits", "audit", "trustedProxies", "connections", "sources", "destinations", "retention",
    ]
    static let sourceKeys: Set<String> = [
        "name", "path", "verify", "schema", "idempotencyKey", "onDuplicate", "limits", "allowIPs", "rateLimit",
        "clientCert", "allowedSubjects", "allowedSANs", "destinations", "mode", "respond",
    ]

    /// Checks one decoded source further (its verifier and schema, which their own modules understand) and
    /// returns its problems; the argument is the source and its key path.
    public typealias SourceCheck = (SourceConfig, String) -> [ConfigProblem]

    /// Reads a configuration document, resolving relative file paths against `baseDirectory`.
    /// Throws `ConfigProblems` listing every problem: the structure's, and those `checkSource` finds in each source.
    public static func decode(_ root: ConfigNode, baseDirectory: String,
                              checkSource: SourceCheck = { _, _ in [] }) throws(ConfigProblems) -> GatewayConfig {
        var problems: [ConfigProblem] = []
        root.rejectUnknownKeys(topLevelKeys, &problems)

        let listeners = decodeListeners(root["listen"], baseDirectory: baseDirectory, &problems)
        let admin = decodeAdmin(root["admin"], &problems)
        let store = decodeStore(root["store"], baseDirectory: baseDirectory, &problems)
        let limits = decodeLimits(root["limits"], &problems) ?? Limits()
        let audit = decodeAudit(root["audit"], baseDirectory: baseDirectory, &problems)
        let trustedProxies = decodeCIDRs(root["trustedProxies"], &problems)
        let connections = decodeConnections(root["connections"], &problems)
        let retention = decodeRetention(root["retention"], &problems)
        let destinations = decodeDestinations(root["destinations"], &problems)
        let sources = decodeSources(root["sources"], baseDirectory: baseDirectory, checkSource, &problems)
        checkDestinationNames(sources, destinations: destinations, &problems)

        guard problems.isEmpty, let admin, let store else { throw ConfigProblems(problems) }
        return GatewayConfig(listeners: listeners, admin: admin, store: store, limits: limits, audit: audit,
                             trustedProxies: trustedProxies, connections: connections, sources: sources.map(\.source),
                             destinations: destinations, retention: retention)
    }

    static func address(_ node: ConfigNode, default fallback: String, _ problems: inout [ConfigProblem]) -> ListenAddress? {
        let text = node.string(&problems) ?? fallback
        guard let address = ListenAddress(parsing: text) else {
            problems.append(ConfigProblem(node.path, "must be host:port, e.g. 127.0.0.1:8080 or [::1]:8080"))
            return nil
        }
        return address
    }

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

    static func decodeAdmin(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> AdminConfig? {
        node.rejectUnknownKeys(["listen", "token"], &problems)
        guard let listen = address(node["listen"], default: "127.0.0.1:9090", &problems) else { return nil }
        let token = node["token"].string(&problems)
        if let token, token.isEmpty {
            problems.append(ConfigProblem(node["token"].path, "must not be empty"))
        }
        if token == nil && !listen.isLoopback {
            problems.append(ConfigProblem(node["token"].path,
                "is required when the admin listener is not on loopback (\(listen))"))
        }
        return AdminConfig(listen: listen, token: token)
    }

    static func decodeStore(_ node: ConfigNode, baseDirectory: String, _ problems: inout [ConfigProblem]) -> StoreLocation? {
        let text = node.string(&problems) ?? "sqlite:./postern.db"
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            do {
                _ = try PostgresLocation(parsing: text)
            } catch {
                problems.append(ConfigProblem(node.path, error.description))
                return nil
            }
            return .postgres(url: text)
        }
        guard text.hasPrefix("sqlite:"), text.count > 7 else {
            problems.append(ConfigProblem(node.path, "must be sqlite:<file path> or postgres://user@host:port/database"))
            return nil
        }
        return .sqlite(path: resolve(String(text.dropFirst(7)), against: baseDirectory))
    }

    static func decodeLimits(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> Limits? {
        node.rejectUnknownKeys(["maxBodyBytes"], &problems)
        guard let max = node["maxBodyBytes"].integer(&problems, in: ConfigRange.bodyBytes) else { return nil }
        return Limits(maxBodyBytes: max)
    }

    static func decodeAudit(_ node: ConfigNode, baseDirectory: String, _ problems: inout [ConfigProblem]) -> AuditOutput {
        node.rejectUnknownKeys(["output"], &problems)
        guard let output = node["output"].string(&problems), output != "stdout" else { return .stdout }
        return .file(path: resolve(output, against: baseDirectory))
    }

    static func decodeSources(_ node: ConfigNode, baseDirectory: String, _ checkSource: SourceCheck,
                              _ problems: inout [ConfigProblem]) -> [(node: ConfigNode, source: SourceConfig)] {
        let elements = node.elements(&problems)
        if elements.isEmpty {
            problems.append(ConfigProblem(node.path, "at least one source is required"))
        }
        let decoded = elements.compactMap { node in
            decodeSource(node, baseDirectory: baseDirectory, &problems).map { (node: node, source: $0) }
        }
        for (node, source) in decoded { problems += checkSource(source, node.path) }
        reportRepeats(decoded.map { ($0.node["name"].path, $0.source.name) }, &problems)
        reportRepeats(decoded.map { ($0.node["path"].path, $0.source.path) }, &problems)
        return decoded
    }

    /// Records a problem at each value already used by an earlier source.
    static func reportRepeats(_ values: [(path: String, value: String)], _ problems: inout [ConfigProblem]) {
        var seen: Set<String> = []
        for (path, value) in values where !seen.insert(value).inserted {
            problems.append(ConfigProblem(path, "\"\(value)\" is already used above"))
        }
    }

    static func decodeSource(_ node: ConfigNode, baseDirectory: String, _ problems: inout [ConfigProblem]) -> SourceConfig? {
        node.rejectUnknownKeys(sourceKeys, &problems)
        let name = node["name"].requiredString(&problems)
        let path = node["path"].requiredString(&problems)
        if let path, !path.hasPrefix("/") {
            problems.append(ConfigProblem(node["path"].path, "must start with /"))
        }
        let verify = decodeVerify(node["verify"], &problems)
        var schema = node["schema"].string(&problems)
        if let named = schema, named.hasSuffix(".json") {
            schema = resolve(named, against: baseDirectory)
        }
        let idempotencyKey = decodeIdempotencyKey(node["idempotencyKey"], &problems)
        let mode = decodeMode(node["mode"], &problems)
        // A fulfillment caller retrying the same requestId is told so (as Cognigy's tutorial does), unless configured.
        let onDuplicate = decodeDuplicateAnswer(node["onDuplicate"], &problems) ?? (mode == .fulfillment ? .conflict : .ok)
        if mode == .ingest, node["respond"].isPresent {
            problems.append(ConfigProblem(node["respond"].path, "is only for sources with mode: fulfillment"))
        }
        let respond = mode == .fulfillment ? decodeRespond(node["respond"], &problems) : nil
        let destinations = node["destinations"].strings(&problems)
        reportRepeats(destinations.enumerated().map { ("\(node["destinations"].path)[\($0)]", $1) }, &problems)
        node["limits"].rejectUnknownKeys(["maxBodyBytes"], &problems)
        let maxBodyBytes = node["limits"]["maxBodyBytes"].integer(&problems, in: ConfigRange.bodyBytes)

        let allowIPs = decodeCIDRs(node["allowIPs"], &problems)
        let rateLimit = decodeRateLimit(node["rateLimit"], &problems)
        let clientCert = node["clientCert"].string(&problems) ?? "optional"
        if !["optional", "required"].contains(clientCert) {
            problems.append(ConfigProblem(node["clientCert"].path, "must be required or optional"))
        }
        let allowedSubjects = node["allowedSubjects"].strings(&problems)
        let allowedSANs = decodeAlternativeNames(node["allowedSANs"], &problems)

        guard let name, let path, let verify else { return nil }
        return SourceConfig(name: name, path: path, verify: verify, schema: schema, idempotencyKey: idempotencyKey,
                            onDuplicate: onDuplicate, maxBodyBytes: maxBodyBytes, allowIPs: allowIPs, rateLimit: rateLimit,
                            requiresClientCertificate: clientCert == "required" || !allowedSubjects.isEmpty || !allowedSANs.isEmpty,
                            allowedSubjects: allowedSubjects, allowedSANs: allowedSANs,
                            destinations: destinations, mode: mode, respond: respond)
    }

    static func decodeVerify(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> VerifySpec? {
        guard node.isPresent else {
            problems.append(ConfigProblem(node.path,
                "is required; a source that accepts unauthenticated calls must say `verify: {preset: none}`"))
            return nil
        }
        return VerifySpec(node)
    }

    static func decodeConnections(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> ConnectionLimits {
        node.rejectUnknownKeys(["headerTimeout", "bodyTimeout", "idleTimeout", "maxConnections"], &problems)
        var limits = ConnectionLimits()
        limits.headerTimeout = node["headerTimeout"].seconds(&problems) ?? limits.headerTimeout
        limits.bodyTimeout = node["bodyTimeout"].seconds(&problems) ?? limits.bodyTimeout
        limits.idleTimeout = node["idleTimeout"].seconds(&problems) ?? limits.idleTimeout
        limits.maxConnections = node["maxConnections"].integer(&problems, in: ConfigRange.connections) ?? limits.maxConnections
        return limits
    }

    static func decodeCIDRs(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [CIDR] {
        decodeList(node, &problems, expected: "an IP address or CIDR range (10.0.0.0/8, 2001:db8::/32)", CIDR.init)
    }

    static func decodeAlternativeNames(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [SubjectAlternativeName] {
        decodeList(node, &problems, expected: "dns:NAME, uri:URI, email:ADDRESS, ip:ADDRESS, or a bare DNS name or IP address",
                   SubjectAlternativeName.init(allowed:))
    }

    /// A list of texts, each read by `parse`; one it cannot read is a problem saying what was `expected`.
    static func decodeList<T>(_ node: ConfigNode, _ problems: inout [ConfigProblem], expected: String,
                              _ parse: (String) -> T?) -> [T] {
        node.elements(&problems).compactMap { element in
            guard let text = element.requiredString(&problems) else { return nil }
            guard let value = parse(text) else {
                problems.append(ConfigProblem(element.path, "\"\(text)\" is not \(expected)"))
                return nil
            }
            return value
        }
    }

    static func decodeRateLimit(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> RateLimit? {
        guard node.isPresent else { return nil }
        node.rejectUnknownKeys(["perSecond", "burst"], &problems)
        guard node["perSecond"].isPresent else {
            problems.append(ConfigProblem(node["perSecond"].path, "is required: requests per second"))
            return nil
        }
        guard let perSecond = node["perSecond"].number(&problems, in: ConfigRange.perSecond, described: "requests per second") else {
            return nil
        }
        // Without a burst, one second's worth of requests may arrive at once.
        let burst = node["burst"].isPresent ? node["burst"].integer(&problems, in: ConfigRange.burst) : max(1, Int(perSecond.rounded(.up)))
        guard let burst else { return nil }
        return RateLimit(perSecond: perSecond, burst: burst)
    }

    static func decodeIdempotencyKey(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> IdempotencyKeyRule? {
        guard let text = node.string(&problems) else { return nil }
        guard let rule = IdempotencyKeyRule(parsing: text) else {
            problems.append(ConfigProblem(node.path,
                "must be body:<JSON pointer>, header:<name>, signature or sha256, found \"\(text)\""))
            return nil
        }
        return rule
    }

    static func decodeDuplicateAnswer(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> DuplicateAnswer? {
        guard let code = node.int(&problems) else { return nil }
        guard let answer = DuplicateAnswer(rawValue: code) else {
            problems.append(ConfigProblem(node.path, "must be 200 or 409"))
            return nil
        }
        return answer
    }

    /// Seconds, or a number with a unit: `30d`, `12h`, `90m`, `3600s`.
    static func decodeRetention(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> Double? {
        if case .string(let text)? = node.value, let unit = text.last, let factor = ["d": 86_400.0, "h": 3600, "m": 60, "s": 1][unit],
           let number = Double(text.dropLast()) {
            return ConfigNode(.double(number * factor), path: node.path).seconds(&problems, in: ConfigRange.age)
        }
        if case .string? = node.value {
            problems.append(ConfigProblem(node.path, "must be seconds or a duration like 30d, 12h, 90m"))
            return nil
        }
        return node.seconds(&problems, in: ConfigRange.age)
    }

    static func decodeMode(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> SourceMode {
        guard let text = node.string(&problems) else { return .ingest }
        guard let mode = SourceMode(rawValue: text) else {
            problems.append(ConfigProblem(node.path, "must be ingest or fulfillment"))
            return .ingest
        }
        return mode
    }

    static func resolve(_ path: String, against baseDirectory: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).standardizedFileURL.path
    }
}

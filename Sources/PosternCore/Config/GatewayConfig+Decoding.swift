import Foundation

/// The top-level sections and the readers every section shares.
extension GatewayConfig {
    static let topLevelKeys: Set<String> = [
        "listen", "admin", "store", "limits", "audit", "trustedProxies", "connections", "sources", "destinations", "retention",
        "tracing", "oauth", "alerts",
    ]

    /// Reads a configuration document, resolving relative file paths against `baseDirectory`. Throws
    /// `ConfigProblems` listing every problem, each with its key path: the structure's, the verifiers' and the
    /// schemas'.
    public static func decode(_ root: ConfigNode, baseDirectory: String) throws(ConfigProblems) -> GatewayConfig {
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
        let tracing = decodeTracing(root["tracing"], &problems)
        let destinations = decodeDestinations(root["destinations"], &problems)
        let sources = decodeSources(root["sources"], baseDirectory: baseDirectory, limits: limits, &problems)
        checkDestinationNames(sources, destinations: destinations, &problems)
        checkTemplates(sources.map(\.source), destinations: destinations, &problems)
        let oauth = decodeOAuth(root["oauth"], baseDirectory: baseDirectory, &problems)
        checkOAuthSources(sources, oauth: oauth, &problems)
        for (index, destination) in destinations.enumerated() where AlertConfig.isAlertDestination(destination.name) {
            problems.append(ConfigProblem(root["destinations"].path + "[\(index)].name", "alert: names are kept for alert targets"))
        }
        let alerts = decodeAlerts(root["alerts"], destinations: destinations, sources: sources.map(\.source), &problems)

        guard problems.isEmpty, let admin, let store else { throw ConfigProblems(problems) }
        return GatewayConfig(listeners: listeners, admin: admin, store: store, limits: limits, audit: audit,
                             trustedProxies: trustedProxies, connections: connections, sources: sources.map(\.source),
                             destinations: destinations + (alerts.map(alertDestinations) ?? []), retention: retention,
                             tracing: tracing, oauth: oauth, alerts: alerts)
    }

    static func address(_ node: ConfigNode, default fallback: String, _ problems: inout [ConfigProblem]) -> ListenAddress? {
        let text = node.string(&problems) ?? fallback
        guard let address = ListenAddress(parsing: text) else {
            problems.append(ConfigProblem(node.path, "must be host:port, e.g. 127.0.0.1:8080 or [::1]:8080"))
            return nil
        }
        return address
    }

    /// `admin: {listen, token, tokens: [{name, token, role}]}`. The single `token` is an operator named `admin`.
    public static func decodeAdmin(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> AdminConfig? {
        node.rejectUnknownKeys(["listen", "token", "tokens"], &problems)
        guard let listen = address(node["listen"], default: "127.0.0.1:9090", &problems) else { return nil }
        var tokens: [(token: AdminToken, path: String)] = []
        if let token = node["token"].string(&problems) {
            if token.isEmpty { problems.append(ConfigProblem(node["token"].path, "must not be empty")) }
            tokens.append((AdminToken(name: "admin", token: token, role: .operator), node["token"].path))
        }
        for entry in node["tokens"].elements(&problems) {
            if let token = decodeAdminToken(entry, &problems) { tokens.append((token, entry.path)) }
        }
        var names = Set<String>(), secrets = Set<String>()
        for (token, path) in tokens {
            if !names.insert(token.name).inserted {
                problems.append(ConfigProblem(path, "\"\(token.name)\" names two admin tokens (admin.token is named admin)"))
            }
            if !secrets.insert(token.token).inserted {
                problems.append(ConfigProblem(path, "has the same token as another: each token names one holder"))
            }
        }
        if tokens.isEmpty && !listen.isLoopback {
            problems.append(ConfigProblem(node["token"].path,
                "(or admin.tokens) is required when the admin listener is not on loopback (\(listen))"))
        }
        return AdminConfig(listen: listen, tokens: tokens.map(\.token))
    }

    static func decodeAdminToken(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> AdminToken? {
        node.rejectUnknownKeys(["name", "token", "role"], &problems)
        let name = node["name"].requiredString(&problems)
        let token = node["token"].requiredString(&problems)
        if token?.isEmpty == true { problems.append(ConfigProblem(node["token"].path, "must not be empty")) }
        if name?.isEmpty == true { problems.append(ConfigProblem(node["name"].path, "must not be empty")) }
        guard node["role"].isPresent else {
            problems.append(ConfigProblem(node["role"].path, "is required: viewer (reads) or operator (also replays and reloads)"))
            return nil
        }
        let role = node["role"].choice(default: AdminRole.viewer, &problems)
        guard let name, let token else { return nil }
        return AdminToken(name: name, token: token, role: role)
    }

    /// `store` is a location (`sqlite:<path>`, `postgres://…`), or `{url: <location>, lease: <seconds>}`.
    static func decodeStore(_ node: ConfigNode, baseDirectory: String, _ problems: inout [ConfigProblem]) -> StoreLocation? {
        guard case .map? = node.value else { return decodeStoreURL(node, lease: nil, baseDirectory: baseDirectory, &problems) }
        node.rejectUnknownKeys(["url", "lease"], &problems)
        let lease = node["lease"].duration(&problems, in: ConfigRange.lease)
        return decodeStoreURL(node["url"], lease: lease, baseDirectory: baseDirectory, &problems)
    }

    private static func decodeStoreURL(_ node: ConfigNode, lease: Duration?, baseDirectory: String,
                                       _ problems: inout [ConfigProblem]) -> StoreLocation? {
        let text = node.string(&problems) ?? "sqlite:./postern.db"
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            do {
                _ = try PostgresLocation(parsing: text)
            } catch {
                problems.append(ConfigProblem(node.path, error.description))
                return nil
            }
            return .postgres(url: text, lease: lease ?? StoreLocation.defaultLease)
        }
        guard text.hasPrefix("sqlite:"), text.count > 7 else {
            problems.append(ConfigProblem(node.path, "must be sqlite:<file path> or postgres://user@host:port/database"))
            return nil
        }
        if lease != nil {
            problems.append(ConfigProblem(node.path, "takes no lease on SQLite: one process claims, and a claim ends with it"))
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

    static func decodeConnections(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> ConnectionLimits {
        node.rejectUnknownKeys(["headerTimeout", "bodyTimeout", "idleTimeout", "maxConnections"], &problems)
        var limits = ConnectionLimits()
        limits.headerTimeout = node["headerTimeout"].duration(&problems) ?? limits.headerTimeout
        limits.bodyTimeout = node["bodyTimeout"].duration(&problems) ?? limits.bodyTimeout
        limits.idleTimeout = node["idleTimeout"].duration(&problems) ?? limits.idleTimeout
        limits.maxConnections = node["maxConnections"].integer(&problems, in: ConfigRange.connections) ?? limits.maxConnections
        return limits
    }

    /// Seconds, or a number with a unit: `30d`, `12h`, `90m`, `3600s`.
    static func decodeRetention(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> Duration? {
        if case .string(let text)? = node.value, let unit = text.last, let factor = ["d": 86_400.0, "h": 3600, "m": 60, "s": 1][unit],
           let number = Double(text.dropLast()) {
            return ConfigNode(.double(number * factor), path: node.path).duration(&problems, in: ConfigRange.age)
        }
        if case .string? = node.value {
            problems.append(ConfigProblem(node.path, "must be seconds or a duration like 30d, 12h, 90m"))
            return nil
        }
        return node.duration(&problems, in: ConfigRange.age)
    }

    /// Records a problem at each value already used by an earlier source.
    static func reportRepeats(_ values: [(path: String, value: String)], _ problems: inout [ConfigProblem]) {
        var seen: Set<String> = []
        for (path, value) in values where !seen.insert(value).inserted {
            problems.append(ConfigProblem(path, "\"\(value)\" is already used above"))
        }
    }

    static func decodeCIDRs(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [CIDR] {
        decodeList(node, &problems, expected: "an IP address or CIDR range (10.0.0.0/8, 2001:db8::/32)", CIDR.init)
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

    static func resolve(_ path: String, against baseDirectory: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).standardizedFileURL.path
    }
}

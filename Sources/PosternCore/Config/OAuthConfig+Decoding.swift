extension GatewayConfig {
    /// `oauth: {tokenPath, issuer, signingKeys: [{id, privateKey}], tokenLifetime, clients: [{id, secret | secretSha256,
    /// scopes}], rateLimit}`; nil when absent.
    static func decodeOAuth(_ node: ConfigNode, baseDirectory: String, _ problems: inout [ConfigProblem]) -> OAuthConfig? {
        guard node.isPresent else { return nil }
        node.rejectUnknownKeys(["tokenPath", "issuer", "signingKeys", "tokenLifetime", "clients", "rateLimit"], &problems)
        let tokenPath = node["tokenPath"].string(&problems) ?? "/oauth/token"
        if !tokenPath.hasPrefix("/") { problems.append(ConfigProblem(node["tokenPath"].path, "must start with /")) }
        let issuer = node["issuer"].requiredString(&problems)
        if let issuer, !(issuer.hasPrefix("https://") || issuer.hasPrefix("http://")) {
            problems.append(ConfigProblem(node["issuer"].path, "must be this gateway's URL, e.g. https://hooks.example.com"))
        }
        var keys: [OAuthSigningKeyConfig] = []
        for entry in node["signingKeys"].elements(&problems) {
            entry.rejectUnknownKeys(["id", "privateKey"], &problems)
            guard let id = entry["id"].requiredString(&problems), let file = entry["privateKey"].requiredString(&problems) else { continue }
            if id.isEmpty { problems.append(ConfigProblem(entry["id"].path, "must not be empty")) }
            if keys.contains(where: { $0.id == id }) {
                problems.append(ConfigProblem(entry["id"].path, "\"\(id)\" names two signing keys: each kid names one key"))
            }
            keys.append(OAuthSigningKeyConfig(id: id, privateKeyPath: resolve(file, against: baseDirectory)))
        }
        if keys.isEmpty {
            problems.append(ConfigProblem(node["signingKeys"].path, "at least one is required: [{id, privateKey}], the first signs"))
        }
        let lifetime = node["tokenLifetime"].integer(&problems, in: ConfigRange.tokenLifetime) ?? OAuthConfig.defaultTokenLifetime
        var clients: [OAuthClient] = []
        for entry in node["clients"].elements(&problems) {
            guard let client = decodeOAuthClient(entry, &problems) else { continue }
            if clients.contains(where: { $0.id == client.id }) {
                problems.append(ConfigProblem(entry["id"].path, "\"\(client.id)\" names two clients"))
            }
            clients.append(client)
        }
        let rateLimit = decodeRateLimit(node["rateLimit"], &problems) ?? OAuthConfig.defaultRateLimit
        guard let issuer else { return nil }
        return OAuthConfig(tokenPath: tokenPath, issuer: issuer, signingKeys: keys, tokenLifetime: lifetime, clients: clients,
                           rateLimit: rateLimit)
    }

    private static func decodeOAuthClient(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> OAuthClient? {
        node.rejectUnknownKeys(["id", "secret", "secretSha256", "scopes"], &problems)
        guard let id = node["id"].requiredString(&problems) else { return nil }
        if id.isEmpty || id.contains(":") {
            problems.append(ConfigProblem(node["id"].path, "must not be empty or hold a colon (client_secret_basic splits on it)"))
        }
        let secret: OAuthClient.Secret
        switch (node["secret"].string(&problems), node["secretSha256"].string(&problems)) {
        case (let plain?, nil):
            guard plain.utf8.count >= 16 else {
                problems.append(ConfigProblem(node["secret"].path, "must be at least 16 characters"))
                return nil
            }
            secret = .plain(Array(plain.utf8))
        case (nil, let hex?):
            guard let digest = ByteEncoding.hex.decode(hex), digest.count == 32 else {
                problems.append(ConfigProblem(node["secretSha256"].path, "must be 64 hex digits: the SHA-256 of the secret"))
                return nil
            }
            secret = .sha256(digest)
        case (nil, nil):
            problems.append(ConfigProblem(node.path, "needs `secret` or `secretSha256`"))
            return nil
        case (.some, .some):
            problems.append(ConfigProblem(node.path, "takes `secret` or `secretSha256`, not both"))
            return nil
        }
        let scopes = node["scopes"].strings(&problems)
        for (index, scope) in scopes.enumerated() where !OAuthScope.isValid(scope) {
            problems.append(ConfigProblem("\(node["scopes"].path)[\(index)]", "must be a scope token: printable ASCII without spaces, quotes or backslashes"))
        }
        return OAuthClient(id: id, secret: secret, scopes: scopes)
    }

    /// Each `verify: {preset: oauth}` source needs the `oauth` section, and names only clients it lists.
    static func checkOAuthSources(_ sources: [(node: ConfigNode, source: SourceConfig)], oauth: OAuthConfig?,
                                  _ problems: inout [ConfigProblem]) {
        for (node, source) in sources {
            guard case .oauth(let requirement) = source.verify.secrets else { continue }
            guard let oauth else {
                problems.append(ConfigProblem(node["verify"]["preset"].path, "oauth needs the top-level `oauth` section (its issuer and signing keys)"))
                continue
            }
            for (index, client) in requirement.clients.enumerated() where oauth.client(id: client) == nil {
                problems.append(ConfigProblem("\(node["verify"]["clients"].path)[\(index)]", "\"\(client)\" is not in oauth.clients"))
            }
            if source.path == oauth.tokenPath {
                problems.append(ConfigProblem(node["path"].path, "is oauth.tokenPath"))
            }
        }
    }
}

/// RFC 6749 §3.3 scope tokens, space-delimited in `scope`.
public enum OAuthScope {
    /// Whether `scope` is one scope token: `%x21 / %x23-5B / %x5D-7E`, at least one.
    public static func isValid(_ scope: some StringProtocol) -> Bool {
        !scope.isEmpty && scope.utf8.allSatisfy { $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }
    }

    /// The scope tokens of a `scope` parameter or claim; nil when one is not a valid token.
    public static func parse(_ text: String) -> [String]? {
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true)
        guard tokens.allSatisfy(isValid) else { return nil }
        return tokens.map(String.init)
    }
}

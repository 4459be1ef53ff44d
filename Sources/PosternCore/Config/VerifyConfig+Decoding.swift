extension VerifyConfig {
    /// Decodes a `verify` section; throws every problem in it, each with its key path.
    public init(_ node: ConfigNode) throws(ConfigProblems) {
        var problems: [ConfigProblem] = []
        let decoded = Self.decode(node, &problems)
        guard problems.isEmpty, let decoded else { throw ConfigProblems(problems) }
        self = decoded
    }

    /// Decodes a `verify` section, recording its problems.
    /// `source` names the default JWKS cache file; `baseDirectory` resolves the jwt preset's paths.
    static func decode(_ node: ConfigNode, source: String = "source", baseDirectory: String = ".",
                       _ problems: inout [ConfigProblem]) -> VerifyConfig? {
        guard node.isPresent else {
            problems.append(ConfigProblem(node.path,
                "is required; a source that accepts unauthenticated calls must say `verify: {preset: none}`"))
            return nil
        }
        guard let preset = preset(node, &problems) else { return nil }
        node.rejectUnknownKeys(preset.method.keys.union(["preset", "hmac"]), &problems)
        return secrets(preset, node, source: source, baseDirectory: baseDirectory, &problems).map { VerifyConfig(preset: preset, secrets: $0) }
    }

    /// The named preset, or one made of the descriptor written out under `hmac`.
    private static func preset(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> Preset? {
        let name = node["preset"].string(&problems)
        switch (name, node["hmac"].isPresent) {
        case (nil, false):
            problems.append(ConfigProblem(node.path, "needs either `preset` or `hmac`"))
            return nil
        case (.some, true):
            problems.append(ConfigProblem(node.path, "takes `preset` or `hmac`, not both"))
            return nil
        case (nil, true):
            return Preset("hmac", .hmac(HMACDescriptor.decode(node["hmac"], &problems)))
        case (let name?, false):
            guard let known = Preset.all[name] else {
                let names = Preset.catalog.map(\.name).joined(separator: ", ")
                problems.append(ConfigProblem(node["preset"].path, "unknown preset \"\(name)\" (known: \(names))"))
                return nil
            }
            return known
        }
    }

    private static func secrets(_ preset: Preset, _ node: ConfigNode, source: String, baseDirectory: String,
                                _ problems: inout [ConfigProblem]) -> Secrets? {
        switch preset.method {
        case .hmac(var descriptor):
            for key in ["tolerance", "futureTolerance"] where node[key].isPresent && descriptor.timestamp == nil {
                problems.append(ConfigProblem(node[key].path, "this preset carries no timestamp"))
            }
            descriptor.tolerance = tolerance(node, &problems) ?? descriptor.tolerance
            descriptor.futureTolerance = futureTolerance(node, &problems)
            let (keys, publicKeys) = hmacKeys(node["secrets"], descriptor, &problems)
            return .hmac(descriptor, keys: keys, publicKeys: publicKeys)
        case .basic:
            let credentials = required(node["credentials"], &problems)
            for (index, credential) in credentials.enumerated() where !credential.contains(":") {
                problems.append(ConfigProblem("\(node["credentials"].path)[\(index)]", "must be user:password"))
            }
            return .basic(credentials: credentials)
        case .bearer:
            let scheme = node["scheme"].string(&problems) ?? "Bearer"
            if scheme.isEmpty || scheme.contains(where: \.isWhitespace) {
                problems.append(ConfigProblem(node["scheme"].path, "must be one word, e.g. Bearer or ApiKey"))
            }
            return .bearer(tokens: required(node["secrets"], &problems), scheme: scheme)
        case .apiKey:
            guard let header = node["header"].string(&problems), !header.isEmpty else {
                problems.append(ConfigProblem(node["header"].path, "is required for the api-key preset, e.g. X-API-Key"))
                return nil
            }
            return .apiKey(header: header, keys: required(node["secrets"], &problems))
        case .sigv4(let service, let defaultTolerance):
            let tolerance = tolerance(node, &problems) ?? defaultTolerance
            var policy = SigV4Policy.decode(node, service: service, tolerance: tolerance, &problems)
            policy?.futureTolerance = futureTolerance(node, &problems)
            return policy.map { .sigv4($0) }
        case .oauth:
            return .oauth(tokenRequirement(node, &problems))
        case .jwt:
            let requirement = tokenRequirement(node, &problems)
            let issuer = node["issuer"].requiredString(&problems)
            let audience = node["audience"].requiredString(&problems)
            let url = node["jwksUrl"].requiredString(&problems)
            if let url, !url.lowercased().hasPrefix("https://") {
                problems.append(ConfigProblem(node["jwksUrl"].path, "must be an https:// URL: keys are only fetched over TLS"))
            }
            guard let issuer, let audience, let url else { return nil }
            let ca = node["jwksCA"].string(&problems).map { GatewayConfig.resolve($0, against: baseDirectory) }
            let cache = node["jwksCache"].string(&problems) ?? "jwks-cache/\(source).json"
            return .jwt(IssuerPolicy(issuer: issuer, audience: audience, jwksURL: url, jwksCA: ca,
                                     jwksCache: GatewayConfig.resolve(cache, against: baseDirectory), requirement: requirement))
        case .none:
            return Secrets.none
        }
    }

    /// The token presets' `scopes`, `clients` and `leeway`.
    private static func tokenRequirement(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> TokenRequirement {
        let scopes = node["scopes"].strings(&problems)
        for (index, scope) in scopes.enumerated() where !OAuthScope.isValid(scope) {
            problems.append(ConfigProblem("\(node["scopes"].path)[\(index)]", "must be a scope token, e.g. hooks:write"))
        }
        let leeway = node["leeway"].integer(&problems, in: ConfigRange.leeway) ?? TokenRequirement.defaultLeeway
        return TokenRequirement(scopes: scopes, clients: node["clients"].strings(&problems), leeway: leeway)
    }

    private static func tolerance(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> Int? {
        node["tolerance"].integer(&problems, in: ConfigRange.tolerance)
    }

    /// How far ahead of ours a sender's time may be, when not `tolerance` (Stripe's libraries accept any future time).
    private static func futureTolerance(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> Int? {
        node["futureTolerance"].integer(&problems, in: ConfigRange.tolerance)
    }

    /// The HMAC secrets' key bytes, and the `whpk_` ed25519 public keys where the convention takes them.
    private static func hmacKeys(_ node: ConfigNode, _ descriptor: HMACDescriptor,
                                 _ problems: inout [ConfigProblem]) -> (keys: [[UInt8]], publicKeys: [[UInt8]]) {
        var keys: [[UInt8]] = [], publicKeys: [[UInt8]] = []
        for (index, secret) in required(node, &problems).enumerated() {
            if descriptor.publicKeyPrefix != nil, secret.hasPrefix("whpk_") {
                guard let key = descriptor.publicKeyBytes(for: secret) else {
                    problems.append(ConfigProblem("\(node.path)[\(index)]", "must be whpk_ and a base64 ed25519 public key (32 bytes)"))
                    continue
                }
                publicKeys.append(key)
            } else if let key = descriptor.keyBytes(for: secret) {
                keys.append(key)
            } else {
                let expected = descriptor.secretEncoding == .base64 ? "base64 (optionally whsec_-prefixed)" : "not empty"
                problems.append(ConfigProblem("\(node.path)[\(index)]", "must be \(expected)"))
            }
        }
        return (keys, publicKeys)
    }

    /// A non-empty list of non-empty strings.
    private static func required(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [String] {
        let values = node.strings(&problems)
        if values.isEmpty { problems.append(ConfigProblem(node.path, "at least one is required")) }
        for (index, value) in values.enumerated() where value.isEmpty {
            problems.append(ConfigProblem("\(node.path)[\(index)]", "must not be empty"))
        }
        return values
    }
}

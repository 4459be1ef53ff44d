import PosternCore

/// A source's verifier built from its `verify` section, with the defaults its preset brings.
public struct SourceVerifier: Sendable {
    public let verifier: any Verifier
    /// The preset's name, or `hmac` for a descriptor written out.
    public let presetName: String
    public let defaultIdempotencyKey: IdempotencyKeyRule?
    public let correlationHeader: String?
    public let defaultMaxBodyBytes: Int?
    public let defaultRateLimit: RateLimit?
    /// The HMAC descriptor, for signing test requests and for the security posture.
    public let descriptor: HMACDescriptor?

    /// Whether the verifier checks a signature, so `signature` is a usable idempotency key.
    public var isSignature: Bool { descriptor != nil || verifier is SigV4Verifier }

    /// The timestamp window in seconds, when the scheme carries a timestamp.
    public var tolerance: Int? {
        if let sigv4 = verifier as? SigV4Verifier { return sigv4.policy.tolerance }
        return descriptor?.timestamp == nil ? nil : descriptor?.tolerance
    }

    /// Whether the signature covers the sender's timestamp, so a resent capture with a fresh timestamp fails; nil when
    /// the scheme has no timestamp. False for the tutorial presets that sign only the body: their timestamp window
    /// protects nothing, and a replay is refused only while the signature dedup still holds the event.
    public var timestampIsSigned: Bool? {
        if verifier is SigV4Verifier { return true }
        guard let descriptor, descriptor.timestamp != nil else { return nil }
        return descriptor.signedContent != .body
    }

    /// What is checked, in a phrase for the security posture: `HMAC-SHA256 hex in X-Hub-Signature-256`.
    public var summary: String {
        if let descriptor {
            return "HMAC-\(descriptor.algorithm.rawValue.uppercased()) \(descriptor.encoding.rawValue) in \(descriptor.header)"
        }
        switch verifier {
        case let sigv4 as SigV4Verifier:
            return "AWS SigV4 for \(sigv4.policy.service) in \(sigv4.policy.region), \(sigv4.policy.credentials.count) key(s)"
        case let credential as CredentialVerifier:
            return "\(credential.scheme) credentials"
        default:
            return "none: unauthenticated"
        }
    }

    /// Builds the verifier; throws every problem in the section, each with its key path.
    public init(_ spec: VerifySpec) throws(ConfigProblems) {
        var problems: [ConfigProblem] = []
        let node = spec.node
        guard let preset = Self.preset(node, &problems) else { throw ConfigProblems(problems) }
        node.rejectUnknownKeys(preset.method.keys.union(["preset", "hmac"]), &problems)
        let built = Self.build(preset, node, &problems)
        guard problems.isEmpty, let built else { throw ConfigProblems(problems) }
        self.verifier = built.verifier
        self.descriptor = built.descriptor
        self.presetName = preset.name
        self.defaultIdempotencyKey = preset.idempotencyKey
        self.correlationHeader = preset.correlationHeader
        self.defaultMaxBodyBytes = preset.maxBodyBytes
        self.defaultRateLimit = preset.rateLimit
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
            return Preset("hmac", .hmac(HMACDescriptorReader.read(node["hmac"], &problems)))
        case (let name?, false):
            guard let known = Preset.all[name] else {
                let names = Preset.catalog.map(\.name).joined(separator: ", ")
                problems.append(ConfigProblem(node["preset"].path, "unknown preset \"\(name)\" (known: \(names))"))
                return nil
            }
            return known
        }
    }

    private static func build(_ preset: Preset, _ node: ConfigNode,
                              _ problems: inout [ConfigProblem]) -> (verifier: any Verifier, descriptor: HMACDescriptor?)? {
        switch preset.method {
        case .hmac(var descriptor):
            if let tolerance = tolerance(node, &problems) {
                if descriptor.timestamp == nil {
                    problems.append(ConfigProblem(node["tolerance"].path, "this preset carries no timestamp"))
                }
                descriptor.tolerance = tolerance
            }
            let keys = hmacKeys(node["secrets"], descriptor, &problems)
            return (HMACVerifier(descriptor: descriptor, keys: keys, scheme: preset.name), descriptor)
        case .basic:
            let credentials = required(node["credentials"], &problems)
            for (index, credential) in credentials.enumerated() where !credential.contains(":") {
                problems.append(ConfigProblem("\(node["credentials"].path)[\(index)]", "must be user:password"))
            }
            return (CredentialVerifier(kind: .basic, accepted: credentials), nil)
        case .bearer:
            return (CredentialVerifier(kind: .bearer, accepted: required(node["secrets"], &problems)), nil)
        case .apiKey:
            guard let header = node["header"].string(&problems), !header.isEmpty else {
                problems.append(ConfigProblem(node["header"].path, "is required for the api-key preset, e.g. X-Webhook-Key"))
                return nil
            }
            return (CredentialVerifier(kind: .apiKey(header: header), accepted: required(node["secrets"], &problems)), nil)
        case .sigv4(let service, let defaultTolerance):
            let policy = SigV4PolicyReader.read(node, service: service, tolerance: tolerance(node, &problems) ?? defaultTolerance,
                                                &problems)
            return policy.map { (SigV4Verifier(policy: $0, scheme: preset.name), nil) }
        case .none:
            return (OpenVerifier(), nil)
        }
    }

    private static func tolerance(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> Int? {
        node["tolerance"].integer(&problems, in: ConfigRange.tolerance)
    }

    private static func hmacKeys(_ node: ConfigNode, _ descriptor: HMACDescriptor,
                                 _ problems: inout [ConfigProblem]) -> [[UInt8]] {
        required(node, &problems).enumerated().compactMap { index, secret in
            guard let key = descriptor.keyBytes(for: secret) else {
                let expected = descriptor.secretEncoding == .base64 ? "base64 (optionally whsec_-prefixed)" : "not empty"
                problems.append(ConfigProblem("\(node.path)[\(index)]", "must be \(expected)"))
                return nil
            }
            return key
        }
    }

    /// A non-empty list of non-empty strings.
    static func required(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [String] {
        let values = node.strings(&problems)
        if values.isEmpty { problems.append(ConfigProblem(node.path, "at least one is required")) }
        for (index, value) in values.enumerated() where value.isEmpty {
            problems.append(ConfigProblem("\(node.path)[\(index)]", "must not be empty"))
        }
        return values
    }
}

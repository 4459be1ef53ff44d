import PosternCore

/// A source's verifier built from its `verify` section, with the defaults its preset brings.
public struct SourceVerifier: Sendable {
    public let verifier: any Verifier
    /// The preset's name, or `hmac` for a descriptor written out.
    public let presetName: String
    public let defaultIdempotencyKey: IdempotencyKeyRule?
    public let correlationHeader: String?
    /// The HMAC descriptor, for signing test requests and for the security posture.
    public let descriptor: HMACDescriptor?

    /// Whether the verifier carries a signature, so `signature` is a usable idempotency key.
    public var isSignature: Bool { descriptor != nil }

    /// Builds the verifier; throws every problem in the section, each with its key path.
    public init(_ spec: VerifySpec) throws(ConfigProblems) {
        var problems: [ConfigProblem] = []
        let preset: Preset
        if let hmac = spec.hmac {
            preset = Preset("hmac", .hmac(HMACDescriptorReader.read(hmac, &problems)))
        } else if let name = spec.preset, let known = Preset.all[name] {
            preset = known
        } else {
            let names = Preset.catalog.map(\.name).joined(separator: ", ")
            throw ConfigProblems([ConfigProblem("\(spec.path).preset", "unknown preset \"\(spec.preset ?? "")\" (known: \(names))")])
        }
        let built = Self.build(preset.method, spec, &problems)
        guard problems.isEmpty, let built else { throw ConfigProblems(problems) }
        self.verifier = built.0
        self.descriptor = built.1
        self.presetName = preset.name
        self.defaultIdempotencyKey = preset.idempotencyKey
        self.correlationHeader = preset.correlationHeader
    }

    private static func build(_ method: Preset.Method, _ spec: VerifySpec,
                              _ problems: inout [ConfigProblem]) -> (any Verifier, HMACDescriptor?)? {
        let scheme = spec.hmac == nil ? spec.preset ?? "hmac" : "hmac"
        if case .hmac = method {} else if spec.tolerance != nil {
            problems.append(ConfigProblem("\(spec.path).tolerance", "this preset carries no timestamp"))
        }
        switch method {
        case .hmac(var descriptor):
            if let tolerance = spec.tolerance {
                if descriptor.timestamp == nil {
                    problems.append(ConfigProblem("\(spec.path).tolerance", "this preset carries no timestamp"))
                }
                descriptor.tolerance = tolerance
            }
            let keys = hmacKeys(spec, descriptor, &problems)
            return (HMACVerifier(descriptor: descriptor, keys: keys, scheme: scheme), descriptor)
        case .basic:
            let credentials = required(spec.credentials, "\(spec.path).credentials", &problems)
            for (index, credential) in credentials.enumerated() where !credential.contains(":") {
                problems.append(ConfigProblem("\(spec.path).credentials[\(index)]", "must be user:password"))
            }
            return (CredentialVerifier(kind: .basic, accepted: credentials), nil)
        case .bearer:
            return (CredentialVerifier(kind: .bearer, accepted: required(spec.secrets, "\(spec.path).secrets", &problems)), nil)
        case .apiKey:
            guard let header = spec.header, !header.isEmpty else {
                problems.append(ConfigProblem("\(spec.path).header", "is required for the api-key preset, e.g. X-Webhook-Key"))
                return nil
            }
            let secrets = required(spec.secrets, "\(spec.path).secrets", &problems)
            return (CredentialVerifier(kind: .apiKey(header: header), accepted: secrets), nil)
        case .none:
            if !spec.secrets.isEmpty || !spec.credentials.isEmpty {
                problems.append(ConfigProblem(spec.path, "preset none takes no secrets or credentials"))
            }
            return (OpenVerifier(), nil)
        }
    }

    private static func hmacKeys(_ spec: VerifySpec, _ descriptor: HMACDescriptor,
                                 _ problems: inout [ConfigProblem]) -> [[UInt8]] {
        let secrets = required(spec.secrets, "\(spec.path).secrets", &problems)
        return secrets.enumerated().compactMap { index, secret in
            guard let key = descriptor.keyBytes(for: secret) else {
                let expected = descriptor.secretEncoding == .base64 ? "base64 (optionally whsec_-prefixed)" : "not empty"
                problems.append(ConfigProblem("\(spec.path).secrets[\(index)]", "must be \(expected)"))
                return nil
            }
            return key
        }
    }

    private static func required(_ values: [String], _ path: String, _ problems: inout [ConfigProblem]) -> [String] {
        if values.isEmpty { problems.append(ConfigProblem(path, "at least one is required")) }
        for (index, value) in values.enumerated() where value.isEmpty {
            problems.append(ConfigProblem("\(path)[\(index)]", "must not be empty"))
        }
        return values
    }
}

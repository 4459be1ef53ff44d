import PosternCore

/// Reads an HMAC descriptor written out in a source's `verify.hmac` section.
enum HMACDescriptorReader {
    static let keys: Set<String> = [
        "header", "prefix", "delimiter", "encoding", "algorithm", "secretEncoding", "signedContent",
        "timestampHeader", "timestampPrefix", "timestampFormat", "idHeader",
    ]

    static func read(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> HMACDescriptor {
        node.rejectUnknownKeys(keys, &problems)
        var descriptor = HMACDescriptor(header: node["header"].requiredString(&problems) ?? "")
        descriptor.prefix = node["prefix"].string(&problems) ?? ""
        descriptor.delimiter = node["delimiter"].string(&problems)
        descriptor.encoding = choice(node["encoding"], default: .hex, &problems)
        descriptor.algorithm = choice(node["algorithm"], default: .sha256, &problems)
        descriptor.secretEncoding = choice(node["secretEncoding"], default: .raw, &problems)
        descriptor.signedContent = choice(node["signedContent"], default: .body, &problems)
        descriptor.timestampFormat = choice(node["timestampFormat"], default: .unix, &problems)
        descriptor.idHeader = node["idHeader"].string(&problems)

        let header = node["timestampHeader"].string(&problems)
        let prefix = node["timestampPrefix"].string(&problems)
        switch (header, prefix) {
        case (let header?, nil): descriptor.timestamp = .header(header)
        case (nil, let prefix?): descriptor.timestamp = .signatureItem(prefix: prefix)
        case (.some, .some): problems.append(ConfigProblem(node.path, "takes timestampHeader or timestampPrefix, not both"))
        case (nil, nil): break
        }
        if descriptor.signedContent != .body, descriptor.timestamp == nil {
            problems.append(ConfigProblem(node["signedContent"].path, "signs a timestamp, so timestampHeader or timestampPrefix is required"))
        }
        if descriptor.signedContent == .idDotTimestampDotBody, descriptor.idHeader == nil {
            problems.append(ConfigProblem(node["signedContent"].path, "signs an id, so idHeader is required"))
        }
        return descriptor
    }

    private static func choice<T: RawRepresentable & CaseIterable>(
        _ node: ConfigNode, default fallback: T, _ problems: inout [ConfigProblem]
    ) -> T where T.RawValue == String {
        guard let text = node.string(&problems) else { return fallback }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(ConfigProblem(node.path, "must be one of \(allowed), found \"\(text)\""))
            return fallback
        }
        return value
    }
}

extension HMACDescriptor {
    /// The keys of a descriptor written out in a source's `verify.hmac` section.
    static let configKeys: Set<String> = [
        "header", "prefix", "delimiter", "encoding", "algorithm", "secretEncoding", "signedContent",
        "timestampHeader", "timestampPrefix", "timestampFormat", "idHeader",
    ]

    /// Reads a descriptor written out in a source's `verify.hmac` section.
    static func decode(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> HMACDescriptor {
        node.rejectUnknownKeys(configKeys, &problems)
        var descriptor = HMACDescriptor(header: node["header"].requiredString(&problems) ?? "")
        descriptor.prefix = node["prefix"].string(&problems) ?? ""
        descriptor.delimiter = node["delimiter"].string(&problems)
        descriptor.encoding = node["encoding"].choice(default: .hex, &problems)
        descriptor.algorithm = node["algorithm"].choice(default: .sha256, &problems)
        descriptor.secretEncoding = node["secretEncoding"].choice(default: .raw, &problems)
        descriptor.signedContent = node["signedContent"].choice(default: .body, &problems)
        descriptor.timestampFormat = node["timestampFormat"].choice(default: .unix, &problems)
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
}

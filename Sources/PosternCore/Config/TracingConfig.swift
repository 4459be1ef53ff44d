/// Where OpenTelemetry spans go (`tracing:`): an OTLP/HTTP endpoint that takes protobuf, the service name spans carry,
/// and the share of new traces recorded (a trace a caller started follows the caller's sampling decision). Tracing is
/// off when the section is absent.
public struct TracingConfig: Sendable, Equatable {
    /// The full URL spans are POSTed to, e.g. `http://127.0.0.1:4318/v1/traces`.
    public var endpoint: String
    public var serviceName: String
    public var sampleRatio: Double

    public init(endpoint: String, serviceName: String = "postern", sampleRatio: Double = 1) {
        self.endpoint = endpoint
        self.serviceName = serviceName
        self.sampleRatio = sampleRatio
    }
}

extension GatewayConfig {
    static func decodeTracing(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> TracingConfig? {
        if case nil = node.value { return nil }
        node.rejectUnknownKeys(["endpoint", "serviceName", "sampleRatio"], &problems)
        guard let endpoint = node["endpoint"].string(&problems) else {
            problems.append(ConfigProblem(node["endpoint"].path, "is required: the OTLP/HTTP URL spans are sent to, e.g. http://127.0.0.1:4318/v1/traces"))
            return nil
        }
        guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://"), endpoint.count > "https://".count else {
            problems.append(ConfigProblem(node["endpoint"].path, "must be an http:// or https:// URL (OTLP/HTTP with protobuf)"))
            return nil
        }
        var tracing = TracingConfig(endpoint: endpoint)
        if let name = node["serviceName"].string(&problems) {
            if name.isEmpty { problems.append(ConfigProblem(node["serviceName"].path, "must not be empty")) }
            tracing.serviceName = name
        }
        tracing.sampleRatio = node["sampleRatio"].number(&problems, in: 0...1) ?? tracing.sampleRatio
        return tracing
    }
}

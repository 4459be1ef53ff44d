import PosternCore

/// A configuration loaded and checked completely, ready to run: the decoded configuration, every source built, and
/// every TLS listener's files loaded. `serve`, `check` and every command that needs the gateway start from one.
public struct GatewayPlan: Sendable {
    public let config: GatewayConfig
    public let sources: SourceTable
    /// One TLS context store per TLS listener, by address.
    let tlsStores: [String: TLSContextStore]

    /// Builds the sources and loads every TLS listener's files; a bad file is a problem named by its key path.
    public init(_ config: GatewayConfig) throws(ConfigProblems) {
        var stores: [String: TLSContextStore] = [:]
        var problems: [ConfigProblem] = []
        for (index, listener) in config.listeners.enumerated() {
            guard let tls = listener.tls else { continue }
            do {
                stores[listener.address.description] = try TLSContextStore(tls)
            } catch {
                let key = error.file == tls.certificate ? "certificate" : error.file == tls.privateKey ? "privateKey" : "clientCA"
                problems.append(ConfigProblem("listen[\(index)].tls.\(key)", error.description))
            }
        }
        guard problems.isEmpty else { throw ConfigProblems(problems) }
        self.config = config
        self.sources = SourceTable(config)
        self.tlsStores = stores
    }
}

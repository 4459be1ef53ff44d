import PosternCore
import PosternVerify

/// Every configured source, found by request path (for ingest) or by name (for the admin API).
public struct SourceTable: Sendable {
    public let sources: [Source]
    private let byPath: [String: Source]
    private let byName: [String: Source]

    /// Builds every configured source; `tokens` verifies the oauth preset's tokens.
    public init(_ config: GatewayConfig, tokens: TokenAuthority? = nil) {
        let sources = config.sources.map { Source($0, destinations: config.destinations, tokens: tokens) }
        self.sources = sources
        self.byPath = Dictionary(sources.map { ($0.config.path, $0) }, uniquingKeysWith: { first, _ in first })
        self.byName = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func source(path: String) -> Source? { byPath[path] }

    public func source(named name: String) -> Source? { byName[name] }
}

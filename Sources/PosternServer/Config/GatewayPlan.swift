import Foundation
import PosternCore
import PosternVerify

/// A configuration loaded and checked completely, ready to run: the decoded configuration, every source built, and
/// every TLS listener's files loaded. `serve`, `check` and every command that needs the gateway start from one.
public struct GatewayPlan: Sendable {
    public let config: GatewayConfig
    public let sources: SourceTable
    /// One TLS context store per TLS listener, by address.
    let tlsStores: [String: TLSContextStore]
    /// The token endpoint's keys and clients, when the configuration has an `oauth` section.
    public let tokens: TokenAuthority?
    /// The identity-provider keys of each `jwt` source, by source name, to be loaded before the plan serves.
    let issuers: [String: IssuerKeys]

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
        let tokens = config.oauth.flatMap { Self.tokenAuthority($0, &problems) }
        guard problems.isEmpty else { throw ConfigProblems(problems) }
        self.config = config
        self.sources = SourceTable(config, tokens: tokens)
        self.tlsStores = stores
        self.tokens = tokens
        self.issuers = IssuerKeys.of(sources)
    }

    /// Reads every signing key's PEM file; a file that is missing or holds no usable key is a problem at its key path.
    private static func tokenAuthority(_ oauth: OAuthConfig, _ problems: inout [ConfigProblem]) -> TokenAuthority? {
        var keys: [TokenSigningKey] = []
        for (index, key) in oauth.signingKeys.enumerated() {
            let path = "oauth.signingKeys[\(index)].privateKey"
            guard let pem = try? String(contentsOfFile: key.privateKeyPath, encoding: .utf8) else {
                problems.append(ConfigProblem(path, "cannot read \(key.privateKeyPath)"))
                continue
            }
            do {
                keys.append(try TokenSigningKey(id: key.id, pem: pem))
            } catch {
                problems.append(ConfigProblem(path, "\(key.privateKeyPath) \(error.description)"))
            }
        }
        guard keys.count == oauth.signingKeys.count, !keys.isEmpty else { return nil }
        return TokenAuthority(oauth, signingKeys: keys)
    }
}

import NIOSSL
import PosternCore
import PostgresNIO

/// A checked store URL as postgres-nio's client and connection configurations.
public enum PostgresURL {
    public static func configuration(_ location: PostgresLocation) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch location.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        configuration.options.additionalStartupParameters = location.synchronousCommit.map { [("synchronous_commit", $0)] } ?? []
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = location.connectTimeout
        return configuration
    }

    /// One connection, for the check at start: unlike the pool, which retries for ever, it fails with the cause.
    static func connectionConfiguration(_ location: PostgresLocation) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch location.tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        configuration.options.connectTimeout = TimeAmount(location.connectTimeout)
        configuration.options.additionalStartupParameters = location.synchronousCommit.map { [("synchronous_commit", $0)] } ?? []
        return configuration
    }
}

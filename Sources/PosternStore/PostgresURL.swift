import Foundation
import PostgresNIO

/// A `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]` URL as a client configuration.
public enum PostgresURL {
    /// Why a URL cannot be used, in words.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public static func configuration(_ text: String) throws(Problem) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty else {
            throw Problem(description: "must be postgres://user[:password]@host[:port]/database")
        }
        guard let user = components.user, !user.isEmpty else { throw Problem(description: "names no user (postgres://user@host/db)") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw Problem(description: "names no database (postgres://user@host/db)") }
        var tls = PostgresClient.Configuration.TLS.disable
        var startup: [(String, String)] = []
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", "disable"?): tls = .disable
            case ("sslmode", "prefer"?), ("sslmode", "allow"?): tls = .prefer(.makeClientConfiguration())
            case ("sslmode", "require"?), ("sslmode", "verify-full"?): tls = .require(.makeClientConfiguration())
            case ("synchronous_commit", let value?):
                guard value.lowercased() != "off" else {
                    throw Problem(description: "turns synchronous_commit off: Postern answers 200 only after a durable commit")
                }
                startup.append(("synchronous_commit", value))
            case ("sslmode", let value):
                throw Problem(description: "sslmode \(value ?? "") is not one of disable, prefer, require")
            default:
                throw Problem(description: "has an unknown parameter \(item.name) (sslmode and synchronous_commit are read)")
            }
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database, tls: tls)
        configuration.options.additionalStartupParameters = startup
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }
}

import Foundation

/// A `postgres://user[:password]@host[:port]/database[?sslmode=…&synchronous_commit=…&connect_timeout=…]` store URL,
/// read and checked in one place, so `postern check` refuses exactly what `serve` and `migrate` refuse.
public struct PostgresLocation: Sendable, Equatable {
    /// Whether the connection uses TLS.
    public enum TLSMode: Sendable, Equatable {
        case disable, prefer, require
    }

    /// Why a URL cannot be used, in words.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// How long to wait for the server at start by default (libpq's `connect_timeout`, in seconds, names the same thing).
    public static let defaultConnectTimeout: Duration = .seconds(10)

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode = .disable
    /// A durable `synchronous_commit` to set on every connection, when the URL names one.
    public var synchronousCommit: String?
    public var connectTimeout = PostgresLocation.defaultConnectTimeout

    /// `synchronous_commit` values that keep a commit durable on the server. `off` and everything PostgreSQL reads as
    /// false (`false`, `no`, `0`, prefixes like `of`) are refused: a 200 must mean a durable commit.
    static let durableCommitSettings: Set<String> = ["on", "true", "yes", "1", "local", "remote_write", "remote_apply"]

    public init(parsing text: String) throws(Problem) {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty else {
            throw Problem(description: "must be postgres://user[:password]@host[:port]/database")
        }
        guard let user = components.user, !user.isEmpty else { throw Problem(description: "names no user (postgres://user@host/db)") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw Problem(description: "names no database (postgres://user@host/db)") }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user
        self.password = components.password
        self.database = database
        for item in components.queryItems ?? [] {
            try read(item.name, item.value ?? "")
        }
    }

    private mutating func read(_ name: String, _ value: String) throws(Problem) {
        switch name {
        case "sslmode":
            switch value {
            case "disable": tls = .disable
            case "prefer", "allow": tls = .prefer
            case "require", "verify-full": tls = .require
            default: throw Problem(description: "sslmode \(value) is not one of disable, allow, prefer, require, verify-full")
            }
        case "synchronous_commit":
            guard Self.durableCommitSettings.contains(value.lowercased()) else {
                throw Problem(description: "sets synchronous_commit=\(value): only durable settings are accepted (\(Self.durableCommitSettings.sorted().joined(separator: ", "))); Postern answers 200 only after a durable commit")
            }
            synchronousCommit = value.lowercased()
        case "connect_timeout":
            guard let seconds = Double(value), ConfigRange.duration.contains(seconds) else {
                throw Problem(description: "connect_timeout must be seconds from 0.001 to 86400, found \(value)")
            }
            connectTimeout = .seconds(seconds)
        default:
            throw Problem(description: "has an unknown parameter \(name) (sslmode, synchronous_commit and connect_timeout are read)")
        }
    }

    /// `host:port`, for messages.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

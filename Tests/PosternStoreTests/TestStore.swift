import Foundation
import Logging
import PosternCore
import PosternStore
import PostgresNIO
import Testing

/// The stores the contract runs against: SQLite always, PostgreSQL when the test script started one
/// (`POSTERN_TEST_POSTGRES_URL`). Each test gets a fresh SQLite file or a fresh PostgreSQL database.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var postgresURL: String? { ProcessInfo.processInfo.environment["POSTERN_TEST_POSTGRES_URL"] }

    static var available: [StoreKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// A fresh, empty location of this kind.
    func freshLocation() async throws -> StoreLocation {
        switch self {
        case .sqlite:
            return .sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent("postern-\(UUID().uuidString).db").path)
        case .postgres:
            let base = try #require(Self.postgresURL)
            let name = "postern_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            let client = PostgresClient(configuration: try PostgresURL.configuration(try PostgresLocation(parsing: base)), backgroundLogger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
                group.cancelAll()
            }
            var components = try #require(URLComponents(string: base))
            components.path = "/" + name
            return .postgres(url: try #require(components.string))
        }
    }
}

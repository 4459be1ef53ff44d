import Logging
import PosternCore

/// Opens the store a configuration names — SQLite or PostgreSQL — behind the same protocols.
public enum StoreOpener {
    public static func open(_ location: StoreLocation, logger: Logger = Logger(label: "postern.store"),
                            onCommit: @escaping @Sendable (CommitReport) -> Void = { _ in }) async throws -> any EventStore & DeliveryQueue {
        switch location {
        case .sqlite(let path): try await SQLiteEventStore.open(path: path, onCommit: onCommit)
        case .postgres(let url, let lease): try await PostgresEventStore.open(url: url, lease: lease, logger: logger, onCommit: onCommit)
        }
    }
}

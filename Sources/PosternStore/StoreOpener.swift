import Logging
import PosternCore

/// Opens the store a configuration names — SQLite or PostgreSQL — behind the same protocols.
public enum StoreOpener {
    /// Opens the store. With `runsItsService` (commands, tests) the store runs its `service` itself until `close`;
    /// without, the caller runs it (the gateway, in its `ServiceGroup`).
    public static func open(_ location: StoreLocation, runsItsService: Bool = true, logger: Logger = Logger(label: "postern.store"),
                            onCommit: @escaping @Sendable (CommitReport) -> Void = { _ in }) async throws -> any EventStore & DeliveryQueue {
        switch location {
        case .sqlite(let path):
            return try await SQLiteEventStore.open(path: path, onCommit: onCommit)
        case .postgres(let url, let lease):
            let store = try await PostgresEventStore.open(url: url, lease: lease, logger: logger, onCommit: onCommit)
            if runsItsService { await store.runClient() }
            return store
        }
    }
}

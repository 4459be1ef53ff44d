import Foundation
import PosternCore
import ServiceLifecycle

/// Durable, idempotent storage of accepted events. `insert` returns only once the event is committed.
public protocol EventStore: Sendable {
    /// Stores the event unless one with the same source and idempotency key exists; durable when it returns.
    func insert(_ event: IncomingEvent) async throws -> StoreOutcome
    /// `insert`, answered by callback on the store's writer (which it must not hold up): the webhook listener's
    /// event loop hands each event over this way, with no task of its own.
    func insert(_ event: IncomingEvent, then: @escaping @Sendable (Result<StoreOutcome, any Error>) -> Void)
    /// The stored events a query selects, in the order received (or newest first).
    func events(matching query: EventQuery) async throws -> [StoredEvent]
    /// How many stored events the query's conditions select, whatever its limit and cursor.
    func count(matching query: EventQuery) async throws -> Int
    /// One stored event whole: its kept headers, body and verification; nil when there is none with that id.
    func event(id: String) async throws -> EventDetail?
    /// Finishes pending writes and closes the store.
    func close() async throws
    /// Deletes up to `limit` events received before `cutoff` — with their deliveries and attempts — that have no
    /// delivery still pending, in one short transaction; returns how many events went.
    func prune(receivedBefore cutoff: Date, limit: Int) async throws -> Int
    /// Whether the store can take writes now (an embedded file: always; a server: when it answers).
    func isAvailable() async -> Bool
    /// What must run while the store is used — PostgreSQL's connection pool — for the gateway's `ServiceGroup`, which
    /// stops it last; nil for SQLite. `StoreOpener.open(…, runsItsService: true)` runs it with the store instead.
    var service: (any Service)? { get }
}

extension EventStore {
    /// Stored events in the order received, optionally of one source only.
    public func events(source: String?, limit: Int) async throws -> [StoredEvent] {
        try await events(matching: EventQuery(source: source, limit: limit))
    }

    public func insert(_ event: IncomingEvent, then: @escaping @Sendable (Result<StoreOutcome, any Error>) -> Void) {
        Task {
            do { then(.success(try await insert(event))) } catch { then(.failure(error)) }
        }
    }

    public func isAvailable() async -> Bool { true }
    public var service: (any Service)? { nil }
}

/// What a commit cost, reported to metrics.
public struct CommitReport: Sendable {
    public var batchSize: Int
    public var duration: Duration
    /// Deliveries written to the outbox by this commit, so the dispatcher can start at once.
    public var queuedDeliveries: Int = 0
}

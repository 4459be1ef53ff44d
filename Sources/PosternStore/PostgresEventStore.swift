import Foundation
import Logging
import NIOCore
import PosternCore
import PostgresNIO
import ServiceLifecycle

/// The store shared by several gateway instances: PostgreSQL through postgres-nio's connection pool.
///
/// As with SQLite, an insert returns only once committed (`synchronous_commit` must not be off), idempotency is the
/// unique constraint on (source, idempotency key) in the same transaction, and concurrent inserts share
/// transactions (group commit). Deliveries are claimed with `FOR UPDATE SKIP LOCKED` and a lease, so the
/// dispatchers of every instance share the outbox and a dead instance's work is taken over when its lease ends.
public actor PostgresEventStore: EventStore {
    static let maxBatch = 256
    /// How long a commit may take before its requests are answered 503 (the server is down or unreachable).
    static let commitDeadline: Duration = .seconds(3)
    /// After a failed commit, inserts fail at once for this long (503 quickly while the server is down), then one
    /// batch tries again.
    static let failFastWindow: Duration = .seconds(1)

    private struct Pending {
        var event: IncomingEvent
        var id: String
        var continuation: CheckedContinuation<StoreOutcome, any Error>
    }

    let client: PostgresClient
    let logger: Logger
    /// How long a claimed delivery stays with this instance unless renewed (the `store` section's `lease`).
    nonisolated let claimLease: Duration
    /// This instance's name on the leases it takes.
    let owner = "postern-\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    /// The client's run, when this store runs it itself (`runClient()`) rather than a `ServiceGroup`.
    private var runner: Task<Void, Never>?
    private let onCommit: @Sendable (CommitReport) -> Void
    private var queue: [Pending] = []
    private var isWriting = false
    /// The task committing the queue, awaited by `close`.
    private var writer: Task<Void, Never>?
    private var failingUntil: ContinuousClock.Instant?

    /// Connects, refuses a server that does not commit durably, and brings the schema up to date, on one connection
    /// closed when this returns. The store's pool is `service`, which its user runs: the gateway in its
    /// `ServiceGroup`, a command with `runClient()`.
    public static func open(url: String, lease: Duration = StoreLocation.defaultLease, logger: Logger = Logger(label: "postern.store"),
                            onCommit: @escaping @Sendable (CommitReport) -> Void = { _ in }) async throws -> PostgresEventStore {
        let location = try PostgresLocation(parsing: url)
        let connection = try await connect(location, logger: logger)
        do {
            try await checkDurability(connection, logger: logger)
            try await migrate(connection, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        let client = PostgresClient(configuration: try PostgresURL.configuration(location), backgroundLogger: logger)
        return PostgresEventStore(client: client, lease: lease, logger: logger, onCommit: onCommit)
    }

    private init(client: PostgresClient, lease: Duration, logger: Logger, onCommit: @escaping @Sendable (CommitReport) -> Void) {
        self.client = client
        self.claimLease = lease
        self.logger = logger
        self.onCommit = onCommit
    }

    /// Why the store refuses to start.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// One connection within the connect timeout, so an unreachable server (a closed port, TLS required of a server
    /// without it) stops `serve` and `migrate` with the address and the cause instead of a pool retrying for ever.
    private static func connect(_ location: PostgresLocation, logger: Logger) async throws -> PostgresConnection {
        do {
            let configuration = try PostgresURL.connectionConfiguration(location)
            return try await withDeadline(location.connectTimeout) {
                try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            }
        } catch {
            throw Refusal(description: "cannot connect to PostgreSQL at \(location.address): \(Self.cause(error))")
        }
    }

    private static func cause(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
    }

    private static func checkDurability(_ connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query("SHOW synchronous_commit", logger: logger)
        for try await setting in rows.decode(String.self) where setting.lowercased() == "off" {
            throw Refusal(description: "the PostgreSQL server has synchronous_commit = off: a 200 would not mean a durable commit")
        }
    }

    private static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_lock(\(PostgresMigrations.lockKey))", logger: logger)
        do {
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS postern_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger)
            var applied = 0
            for try await version in try await connection.query(
                "SELECT coalesce(max(version), 0) FROM postern_migrations", logger: logger).decode(Int.self) {
                applied = version
            }
            for (index, statements) in PostgresMigrations.all.enumerated() where index + 1 > applied {
                try await connection.withTransaction(logger: logger) { transaction in
                    for statement in statements {
                        try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await transaction.query("INSERT INTO postern_migrations (version) VALUES (\(index + 1))", logger: logger)
                }
            }
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(PostgresMigrations.lockKey))", logger: logger)
            throw error
        }
        try await connection.query("SELECT pg_advisory_unlock(\(PostgresMigrations.lockKey))", logger: logger)
    }

    public func insert(_ event: IncomingEvent) async throws -> StoreOutcome {
        let id = EventID.make()
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Pending(event: event, id: id, continuation: continuation))
            if !isWriting {
                isWriting = true
                writer = Task { await self.drain() }
            }
        }
    }

    /// Commits queued inserts, batch after batch, until the queue is empty.
    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(Self.maxBatch))
            queue.removeFirst(batch.count)
            let started = ContinuousClock.now
            if let failingUntil, started < failingUntil {
                for pending in batch { pending.continuation.resume(throwing: StoreTimeout(after: Self.commitDeadline)) }
                continue
            }
            do {
                let (outcomes, queued) = try await withDeadline(Self.commitDeadline) { try await self.commit(batch) }
                failingUntil = nil
                onCommit(CommitReport(batchSize: batch.count, duration: ContinuousClock.now - started, queuedDeliveries: queued))
                for (pending, outcome) in zip(batch, outcomes) { pending.continuation.resume(returning: outcome) }
            } catch {
                failingUntil = ContinuousClock.now + Self.failFastWindow
                for pending in batch { pending.continuation.resume(throwing: error) }
            }
        }
        isWriting = false
    }

    /// One transaction: the multi-row insert skipping existing keys, the new events' outbox rows, and the ids of the
    /// events that were already stored.
    private func commit(_ batch: [Pending]) async throws -> ([StoreOutcome], Int) {
        let logger = logger
        let rows = batch.map { pending in (pending.id, pending.event, StoredHeaders.encode(pending.event.headers)) }
        let (inserted, existing, queued) = try await client.withTransaction(logger: logger) { connection in
            var binds = PostgresBindings(capacity: rows.count * 10)
            var values: [String] = []
            for (id, event, headers) in rows {
                let first = binds.count + 1
                values.append("(" + (first..<first + 10).map { "$\($0)" }.joined(separator: ", ") + ")")
                binds.append(id)
                binds.append(event.source)
                binds.append(event.idempotencyKey)
                binds.append(event.correlationID)
                binds.append(event.receivedAt.millisecondsSince1970)
                binds.append(headers)
                binds.append(ByteBuffer(bytes: event.body))
                binds.append(event.verification.jsonText)
                binds.append(event.callerAddress)
                binds.append(event.clientSubject)
            }
            var inserted: Set<String> = []
            let sql = """
                INSERT INTO events (id, source, idempotency_key, correlation_id, received_at, headers, body, verification,
                                    caller, client_subject)
                VALUES \(values.joined(separator: ", ")) ON CONFLICT (source, idempotency_key) DO NOTHING RETURNING id
                """
            for try await id in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).decode(String.self) {
                inserted.insert(id)
            }
            let outbox = rows.filter { inserted.contains($0.0) }.flatMap { id, event, _ in
                event.destinations.map { (id, $0, event.receivedAt.millisecondsSince1970) }
            }
            if !outbox.isEmpty {
                var binds = PostgresBindings(capacity: outbox.count * 4)
                var values: [String] = []
                for (id, destination, millis) in outbox {
                    let first = binds.count + 1
                    values.append("($\(first), $\(first + 1), 'pending', $\(first + 2), $\(first + 3))")
                    binds.append(id)
                    binds.append(destination)
                    binds.append(millis)
                    binds.append(millis)
                }
                try await connection.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO deliveries (event_id, destination, state, next_attempt_at, enqueued_at) VALUES \(values.joined(separator: ", "))
                    """, binds: binds), logger: logger)
            }
            var existing: [EventKey: String] = [:]
            let missing = rows.filter { !inserted.contains($0.0) }.map { EventKey($0.1) }
            if !missing.isEmpty {
                let sources = missing.map(\.source), keys = missing.map(\.key)
                for try await (id, source, key) in try await connection.query("""
                    SELECT e.id, e.source, e.idempotency_key FROM events e
                    JOIN unnest(\(sources)::text[], \(keys)::text[]) AS k(source, key) ON e.source = k.source AND e.idempotency_key = k.key
                    """, logger: logger).decode((String, String, String).self) {
                    existing[EventKey(source: source, key: key)] = id
                }
            }
            return (inserted, existing, outbox.count)
        }
        let outcomes = batch.map { pending -> StoreOutcome in
            if inserted.contains(pending.id) { return .stored(id: pending.id) }
            return .duplicate(id: existing[EventKey(pending.event)] ?? pending.id)
        }
        return (outcomes, queued)
    }

    public func events(source: String?, limit: Int) async throws -> [StoredEvent] {
        let rows = try await client.query("""
            SELECT id, source, idempotency_key, received_at FROM events
            WHERE \(source == nil) OR source = \(source ?? "") ORDER BY seq LIMIT \(limit)
            """, logger: logger)
        var events: [StoredEvent] = []
        for try await (id, source, key, millis) in rows.decode((String, String, String, Int).self) {
            events.append(StoredEvent(id: id, source: source, idempotencyKey: key, receivedAt: Date(millisecondsSince1970: millis)))
        }
        return events
    }

    /// Whether the server answers now (for `/readyz`); after a failed commit, only once a write commits again.
    public func isAvailable() async -> Bool {
        let client = client, logger = logger
        let probe: PostgresQuery = failingUntil == nil
            ? "SELECT 1" : "UPDATE postern_migrations SET applied_at = applied_at WHERE version = 1"
        guard (try? await withDeadline(.seconds(2)) { try await client.query(probe, logger: logger) }) != nil else { return false }
        failingUntil = nil
        return true
    }

    /// The connection pool, for the gateway's `ServiceGroup`.
    public nonisolated var service: (any Service)? { client }

    /// Runs the client with the store, until `close`: for a command that uses the store outside a `ServiceGroup`.
    public func runClient() {
        guard runner == nil else { return }
        let client = client
        runner = Task { await client.run() }
    }

    public func close() async throws {
        await writer?.value
        runner?.cancel()
    }
}

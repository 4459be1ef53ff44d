import Foundation
import Logging
import NIOCore
import PosternCore
import SQLiteNIO

/// The embedded default store: one SQLite file in WAL mode with `synchronous=FULL`.
///
/// Writes go through one writer (this actor). Inserts that arrive while a commit is in flight wait and are
/// committed together in the next transaction (group commit), so one fsync acknowledges many events.
public actor SQLiteEventStore: EventStore {
    /// The largest number of events committed in one transaction.
    static let maxBatch = 256  // 10 columns each: well under SQLite's 32,766 bound parameters

    private struct Pending {
        var event: IncomingEvent
        var id: String
        var continuation: CheckedContinuation<StoreOutcome, any Error>
    }

    /// A write other than an insert, committed in the writer's next transaction.
    struct Write {
        var run: @Sendable (SQLiteConnection) async throws -> Void
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// The writer's connection: every write, in group-committed transactions.
    let connection: SQLiteConnection
    /// A second connection for reads, which see committed data only (WAL snapshots).
    let reader: SQLiteConnection
    private let onCommit: @Sendable (CommitReport) -> Void
    private var queue: [Pending] = []
    private var writes: [Write] = []
    private var isWriting = false
    private var writer: Task<Void, Never>?
    /// Deliveries claimed by this process's dispatcher and not yet finished: one SQLite file serves one gateway.
    var leased: Set<Int64> = []
    /// Claims whose read is under way: a lease ending now is kept until they are done, since their rows may
    /// predate the delivery's finish.
    var claimsInFlight = 0
    var leasesToDrop: Set<Int64> = []

    /// Opens (creating if needed) the database file and brings its schema up to date.
    public static func open(path: String, logger: Logger = Logger(label: "postern.store"),
                            onCommit: @escaping @Sendable (CommitReport) -> Void = { _ in }) async throws -> SQLiteEventStore {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            // The default busy handler spins forever; a reader in another process must not stall us that way.
            _ = try await connection.query("PRAGMA busy_timeout = 5000", [])
            _ = try await connection.query("PRAGMA journal_mode = WAL", [])
            _ = try await connection.query("PRAGMA synchronous = FULL", [])
            try await migrate(connection)
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            _ = try await reader.query("PRAGMA busy_timeout = 5000", [])
            return SQLiteEventStore(connection: connection, reader: reader, onCommit: onCommit)
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private init(connection: SQLiteConnection, reader: SQLiteConnection, onCommit: @escaping @Sendable (CommitReport) -> Void) {
        self.connection = connection
        self.reader = reader
        self.onCommit = onCommit
    }

    private static func migrate(_ connection: SQLiteConnection) async throws {
        _ = try await connection.query(
            "CREATE TABLE IF NOT EXISTS postern_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT", [])
        let rows = try await connection.query("SELECT coalesce(max(version), 0) AS v FROM postern_migrations", [])
        let applied = rows.first?.column("v")?.integer ?? 0
        for (index, sql) in SQLiteMigrations.all.enumerated() where index + 1 > applied {
            try await inTransaction(connection) {
                for statement in sql.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                    _ = try await connection.query(String(statement), [])
                }
                _ = try await connection.query("INSERT INTO postern_migrations VALUES (?, ?)",
                                               [.integer(index + 1), .integer(Int(Date().timeIntervalSince1970))])
            }
        }
    }

    /// Runs `body` between BEGIN IMMEDIATE and COMMIT, rolling back if it throws. Only the writer calls it.
    private static func inTransaction<T>(_ connection: SQLiteConnection, isolation: isolated (any Actor)? = #isolation,
                                         _ body: () async throws -> T) async throws -> T {
        _ = try await connection.query("BEGIN IMMEDIATE", [])
        do {
            let result = try await body()
            _ = try await connection.query("COMMIT", [])
            return result
        } catch {
            _ = try? await connection.query("ROLLBACK", [])
            throw error
        }
    }

    public func insert(_ event: IncomingEvent) async throws -> StoreOutcome {
        let id = EventID.make()
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Pending(event: event, id: id, continuation: continuation))
            startWriting()
        }
    }

    /// Runs `body` in the writer's next transaction, with the inserts and other writes waiting then.
    func write(_ body: @escaping @Sendable (SQLiteConnection) async throws -> Void) async throws {
        try await withCheckedThrowingContinuation { continuation in
            writes.append(Write(run: body, continuation: continuation))
            startWriting()
        }
    }

    private func startWriting() {
        guard !isWriting else { return }
        isWriting = true
        writer = Task { await self.drain() }
    }

    /// Commits queued inserts and writes, transaction after transaction, until nothing waits.
    private func drain() async {
        while !queue.isEmpty || !writes.isEmpty {
            let batch = Array(queue.prefix(Self.maxBatch))
            queue.removeFirst(batch.count)
            let others = writes
            writes.removeAll()
            let started = ContinuousClock.now
            do {
                let (outcomes, queued) = try await commit(batch, others)
                onCommit(CommitReport(batchSize: batch.count, duration: ContinuousClock.now - started, queuedDeliveries: queued))
                for (pending, outcome) in zip(batch, outcomes) { pending.continuation.resume(returning: outcome) }
                for write in others { write.continuation.resume() }
            } catch {
                for pending in batch { pending.continuation.resume(throwing: error) }
                for write in others { write.continuation.resume(throwing: error) }
            }
        }
        isWriting = false
    }

    /// One transaction: a multi-row insert that skips existing keys, the new events' outbox rows, a lookup of the
    /// events that were already there, then the other writes. Returns the outcomes and the deliveries queued.
    private func commit(_ batch: [Pending], _ others: [Write]) async throws -> ([StoreOutcome], Int) {
        let (inserted, existing, queued) = try await Self.inTransaction(connection) {
            let inserted = batch.isEmpty ? [] : try await insertRows(batch)
            let queued = try await insertDeliveries(for: batch.filter { inserted.contains($0.id) })
            let existing = try await existingIDs(for: batch.filter { !inserted.contains($0.id) })
            for write in others { try await write.run(connection) }
            return (inserted, existing, queued)
        }
        let outcomes = batch.map { pending -> StoreOutcome in
            if inserted.contains(pending.id) { return .stored(id: pending.id) }
            return .duplicate(id: existing[KeyPair(pending.event)] ?? pending.id)
        }
        return (outcomes, queued)
    }

    /// The outbox rows of newly stored events: one per destination, due at once.
    private func insertDeliveries(for stored: [Pending]) async throws -> Int {
        let rows = stored.flatMap { pending in
            pending.event.destinations.map { (pending.id, $0, pending.event.receivedAt.millisecondsSince1970) }
        }
        for chunk in rows.chunked(into: 500) {
            let placeholders = Array(repeating: "(?, ?, 'pending', ?, ?)", count: chunk.count).joined(separator: ", ")
            let binds: [SQLiteData] = chunk.flatMap { id, destination, millis in
                [.text(id), .text(destination), .integer(millis), .integer(millis)]
            }
            _ = try await connection.query(
                "INSERT INTO deliveries (event_id, destination, state, next_attempt_at, enqueued_at) VALUES \(placeholders)", binds)
        }
        return rows.count
    }

    private func insertRows(_ batch: [Pending]) async throws -> Set<String> {
        let placeholders = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: batch.count).joined(separator: ", ")
        let sql = """
            INSERT INTO events (id, source, idempotency_key, correlation_id, received_at, headers, body, verification, caller,
                                client_subject)
            VALUES \(placeholders) ON CONFLICT (source, idempotency_key) DO NOTHING RETURNING id
            """
        let binds = batch.flatMap { Self.binds(for: $0.event, id: $0.id) }
        let rows = try await connection.query(sql, binds)
        return Set(rows.compactMap { $0.column("id")?.string })
    }

    private func existingIDs(for batch: [Pending]) async throws -> [KeyPair: String] {
        guard !batch.isEmpty else { return [:] }
        let pairs = Array(Set(batch.map { KeyPair($0.event) }))
        let placeholders = Array(repeating: "(?, ?)", count: pairs.count).joined(separator: ", ")
        let sql = "SELECT id, source, idempotency_key FROM events WHERE (source, idempotency_key) IN (VALUES \(placeholders))"
        let rows = try await connection.query(sql, pairs.flatMap { [.text($0.source), .text($0.key)] })
        var ids: [KeyPair: String] = [:]
        for row in rows {
            guard let id = row.column("id")?.string, let source = row.column("source")?.string,
                  let key = row.column("idempotency_key")?.string else { continue }
            ids[KeyPair(source: source, key: key)] = id
        }
        return ids
    }

    private static func binds(for event: IncomingEvent, id: String) -> [SQLiteData] {
        return [
            .text(id), .text(event.source), .text(event.idempotencyKey),
            event.correlationID.map { .text($0) } ?? .null,
            .integer(event.receivedAt.millisecondsSince1970),
            .text(StoredHeaders.encode(event.headers)),
            .blob(ByteBuffer(bytes: event.body)),
            .text(event.verification.jsonText),
            event.callerAddress.map { .text($0) } ?? .null,
            event.clientSubject.map { .text($0) } ?? .null,
        ]
    }

    public func events(source: String?, limit: Int) async throws -> [StoredEvent] {
        var sql = "SELECT id, source, idempotency_key, received_at FROM events"
        var binds: [SQLiteData] = []
        if let source {
            sql += " WHERE source = ?"
            binds.append(.text(source))
        }
        sql += " ORDER BY received_at, rowid LIMIT ?"
        binds.append(.integer(limit))
        return try await reader.query(sql, binds).compactMap { row in
            guard let id = row.column("id")?.string, let source = row.column("source")?.string,
                  let key = row.column("idempotency_key")?.string, let millis = row.column("received_at")?.integer
            else { return nil }
            return StoredEvent(id: id, source: source, idempotencyKey: key,
                               receivedAt: Date(millisecondsSince1970: millis))
        }
    }

    public func close() async throws {
        await writer?.value
        try await reader.close()
        try await connection.close()
    }
}

/// A source and idempotency key: the identity of an event.
struct KeyPair: Hashable {
    var source: String
    var key: String

    init(source: String, key: String) {
        self.source = source
        self.key = key
    }

    init(_ event: IncomingEvent) {
        self.init(source: event.source, key: event.idempotencyKey)
    }
}

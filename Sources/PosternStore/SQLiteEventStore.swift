import Foundation
import PosternCore

/// The embedded default store: one SQLite file in WAL mode with `synchronous=FULL`.
///
/// Writes go through one writer (this actor). Inserts that arrive while a commit is in flight wait and are
/// committed together in the next transaction (group commit), so one fsync acknowledges many events.
public actor SQLiteEventStore: EventStore {
    /// The largest number of events committed in one transaction.
    static let maxBatch = 256
    /// The log size (in frames, pages) at which the checkpointer copies the log into the database by default: 16 MiB,
    /// four times SQLite's default, so a page that many commits touch (an index leaf) is copied once instead of four.
    public static let defaultCheckpointFrames = 4000

    struct Pending {
        var event: IncomingEvent
        var id: String
        var continuation: CheckedContinuation<StoreOutcome, any Error>
    }

    /// A write other than an insert, committed in the writer's next transaction.
    struct Write {
        var run: @Sendable (SQLiteHandle) throws -> Void
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// The writer's connection: every write, in group-committed transactions.
    let connection: SQLiteHandle
    /// A second connection for reads, which see committed data only (WAL snapshots).
    let reader: SQLiteHandle
    /// A third connection that checkpoints the log beside the writer instead of inside its commits.
    private let checkpointer: SQLiteHandle
    private let checkpointFrames: Int
    private var isCheckpointing = false
    /// A background checkpoint has finished: the writer copies what was committed meanwhile before its next
    /// transaction, which then starts the log again from its beginning.
    private var checkpointCopied = false
    private let onCommit: @Sendable (CommitReport) -> Void
    private var queue: [Pending] = []
    private var writes: [Write] = []
    private var isWriting = false
    private var writer: Task<Void, Never>?
    /// The last transaction failed (disk full, read-only file, I/O error): readiness stays off until one commits.
    private var lastCommitFailed = false
    /// Deliveries claimed by this process's dispatcher and not yet finished: one SQLite file serves one gateway.
    var leased: Set<Int64> = []
    /// Claims whose read is under way: a lease ending now is kept until they are done, since their rows may
    /// predate the delivery's finish.
    var claimsInFlight = 0
    var leasesToDrop: Set<Int64> = []

    /// Opens (creating if needed) the database file and brings its schema up to date.
    public static func open(path: String, checkpointFrames: Int = defaultCheckpointFrames,
                            onCommit: @escaping @Sendable (CommitReport) -> Void = { _ in }) async throws -> SQLiteEventStore {
        var opened: [SQLiteHandle] = []
        do {
            let connection = try await SQLiteHandle.open(path: path)
            opened.append(connection)
            do {
                try await connection.run { db in
                    try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
                    try migrate(db)
                    try probeWrite(db)
                    db.checkpointsByCaller()
                }
            } catch let failure as SQLiteFailure {
                throw SQLiteFailure(code: failure.code, message: "cannot write the store at \(path): \(failure.message)")
            }
            let reader = try await SQLiteHandle.open(path: path)
            opened.append(reader)
            let checkpointer = try await SQLiteHandle.open(path: path)
            opened.append(checkpointer)
            try await checkpointer.run { db in try db.execute("PRAGMA synchronous = FULL") }
            return SQLiteEventStore(connection: connection, reader: reader, checkpointer: checkpointer,
                                    checkpointFrames: checkpointFrames, onCommit: onCommit)
        } catch {
            for handle in opened { try? await handle.close() }
            throw error
        }
    }

    private init(connection: SQLiteHandle, reader: SQLiteHandle, checkpointer: SQLiteHandle, checkpointFrames: Int,
                 onCommit: @escaping @Sendable (CommitReport) -> Void) {
        self.connection = connection
        self.reader = reader
        self.checkpointer = checkpointer
        self.checkpointFrames = checkpointFrames
        self.onCommit = onCommit
    }

    private static func migrate(_ db: SQLiteHandle) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS postern_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT")
        let applied = try db.query("SELECT coalesce(max(version), 0) AS v FROM postern_migrations").first?.column("v")?.integer ?? 0
        for (index, sql) in SQLiteMigrations.all.enumerated() where index + 1 > applied {
            try db.transaction {
                try db.execute(sql)
                try db.query("INSERT INTO postern_migrations VALUES (?, ?)",
                             [.integer(index + 1), .integer(Int(Date().timeIntervalSince1970))])
            }
        }
    }

    /// One write transaction, so a store that cannot take writes (a read-only file or folder, a full disk) is
    /// refused at start, by path and cause, instead of being opened read-only without a word.
    private static func probeWrite(_ db: SQLiteHandle) throws {
        try db.requireWritable()
        try db.transaction { try db.execute(probeStatement) }
    }

    /// Rewrites one row with its own value: a real write, changing nothing.
    private static let probeStatement = "UPDATE postern_migrations SET applied_at = applied_at WHERE version = 1"

    /// Whether the store can commit: after a failed transaction, only once a write of an event's size commits
    /// again. A tiny write is not enough: on a full disk it can fit in log space that is already allocated.
    public func isAvailable() async -> Bool {
        guard lastCommitFailed else { return true }
        return (try? await write { db in try db.execute(Self.sizedProbeStatement) }) != nil
    }

    /// Rewrites the probe row with 256 KiB, so the commit needs that much new room in the log.
    private static let sizedProbeStatement = "INSERT OR REPLACE INTO postern_probe VALUES (1, zeroblob(262144))"

    public func insert(_ event: IncomingEvent) async throws -> StoreOutcome {
        let id = EventID.make()
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Pending(event: event, id: id, continuation: continuation))
            startWriting()
        }
    }

    /// Runs `body` in the writer's next transaction, with the inserts and other writes waiting then.
    func write(_ body: @escaping @Sendable (SQLiteHandle) throws -> Void) async throws {
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
                let catchUp = checkpointCopied
                checkpointCopied = false
                let (outcomes, queued, frames) = try await connection.run { db in
                    if catchUp { _ = try? db.checkpoint() }
                    let (outcomes, queued) = try Self.commit(batch, others, in: db)
                    return (outcomes, queued, db.walFrames)
                }
                lastCommitFailed = false
                onCommit(CommitReport(batchSize: batch.count, duration: ContinuousClock.now - started, queuedDeliveries: queued))
                if frames >= checkpointFrames { startCheckpoint() }
                for (pending, outcome) in zip(batch, outcomes) { pending.continuation.resume(returning: outcome) }
                for write in others { write.continuation.resume() }
            } catch {
                lastCommitFailed = true
                for pending in batch { pending.continuation.resume(throwing: error) }
                for write in others { write.continuation.resume(throwing: error) }
            }
        }
        isWriting = false
    }

    /// Copies the log into the database on the checkpointer's thread while commits go on (passive checkpoints:
    /// they never wait for the writer), again while commits keep adding more than a few frames. The writer copies
    /// the few left itself, and its next transaction starts the log again from its beginning.
    private func startCheckpoint() {
        guard !isCheckpointing else { return }
        isCheckpointing = true
        Task {
            _ = try? await checkpointer.run { db in
                for _ in 0..<8 {
                    let (frames, copied) = try db.checkpoint()
                    if frames - copied < 128 { break }
                }
            }
            self.isCheckpointing = false
            self.checkpointCopied = true
        }
    }

    /// One transaction: each event inserted unless its key is there already (then the stored event's id is looked
    /// up), a new event's outbox rows, then the other writes. Returns the outcomes and the deliveries queued.
    private static func commit(_ batch: [Pending], _ others: [Write], in db: SQLiteHandle) throws -> ([StoreOutcome], Int) {
        try db.transaction {
            var outcomes: [StoreOutcome] = []
            outcomes.reserveCapacity(batch.count)
            var queued = 0
            for pending in batch {
                let event = pending.event
                try db.query(insertEvent, binds(for: event, id: pending.id))
                guard db.changes > 0 else {
                    let existing = try db.query("SELECT id FROM events WHERE source = ? AND idempotency_key = ?",
                                                [.text(event.source), .text(event.idempotencyKey)])
                    outcomes.append(.duplicate(id: existing.first?.column("id")?.string ?? pending.id))
                    continue
                }
                outcomes.append(.stored(id: pending.id))
                let millis = event.receivedAt.millisecondsSince1970
                for destination in event.destinations {
                    try db.query(insertDelivery, [.text(pending.id), .text(destination), .integer(millis), .integer(millis)])
                    queued += 1
                }
            }
            for write in others { try write.run(db) }
            return (outcomes, queued)
        }
    }

    private static let insertEvent = """
        INSERT INTO events (id, source, idempotency_key, correlation_id, received_at, headers, body, verification, caller,
                            client_subject)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, idempotency_key) DO NOTHING
        """

    /// An outbox row: the delivery of an event to one destination, due at once.
    private static let insertDelivery = """
        INSERT INTO deliveries (event_id, destination, state, next_attempt_at, enqueued_at) VALUES (?, ?, 'pending', ?, ?)
        """

    private static func binds(for event: IncomingEvent, id: String) -> [SQLiteValue] {
        return [
            .text(id), .text(event.source), .text(event.idempotencyKey),
            event.correlationID.map { .text($0) } ?? .null,
            .integer(event.receivedAt.millisecondsSince1970),
            .text(StoredHeaders.encode(event.headers)),
            .blob(event.body),
            .text(event.verification.jsonText),
            event.callerAddress.map { .text($0) } ?? .null,
            event.clientSubject.map { .text($0) } ?? .null,
        ]
    }

    public func events(source: String?, limit: Int) async throws -> [StoredEvent] {
        var sql = "SELECT id, source, idempotency_key, received_at FROM events"
        var binds: [SQLiteValue] = []
        if let source {
            sql += " WHERE source = ?"
            binds.append(.text(source))
        }
        sql += " ORDER BY received_at, rowid LIMIT ?"
        binds.append(.integer(limit))
        let rows = try await reader.run { [sql, binds] db in try db.query(sql, binds) }
        return rows.compactMap { row in
            guard let id = row.column("id")?.string, let source = row.column("source")?.string,
                  let key = row.column("idempotency_key")?.string, let millis = row.column("received_at")?.integer
            else { return nil }
            return StoredEvent(id: id, source: source, idempotencyKey: key,
                               receivedAt: Date(millisecondsSince1970: millis))
        }
    }

    public func close() async throws {
        await writer?.value
        try await checkpointer.close()
        try await reader.close()
        try await connection.close()
    }
}

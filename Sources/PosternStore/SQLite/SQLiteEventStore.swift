import Foundation
import PosternCore

/// The embedded default store: one SQLite file in WAL mode with `synchronous=FULL`.
///
/// Writes go through one writer (`SQLiteWriter` behind a `GroupCommitter`): inserts that arrive while a commit is in
/// flight wait and are committed together in the next transaction, so one fsync acknowledges many events.
public actor SQLiteEventStore: EventStore {
    /// The most writes (inserts and others) committed in one transaction.
    static let maxBatch = 256
    /// The log size (in frames, pages) at which the checkpointer copies the log into the database by default: 16 MiB,
    /// four times SQLite's default, so a page that many commits touch (an index leaf) is copied once instead of four.
    public static let defaultCheckpointFrames = 4000

    /// The one writer: inserts and other writes, group-committed on the writer's connection.
    private let committer: GroupCommitter<SQLiteWrite, StoreOutcome?>
    private let writer: SQLiteWriter
    /// A second connection for reads, which see committed data only (WAL snapshots).
    let reader: SQLiteHandle
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
            let writer = SQLiteWriter(connection: connection, checkpointer: checkpointer, checkpointFrames: checkpointFrames)
            let committer = GroupCommitter<SQLiteWrite, StoreOutcome?>(maxBatch: maxBatch, onCommit: onCommit) { batch in
                try await writer.commit(batch)
            }
            return SQLiteEventStore(writer: writer, committer: committer, reader: reader)
        } catch {
            for handle in opened { try? await handle.close() }
            throw error
        }
    }

    private init(writer: SQLiteWriter, committer: GroupCommitter<SQLiteWrite, StoreOutcome?>, reader: SQLiteHandle) {
        self.writer = writer
        self.committer = committer
        self.reader = reader
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
        guard await writer.lastCommitFailed else { return true }
        return (try? await write { db in try db.execute(Self.sizedProbeStatement) }) != nil
    }

    /// Rewrites the probe row with 256 KiB, so the commit needs that much new room in the log.
    private static let sizedProbeStatement = "INSERT OR REPLACE INTO postern_probe VALUES (1, zeroblob(262144))"

    public nonisolated func insert(_ event: IncomingEvent) async throws -> StoreOutcome {
        try await withCheckedThrowingContinuation { continuation in insert(event) { continuation.resume(with: $0) } }
    }

    public nonisolated func insert(_ event: IncomingEvent, then: @escaping @Sendable (Result<StoreOutcome, any Error>) -> Void) {
        committer.submit(.insert(event, id: EventID.make())) { result in
            then(result.map { outcome in
                guard let outcome else { preconditionFailure("SQLiteWriter answers every insert with its outcome") }
                return outcome
            })
        }
    }

    /// Runs `body` in the writer's next transaction, with the inserts and other writes waiting then.
    nonisolated func write(_ body: @escaping @Sendable (SQLiteHandle) throws -> Void) async throws {
        _ = try await committer.submit(.other(body))
    }

    public func events(matching query: EventQuery) async throws -> [StoredEvent] {
        let sql = EventQuerySQL(query, dialect: .sqlite)
        let binds = sql.parameters.map(Self.value) + [.integer(query.limit)]
        let text = """
            SELECT e.id, e.source, e.idempotency_key, e.received_at, e.correlation_id FROM events e
            \(sql.whereClause) ORDER BY \(sql.order) LIMIT ?
            """
        let rows = try await reader.run { db in try db.query(text, binds) }
        return rows.compactMap(Self.storedEvent)
    }

    public func count(matching query: EventQuery) async throws -> Int {
        var counted = query
        counted.after = nil
        let sql = EventQuerySQL(counted, dialect: .sqlite)
        let binds = sql.parameters.map(Self.value)
        let text = "SELECT count(*) AS n FROM events e \(sql.whereClause)"
        return try await reader.run { db in try db.query(text, binds).first?.column("n")?.integer ?? 0 }
    }

    public func event(id: String) async throws -> EventDetail? {
        let rows = try await reader.run { db in
            try db.query("""
                SELECT e.id, e.source, e.idempotency_key, e.received_at, e.correlation_id, e.headers, e.body, e.verification,
                       e.caller, e.client_subject
                FROM events e WHERE e.id = ?
                """, [.text(id)])
        }
        guard let row = rows.first, let event = Self.storedEvent(row) else { return nil }
        return EventDetail(event: event, headers: StoredHeaders.decode(row.column("headers")?.string ?? "[]"),
                           body: row.column("body")?.blob ?? [], verification: row.column("verification")?.string ?? "{}",
                           caller: row.column("caller")?.string, clientSubject: row.column("client_subject")?.string)
    }

    private static func storedEvent(_ row: SQLiteRow) -> StoredEvent? {
        guard let id = row.column("id")?.string, let source = row.column("source")?.string,
              let key = row.column("idempotency_key")?.string, let millis = row.column("received_at")?.integer
        else { return nil }
        return StoredEvent(id: id, source: source, idempotencyKey: key, receivedAt: Date(millisecondsSince1970: millis),
                           correlationId: row.column("correlation_id")?.string)
    }

    private static func value(_ parameter: EventQuerySQL.Parameter) -> SQLiteValue {
        switch parameter {
        case .text(let text): .text(text)
        case .integer(let number): .integer(number)
        case .texts(let texts): .text(texts.joined(separator: "/"))  // not written for SQLite
        }
    }

    public func close() async throws {
        await committer.drained()
        try await reader.close()
        try await writer.close()
    }
}

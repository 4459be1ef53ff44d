import Foundation
import PosternCore

/// What the SQLite store's group committer writes: an event's insert, or another write (a delivery's finish, the
/// readiness probe), each in the next transaction.
enum SQLiteWrite: Sendable {
    case insert(IncomingEvent, id: String)
    case other(@Sendable (SQLiteHandle) throws -> Void)
}

/// The SQLite store's write transaction, which its `GroupCommitter` runs for each batch, and the checkpointer that
/// copies the log into the database beside it.
actor SQLiteWriter {
    /// The writer's connection: every write, in group-committed transactions.
    let connection: SQLiteHandle
    /// A connection that checkpoints the log beside the writer instead of inside its commits.
    private let checkpointer: SQLiteHandle
    private let checkpointFrames: Int
    /// The background checkpoint under way, if any.
    private var checkpointing: Task<Void, Never>?
    /// The log's frames after the last commit.
    private var frames = 0
    /// A background checkpoint has finished: the writer copies what was committed meanwhile before its next
    /// transaction, which then starts the log again from its beginning.
    private var checkpointCopied = false
    /// The last transaction failed (disk full, read-only file, I/O error): readiness stays off until one commits.
    private(set) var lastCommitFailed = false

    init(connection: SQLiteHandle, checkpointer: SQLiteHandle, checkpointFrames: Int) {
        self.connection = connection
        self.checkpointer = checkpointer
        self.checkpointFrames = checkpointFrames
    }

    /// One transaction for `batch`, in order: an insert's outcome, or nil for another write.
    func commit(_ batch: [SQLiteWrite]) async throws -> CommittedBatch<StoreOutcome?> {
        // Backpressure: a disk too slow for the checkpointer to keep up would let the log grow without end, so past
        // four times the threshold the writer waits for the checkpoint and copies the rest itself first.
        if frames >= 4 * checkpointFrames, let running = checkpointing { await running.value }
        let catchUp = checkpointCopied
        checkpointCopied = false
        do {
            let (committed, frames) = try await connection.run { db in
                if catchUp { _ = try? db.checkpoint() }
                return (try Self.commit(batch, in: db), db.walFrames)
            }
            lastCommitFailed = false
            self.frames = frames
            if frames >= checkpointFrames { startCheckpoint() }
            return committed
        } catch {
            lastCommitFailed = true
            throw error
        }
    }

    /// Copies the log into the database on the checkpointer's thread while commits go on (passive checkpoints:
    /// they never wait for the writer), again while commits keep adding more than a few frames. The writer copies
    /// the few left itself, and its next transaction starts the log again from its beginning.
    private func startCheckpoint() {
        guard checkpointing == nil else { return }
        checkpointing = Task {
            _ = try? await checkpointer.run { db in
                for _ in 0..<8 {
                    let (frames, copied) = try db.checkpoint()
                    if frames - copied < 128 { break }
                }
            }
            self.checkpointing = nil
            self.checkpointCopied = true
        }
    }

    func close() async throws {
        try await checkpointer.close()
        try await connection.close()
    }

    /// Each event inserted unless its key is there already (then the stored event's id is looked up) with a new
    /// event's outbox rows, and each other write run, in one transaction.
    private static func commit(_ batch: [SQLiteWrite], in db: SQLiteHandle) throws -> CommittedBatch<StoreOutcome?> {
        try db.transaction {
            var committed = CommittedBatch<StoreOutcome?>(outcomes: [], events: 0, queuedDeliveries: 0)
            committed.outcomes.reserveCapacity(batch.count)
            for work in batch {
                switch work {
                case .insert(let event, let id):
                    committed.events += 1
                    committed.outcomes.append(try insert(event, id: id, in: db, queued: &committed.queuedDeliveries))
                case .other(let write):
                    try write(db)
                    committed.outcomes.append(nil)
                }
            }
            return committed
        }
    }

    private static func insert(_ event: IncomingEvent, id: String, in db: SQLiteHandle, queued: inout Int) throws -> StoreOutcome {
        try db.query(insertEvent, binds(for: event, id: id))
        guard db.changes > 0 else {
            let existing = try db.query("SELECT id FROM events WHERE source = ? AND idempotency_key = ?",
                                        [.text(event.source), .text(event.idempotencyKey)])
            return .duplicate(id: existing.first?.column("id")?.string ?? id)
        }
        let millis = event.receivedAt.millisecondsSince1970
        for destination in event.destinations {
            try db.query(insertDelivery, [.text(id), .text(destination), .integer(millis), .integer(millis),
                                          event.orderingKeys[destination].map { .text($0) } ?? .null])
            queued += 1
        }
        return .stored(id: id)
    }

    private static let insertEvent = """
        INSERT INTO events (id, source, idempotency_key, correlation_id, received_at, headers, body, verification, caller,
                            client_subject)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, idempotency_key) DO NOTHING
        """

    /// An outbox row: the delivery of an event to one destination, due at once.
    private static let insertDelivery = """
        INSERT INTO deliveries (event_id, destination, state, next_attempt_at, enqueued_at, ordering_key)
        VALUES (?, ?, 'pending', ?, ?, ?)
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
}

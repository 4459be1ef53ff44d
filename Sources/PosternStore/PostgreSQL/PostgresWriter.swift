import Foundation
import Logging
import NIOCore
import PosternCore
import PostgresNIO

/// An event to insert, with the id it gets if it is new.
struct PostgresInsert: Sendable {
    var event: IncomingEvent
    var id: String
}

/// The PostgreSQL store's write transaction, which its `GroupCommitter` runs for each batch: within a deadline, and
/// failing fast for a while after a failed commit, so requests are answered 503 quickly while the server is down.
actor PostgresWriter {
    /// How long a commit may take before its requests are answered 503 (the server is down or unreachable).
    static let commitDeadline: Duration = .seconds(3)
    /// After a failed commit, inserts fail at once for this long, then one batch tries again.
    static let failFastWindow: Duration = .seconds(1)

    private let client: PostgresClient
    private let logger: Logger
    private var failingUntil: ContinuousClock.Instant?

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Whether the last commit failed and no commit or readiness probe has succeeded since.
    var isFailing: Bool { failingUntil != nil }

    /// A readiness probe wrote to the server: the next batch commits as usual.
    func recovered() {
        failingUntil = nil
    }

    func commit(_ batch: [PostgresInsert]) async throws -> CommittedBatch<StoreOutcome> {
        if let failingUntil, ContinuousClock.now < failingUntil { throw StoreTimeout(after: Self.commitDeadline) }
        do {
            let committed = try await withDeadline(Self.commitDeadline) { try await self.transaction(batch) }
            failingUntil = nil
            return committed
        } catch {
            failingUntil = ContinuousClock.now + Self.failFastWindow
            throw error
        }
    }

    /// One transaction: the multi-row insert skipping existing keys, the new events' outbox rows, and the ids of the
    /// events that were already stored.
    private func transaction(_ batch: [PostgresInsert]) async throws -> CommittedBatch<StoreOutcome> {
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
                event.destinations.map { (id, $0, event.receivedAt.millisecondsSince1970, event.orderingKeys[$0]) }
            }
            if !outbox.isEmpty {
                var binds = PostgresBindings(capacity: outbox.count * 5)
                var values: [String] = []
                for (id, destination, millis, orderingKey) in outbox {
                    let first = binds.count + 1
                    values.append("($\(first), $\(first + 1), 'pending', $\(first + 2), $\(first + 3), $\(first + 4)::text)")
                    binds.append(id)
                    binds.append(destination)
                    binds.append(millis)
                    binds.append(millis)
                    binds.append(orderingKey)
                }
                try await connection.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO deliveries (event_id, destination, state, next_attempt_at, enqueued_at, ordering_key)
                    VALUES \(values.joined(separator: ", "))
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
        return CommittedBatch(outcomes: outcomes, events: batch.count, queuedDeliveries: queued)
    }

}

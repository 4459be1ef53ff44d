import NIOCore
import PostgresNIO

/// The outbox's hot statements on PostgreSQL, prepared once per pooled connection (the dynamic multi-row inserts of
/// group commit are bound queries of their own shape).
enum PostgresStatements {
    /// Leases up to `limit` due deliveries of a destination to `owner` and returns them with their events.
    struct Claim: PostgresPreparedStatement {
        typealias Row = (Int, String, Int, Int, String, String?, String, ByteBuffer, Int)

        static let sql = """
            WITH due AS (
                SELECT id FROM deliveries
                WHERE destination = $1 AND state = 'pending' AND next_attempt_at <= $2
                  AND (lease_until IS NULL OR lease_until < $2)
                ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE deliveries d SET lease_owner = $4, lease_until = $5 FROM due WHERE d.id = due.id
                RETURNING d.id, d.event_id, d.attempts, d.enqueued_at
            )
            SELECT c.id, c.event_id, c.attempts, c.enqueued_at, e.source, e.correlation_id, e.headers, e.body, e.received_at
            FROM claimed c JOIN events e ON e.id = c.event_id ORDER BY c.id
            """

        /// Declared, so that a NULL in the first execution cannot fix a parameter's type.
        static let bindingDataTypes: [PostgresDataType] = [.text, .int8, .int8, .text, .int8]

        var destination: String
        var now: Int
        var limit: Int
        var owner: String
        var leaseUntil: Int

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(destination)
            bindings.append(now)
            bindings.append(limit)
            bindings.append(owner)
            bindings.append(leaseUntil)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Records one attempt.
    struct RecordAttempt: PostgresPreparedStatement {
        typealias Row = ()

        static let sql = """
            INSERT INTO delivery_attempts (delivery_id, attempted_at, status, latency_ms, error) VALUES ($1, $2, $3, $4, $5)
            """

        static let bindingDataTypes: [PostgresDataType] = [.int8, .int8, .int8, .float8, .text]

        var delivery: Int
        var time: Int
        var status: Int?
        var latencyMs: Double
        var error: String?

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(delivery)
            bindings.append(time)
            bindings.append(status)
            bindings.append(latencyMs)
            bindings.append(error)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {}
    }

    /// Sets what follows an attempt and ends this instance's lease.
    struct Finish: PostgresPreparedStatement {
        typealias Row = ()

        static let sql = """
            UPDATE deliveries SET state = $1, attempts = attempts + 1, last_status = $2, last_error = $3,
                next_attempt_at = coalesce($4, next_attempt_at), lease_owner = NULL, lease_until = NULL
            WHERE id = $5 AND lease_owner = $6
            """

        static let bindingDataTypes: [PostgresDataType] = [.text, .int8, .text, .int8, .int8, .text]

        var state: String
        var status: Int?
        var error: String?
        var next: Int?
        var delivery: Int
        var owner: String

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 6)
            bindings.append(state)
            bindings.append(status)
            bindings.append(error)
            bindings.append(next)
            bindings.append(delivery)
            bindings.append(owner)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {}
    }
}

import NIOCore
import PostgresNIO

/// The outbox's hot statements on PostgreSQL, prepared once per pooled connection (the dynamic multi-row inserts of
/// group commit are bound queries of their own shape).
enum PostgresStatements {
    /// Leases up to `limit` due deliveries of a destination to `owner` and returns them with their events.
    struct Claim: PostgresPreparedStatement {
        typealias Row = (Int, String, Int, Int, String?, String, String?, String, ByteBuffer, Int)

        /// A keyed delivery is claimable only while no earlier one of its destination and key is pending (waiting,
        /// or leased to an instance) or a dead letter holding the key: so a key is leased to one instance at a time.
        static let sql = """
            WITH due AS (
                SELECT id FROM deliveries d
                WHERE destination = $1 AND state = 'pending' AND next_attempt_at <= $2
                  AND (lease_until IS NULL OR lease_until < $2)
                  AND (d.ordering_key IS NULL OR NOT EXISTS (
                      SELECT 1 FROM deliveries p
                      WHERE p.destination = d.destination AND p.ordering_key = d.ordering_key AND p.id < d.id
                        AND p.ordering_key IS NOT NULL AND (p.state = 'pending' OR p.holds_key)))
                ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE deliveries d SET lease_owner = $4, lease_until = $5 FROM due WHERE d.id = due.id
                RETURNING d.id, d.event_id, d.attempts, d.enqueued_at, d.ordering_key
            )
            SELECT c.id, c.event_id, c.attempts, c.enqueued_at, c.ordering_key, e.source, e.correlation_id, e.headers,
                   e.body, e.received_at
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

    /// Sets what follows an attempt and ends this instance's lease; a keyed dead letter may hold its key.
    struct Finish: PostgresPreparedStatement {
        typealias Row = ()

        static let sql = """
            UPDATE deliveries SET state = $1, attempts = attempts + 1, last_status = $2, last_error = $3,
                next_attempt_at = coalesce($4, next_attempt_at), lease_owner = NULL, lease_until = NULL,
                holds_key = ($1 = 'dead' AND $7 AND ordering_key IS NOT NULL)
            WHERE id = $5 AND lease_owner = $6
            """

        static let bindingDataTypes: [PostgresDataType] = [.text, .int8, .text, .int8, .int8, .text, .bool]

        var state: String
        var status: Int?
        var error: String?
        var next: Int?
        var delivery: Int
        var owner: String
        var holdsKey: Bool

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 7)
            bindings.append(state)
            bindings.append(status)
            bindings.append(error)
            bindings.append(next)
            bindings.append(delivery)
            bindings.append(owner)
            bindings.append(holdsKey)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {}
    }
}

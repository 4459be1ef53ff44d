import Foundation
import PosternCore
import PostgresNIO

/// The outbox on PostgreSQL, shared by every instance: a claim takes due rows with `FOR UPDATE SKIP LOCKED` and leases
/// them to this instance; a lease that runs out (its instance died) makes the row claimable again.
extension PostgresEventStore: DeliveryQueue {
    public nonisolated var lease: Duration? { claimLease }

    public func claimDue(destination: String, now: Date, limit: Int) async throws -> [DueDelivery] {
        let wanted = min(limit, 500)
        guard wanted > 0 else { return [] }
        let nowMillis = now.millisecondsSince1970
        let leaseUntil = now.addingTimeInterval(claimLease.seconds).millisecondsSince1970
        let claim = PostgresStatements.Claim(destination: destination, now: nowMillis, limit: wanted, owner: owner,
                                             leaseUntil: leaseUntil)
        var claimed: [DueDelivery] = []
        for try await (id, event, attempts, enqueued, orderingKey, source, correlation, headers, body, received)
            in try await client.execute(claim, logger: logger) {
            claimed.append(DueDelivery(id: Int64(id), eventID: event, source: source, destination: destination,
                                       correlationID: correlation, headers: StoredHeaders.decode(headers),
                                       body: Array(body.readableBytesView), attempts: attempts,
                                       enqueuedAt: Date(millisecondsSince1970: enqueued),
                                       receivedAt: Date(millisecondsSince1970: received), orderingKey: orderingKey))
        }
        return claimed
    }

    public func finish(_ delivery: DueDelivery, attempt: DeliveryAttempt, verdict: DeliveryVerdict, holdsKey: Bool,
                       now: Date) async throws {
        let (state, next, error): (DeliveryState, Int?, String?) = switch verdict {
        case .delivered: (.delivered, nil, nil)
        case .retry(let after, let reason): (.pending, now.adding(after).millisecondsSince1970, reason)
        case .dead(let reason): (.dead, nil, reason)
        }
        let id = Int(delivery.id)
        let logger = logger, owner = owner
        let record = PostgresStatements.RecordAttempt(delivery: id, time: attempt.time.millisecondsSince1970,
                                                      status: attempt.status, latencyMs: attempt.latencyMs, error: attempt.error)
        let finish = PostgresStatements.Finish(state: state.rawValue, status: attempt.status, error: error, next: next,
                                               delivery: id, owner: owner, holdsKey: holdsKey)
        try await client.withTransaction(logger: logger) { connection in
            try await connection.execute(record, logger: logger)
            try await connection.execute(finish, logger: logger)
        }
    }


    public func renewLease(_ delivery: DueDelivery, now: Date) async {
        let until = now.addingTimeInterval(claimLease.seconds).millisecondsSince1970
        _ = try? await client.query("""
            UPDATE deliveries SET lease_until = \(until) WHERE id = \(Int(delivery.id)) AND lease_owner = \(owner)
            """, logger: logger)
    }

    public func release(_ delivery: DueDelivery) async {
        _ = try? await client.query("""
            UPDATE deliveries SET lease_owner = NULL, lease_until = NULL WHERE id = \(Int(delivery.id)) AND lease_owner = \(owner)
            """, logger: logger)
    }

    public func deliveries(matching query: DeliveryQuery) async throws -> [DeliveryRecord] {
        let state = query.state?.rawValue
        let after = query.after.map(Int.init)
        let newest = query.newestFirst
        let rows = try await client.query("""
            SELECT d.id, d.event_id, e.source, d.destination, d.state, d.attempts, d.last_status, d.last_error, d.next_attempt_at,
                   d.ordering_key, d.holds_key
            FROM deliveries d JOIN events e ON e.id = d.event_id
            WHERE (\(state)::text IS NULL OR d.state = \(state))
              AND (\(query.event)::text IS NULL OR d.event_id = \(query.event))
              AND (\(query.destination)::text IS NULL OR d.destination = \(query.destination))
              AND (\(after)::bigint IS NULL OR (CASE WHEN \(newest) THEN d.id < \(after) ELSE d.id > \(after) END))
            ORDER BY CASE WHEN \(newest) THEN -d.id ELSE d.id END LIMIT \(query.limit)
            """, logger: logger)
        var records: [DeliveryRecord] = []
        for try await (id, event, source, destination, state, attempts, status, error, next, orderingKey, holdsKey)
            in rows.decode((Int, String, String, String, String, Int, Int?, String?, Int, String?, Bool).self) {
            guard let state = DeliveryState(rawValue: state) else { continue }
            records.append(DeliveryRecord(id: Int64(id), event: event, source: source, destination: destination, state: state,
                                          attempts: attempts, lastStatus: status, lastError: error,
                                          nextAttemptAt: state == .pending ? Date(millisecondsSince1970: next) : nil,
                                          orderingKey: orderingKey, holdsKey: holdsKey))
        }
        return records
    }

    public func attempts(event: String) async throws -> [DeliveryAttempt] {
        let rows = try await client.query("""
            SELECT d.destination, a.attempted_at, a.status, a.latency_ms, a.error
            FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.event_id = \(event) ORDER BY a.id
            """, logger: logger)
        var attempts: [DeliveryAttempt] = []
        for try await (destination, time, status, latency, error) in rows.decode((String, Int, Int?, Double, String?).self) {
            attempts.append(DeliveryAttempt(destination: destination, time: Date(millisecondsSince1970: time), status: status,
                                            latencyMs: latency, error: error))
        }
        return attempts
    }

    public func replay(_ selection: ReplaySelection, destinations: @escaping @Sendable (String) -> [String],
                       orderings: [String: DeliveryOrdering], now: Date,
                       progress: @escaping @Sendable (Int, Int) -> Void) async throws -> Int {
        // The bodies are read only when a new delivery may need its ordering key.
        let readsEvents = !orderings.isEmpty
        let (eventID, source, since, until): (String?, String?, Int, Int) = switch selection {
        case .event(let id): (id, nil, 0, Int.max)
        case .source(let name, let since, let until):
            (nil, name, since.millisecondsSince1970, (until ?? .distantFuture).millisecondsSince1970)
        }
        let filter = { (cursor: Int) -> PostgresQuery in
            """
            SELECT seq, id, source, CASE WHEN \(readsEvents) THEN headers END, CASE WHEN \(readsEvents) THEN body END FROM events
            WHERE (\(eventID)::text IS NULL OR id = \(eventID)) AND (\(source)::text IS NULL OR source = \(source))
              AND received_at >= \(since) AND received_at < \(until) AND seq > \(cursor)
            ORDER BY seq LIMIT 500
            """
        }
        var total = 0
        for try await count in try await client.query("""
            SELECT count(*)::bigint FROM events WHERE (\(eventID)::text IS NULL OR id = \(eventID))
              AND (\(source)::text IS NULL OR source = \(source)) AND received_at >= \(since) AND received_at < \(until)
            """, logger: logger).decode(Int.self) {
            total = count
        }
        var done = 0, queued = 0, cursor = 0
        while done < total {
            var pairs: [(event: String, destination: String, key: String?)] = []
            var seen = 0
            for try await (seq, id, source, headers, body) in try await client.query(filter(cursor), logger: logger)
                .decode((Int, String, String, String?, ByteBuffer?).self) {
                cursor = seq
                seen += 1
                pairs += Self.keyed(id, to: destinations(source), orderings: orderings, headers: headers, body: body)
            }
            guard seen > 0 else { break }
            if !pairs.isEmpty { _ = try await upsert(pairs, now: now) }
            queued += pairs.count
            done += seen
            progress(done, total)
        }
        return queued
    }

    public func requeue(_ events: [(id: String, source: String)], destinations: @escaping @Sendable (String) -> [String],
                        orderings: [String: DeliveryOrdering], onlyDead: Bool, now: Date) async throws -> Int {
        guard onlyDead else {
            var stored: [String: (String, ByteBuffer)] = [:]
            if !orderings.isEmpty {
                for try await (id, headers, body) in try await client.query(
                    "SELECT id, headers, body FROM events WHERE id = ANY(\(events.map(\.id))::text[])", logger: logger)
                    .decode((String, String, ByteBuffer).self) {
                    stored[id] = (headers, body)
                }
            }
            let pairs = events.flatMap { event in
                Self.keyed(event.id, to: destinations(event.source), orderings: orderings,
                           headers: stored[event.id]?.0, body: stored[event.id]?.1)
            }
            return pairs.isEmpty ? 0 : try await upsert(pairs, now: now)
        }
        let pairs = events.flatMap { event in destinations(event.source).map { (event.id, $0) } }
        guard !pairs.isEmpty else { return 0 }
        let millis = now.millisecondsSince1970
        let rows = try await client.query("""
            UPDATE deliveries d SET state = 'pending', attempts = 0, last_error = NULL, next_attempt_at = \(millis),
                enqueued_at = \(millis), replays = d.replays + 1, lease_owner = NULL, lease_until = NULL, holds_key = false
            FROM unnest(\(pairs.map(\.0))::text[], \(pairs.map(\.1))::text[]) AS p(event, destination)
            WHERE d.event_id = p.event AND d.destination = p.destination AND d.state = 'dead' RETURNING d.id
            """, logger: logger)
        var queued = 0
        for try await _ in rows.decode(Int.self) { queued += 1 }
        return queued
    }

    /// One (event, destination, ordering key) per destination; the key read from the stored event for a destination
    /// that orders its deliveries.
    static func keyed(_ event: String, to destinations: [String], orderings: [String: DeliveryOrdering], headers: String?,
                      body: ByteBuffer?) -> [(event: String, destination: String, key: String?)] {
        let kept = headers.map(StoredHeaders.decode) ?? []
        let bytes = body.map { Array($0.readableBytesView) } ?? []
        return destinations.map { destination in
            (event, destination, orderings[destination]?.key(storedBody: bytes, headers: kept))
        }
    }

    /// Creates or resets to pending the delivery of each (event, destination), due now; a new one gets its key.
    /// Returns how many were queued.
    private func upsert(_ pairs: [(event: String, destination: String, key: String?)], now: Date) async throws -> Int {
        let millis = now.millisecondsSince1970
        // No key travels as "" (a key is never empty), so the arrays hold no NULL.
        let rows = try await client.query("""
            INSERT INTO deliveries (event_id, destination, state, next_attempt_at, enqueued_at, ordering_key)
            SELECT event, destination, 'pending', \(millis), \(millis), NULLIF(key, '')
            FROM unnest(\(pairs.map(\.event))::text[], \(pairs.map(\.destination))::text[], \(pairs.map { $0.key ?? "" })::text[])
                AS p(event, destination, key)
            ON CONFLICT (event_id, destination) DO UPDATE SET state = 'pending', attempts = 0, last_error = NULL,
                next_attempt_at = excluded.next_attempt_at, enqueued_at = excluded.enqueued_at,
                replays = deliveries.replays + 1, lease_owner = NULL, lease_until = NULL, holds_key = false,
                ordering_key = coalesce(deliveries.ordering_key, excluded.ordering_key)
            RETURNING id
            """, logger: logger)
        var queued = 0
        for try await _ in rows.decode(Int.self) { queued += 1 }
        return queued
    }

    public func releaseKey(event: String, destination: String) async throws -> Bool {
        var released = false
        for try await _ in try await client.query("""
            UPDATE deliveries SET holds_key = false WHERE event_id = \(event) AND destination = \(destination) AND holds_key
            RETURNING id
            """, logger: logger).decode(Int.self) {
            released = true
        }
        return released
    }

    public func oldestPending() async throws -> [OldestPending] {
        let rows = try await client.query("""
            SELECT DISTINCT ON (destination) destination, id, enqueued_at FROM deliveries WHERE state = 'pending'
            ORDER BY destination, enqueued_at, id
            """, logger: logger)
        var oldest: [OldestPending] = []
        for try await (destination, id, enqueued) in rows.decode((String, Int, Int).self) {
            oldest.append(OldestPending(destination: destination, id: Int64(id), enqueuedAt: Date(millisecondsSince1970: enqueued)))
        }
        return oldest
    }

    public func depth() async throws -> [QueueDepth] {
        let rows = try await client.query("""
            SELECT destination,
                   count(*) FILTER (WHERE state = 'pending')::bigint, count(*) FILTER (WHERE state = 'dead')::bigint
            FROM deliveries WHERE state IN ('pending', 'dead') GROUP BY destination ORDER BY destination
            """, logger: logger)
        var depths: [QueueDepth] = []
        for try await (destination, pending, dead) in rows.decode((String, Int, Int).self) {
            depths.append(QueueDepth(destination: destination, pending: pending, dead: dead))
        }
        return depths
    }
}

extension PostgresEventStore {
    public func prune(receivedBefore cutoff: Date, limit: Int) async throws -> Int {
        let logger = logger
        return try await client.withTransaction(logger: logger) { connection in
            var ids: [String] = []
            for try await id in try await connection.query("""
                SELECT id FROM events e WHERE received_at < \(cutoff.millisecondsSince1970)
                  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.state = 'pending')
                ORDER BY received_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, logger: logger).decode(String.self) {
                ids.append(id)
            }
            guard !ids.isEmpty else { return 0 }
            try await connection.query("""
                DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id = ANY(\(ids)::text[]))
                """, logger: logger)
            try await connection.query("DELETE FROM deliveries WHERE event_id = ANY(\(ids)::text[])", logger: logger)
            try await connection.query("DELETE FROM events WHERE id = ANY(\(ids)::text[])", logger: logger)
            return ids.count
        }
    }
}

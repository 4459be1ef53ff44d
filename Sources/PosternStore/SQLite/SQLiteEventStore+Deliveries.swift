import Foundation
import PosternCore
import Synchronization

/// The outbox on SQLite. Claims are leases held in this process (one SQLite file serves one gateway); every
/// change goes through the writer and shares its group commits.
extension SQLiteEventStore: DeliveryQueue {
    /// What a write counted, read once it has committed.
    private final class Counter: Sendable {
        private let count = Mutex(0)
        func add(_ n: Int) { count.withLock { $0 += n } }
        var value: Int { count.withLock { $0 } }
    }

    /// The most deliveries one claim returns.
    static let maxClaim = 500
    /// The events replayed per transaction.
    static let replayBatch = 500

    public func claimDue(destination: String, now: Date, limit: Int) async throws -> [DueDelivery] {
        let wanted = min(limit, Self.maxClaim)
        guard wanted > 0 else { return [] }
        claimsInFlight += 1
        defer {
            claimsInFlight -= 1
            if claimsInFlight == 0 {
                leased.subtract(leasesToDrop)
                leasesToDrop.removeAll()
            }
        }
        let limit = wanted + leased.count
        let rows = try await reader.run { db in try db.query("""
            SELECT d.id, d.event_id, d.attempts, d.enqueued_at, d.ordering_key, e.source, e.correlation_id, e.headers,
                   e.body, e.received_at
            FROM deliveries d JOIN events e ON e.id = d.event_id
            WHERE d.destination = ? AND d.state = 'pending' AND d.next_attempt_at <= ?
              AND \(Self.firstOfItsKey)
            ORDER BY d.next_attempt_at, d.id LIMIT ?
            """, [.text(destination), .integer(now.millisecondsSince1970), .integer(limit)]) }
        var claimed: [DueDelivery] = []
        for row in rows where claimed.count < wanted {
            guard let id = row.column("id")?.integer.map(Int64.init), !leased.contains(id),
                  let eventID = row.column("event_id")?.string, let source = row.column("source")?.string,
                  let attempts = row.column("attempts")?.integer, let enqueued = row.column("enqueued_at")?.integer,
                  let body = row.column("body")?.blob
            else { continue }
            claimed.append(DueDelivery(
                id: id, eventID: eventID, source: source, destination: destination,
                correlationID: row.column("correlation_id")?.string,
                headers: StoredHeaders.decode(row.column("headers")?.string ?? "[]"),
                body: body, attempts: attempts,
                enqueuedAt: Date(millisecondsSince1970: enqueued),
                receivedAt: row.column("received_at")?.integer.map(Date.init(millisecondsSince1970:)),
                orderingKey: row.column("ordering_key")?.string))
        }
        leased.formUnion(claimed.map(\.id))
        return claimed
    }

    /// A pending delivery `d` that no earlier one of its destination and ordering key holds back: none of those is
    /// pending (waiting, or in flight) or a dead letter holding the key. Unkeyed deliveries are never held back.
    static let firstOfItsKey = """
        (d.ordering_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM deliveries p
            WHERE p.destination = d.destination AND p.ordering_key = d.ordering_key AND p.id < d.id
              AND p.ordering_key IS NOT NULL AND (p.state = 'pending' OR p.holds_key = 1)))
        """

    public func finish(_ delivery: DueDelivery, attempt: DeliveryAttempt, verdict: DeliveryVerdict, holdsKey: Bool,
                       now: Date) async throws {
        defer { dropLease(delivery.id) }
        let (state, next, error): (DeliveryState, Date?, String?) = switch verdict {
        case .delivered: (.delivered, nil, nil)
        case .retry(let after, let reason): (.pending, now.adding(after), reason)
        case .dead(let reason): (.dead, nil, reason)
        }
        let attemptBinds: [SQLiteValue] = [
            .integer(Int(delivery.id)), .integer(attempt.time.millisecondsSince1970),
            attempt.status.map { .integer($0) } ?? .null, .float(attempt.latencyMs), attempt.error.map { .text($0) } ?? .null,
        ]
        let updateBinds: [SQLiteValue] = [
            .text(state.rawValue), attempt.status.map { .integer($0) } ?? .null, error.map { .text($0) } ?? .null,
            next.map { .integer($0.millisecondsSince1970) } ?? .null,
            .integer(state == .dead && holdsKey && delivery.orderingKey != nil ? 1 : 0), .integer(Int(delivery.id)),
        ]
        try await write { db in
            try db.query("""
                INSERT INTO delivery_attempts (delivery_id, attempted_at, status, latency_ms, error) VALUES (?, ?, ?, ?, ?)
                """, attemptBinds)
            try db.query("""
                UPDATE deliveries SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?,
                    next_attempt_at = coalesce(?, next_attempt_at), holds_key = ? WHERE id = ?
                """, updateBinds)
        }
    }

    public func release(_ delivery: DueDelivery) {
        dropLease(delivery.id)
    }

    /// Ends a lease, once no claim that may have read the delivery's old state is still running.
    private func dropLease(_ id: Int64) {
        if claimsInFlight > 0 {
            leasesToDrop.insert(id)
        } else {
            leased.remove(id)
        }
    }

    public func deliveries(matching query: DeliveryQuery) async throws -> [DeliveryRecord] {
        var conditions: [String] = []
        var binds: [SQLiteValue] = []
        func require(_ condition: String, _ value: SQLiteValue?) {
            guard let value else { return }
            conditions.append(condition)
            binds.append(value)
        }
        require("d.state = ?", query.state.map { .text($0.rawValue) })
        require("d.event_id = ?", query.event.map { .text($0) })
        require("d.destination = ?", query.destination.map { .text($0) })
        require(query.newestFirst ? "d.id < ?" : "d.id > ?", query.after.map { .integer(Int($0)) })
        binds.append(.integer(query.limit))
        let sql = """
            SELECT d.id, d.event_id, e.source, d.destination, d.state, d.attempts, d.last_status, d.last_error, d.next_attempt_at,
                   d.ordering_key, d.holds_key
            FROM deliveries d JOIN events e ON e.id = d.event_id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY d.id \(query.newestFirst ? "DESC" : "") LIMIT ?
            """
        let rows = try await reader.run { [binds] db in try db.query(sql, binds) }
        return rows.compactMap { row in
            guard let id = row.column("id")?.integer, let event = row.column("event_id")?.string,
                  let source = row.column("source")?.string,
                  let destination = row.column("destination")?.string,
                  let state = row.column("state")?.string.flatMap(DeliveryState.init),
                  let attempts = row.column("attempts")?.integer else { return nil }
            return DeliveryRecord(
                id: Int64(id), event: event, source: source, destination: destination, state: state, attempts: attempts,
                lastStatus: row.column("last_status")?.integer, lastError: row.column("last_error")?.string,
                nextAttemptAt: state == .pending ? row.column("next_attempt_at")?.integer.map(Date.init(millisecondsSince1970:)) : nil,
                orderingKey: row.column("ordering_key")?.string, holdsKey: row.column("holds_key")?.integer == 1)
        }
    }

    public func attempts(event: String) async throws -> [DeliveryAttempt] {
        let rows = try await reader.run { db in try db.query("""
            SELECT d.destination, a.attempted_at, a.status, a.latency_ms, a.error
            FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
            WHERE d.event_id = ? ORDER BY a.rowid
            """, [.text(event)]) }
        return rows.compactMap { row in
            guard let destination = row.column("destination")?.string, let time = row.column("attempted_at")?.integer,
                  let latency = row.column("latency_ms")?.double else { return nil }
            return DeliveryAttempt(destination: destination, time: Date(millisecondsSince1970: time),
                                   status: row.column("status")?.integer, latencyMs: latency,
                                   error: row.column("error")?.string)
        }
    }

    public func replay(_ selection: ReplaySelection, destinations: @escaping @Sendable (String) -> [String],
                       orderings: [String: DeliveryOrdering], now: Date,
                       progress: @escaping @Sendable (Int, Int) -> Void) async throws -> Int {
        // The bodies are read only when a new delivery may need its ordering key.
        let columns = orderings.isEmpty ? "rowid AS r, id, source" : "rowid AS r, id, source, headers, body"
        let (filter, filterBinds) = Self.filter(selection)
        let total = try await reader.run { db in
            try db.query("SELECT count(*) AS n FROM events WHERE \(filter)", filterBinds).first?.column("n")?.integer ?? 0
        }
        var done = 0
        var queued = 0
        var cursor = 0
        while done < total {
            let binds = filterBinds + [.integer(cursor), .integer(Self.replayBatch)]
            let rows = try await reader.run { db in
                try db.query("SELECT \(columns) FROM events WHERE \(filter) AND rowid > ? ORDER BY rowid LIMIT ?", binds)
            }
            guard let last = rows.last?.column("r")?.integer else { break }
            cursor = last
            let pairs = rows.flatMap { row -> [(event: String, destination: String, key: String?)] in
                guard let id = row.column("id")?.string, let source = row.column("source")?.string else { return [] }
                return Self.keyed(id, to: destinations(source), orderings: orderings, row: row)
            }
            try await requeue(pairs, now: now)
            queued += pairs.count
            done += rows.count
            progress(done, total)
        }
        return queued
    }

    public func requeue(_ events: [(id: String, source: String)], destinations: @escaping @Sendable (String) -> [String],
                        orderings: [String: DeliveryOrdering], onlyDead: Bool, now: Date) async throws -> Int {
        var queued = 0
        for start in stride(from: 0, to: events.count, by: Self.replayBatch) {
            let batch = events[start..<min(start + Self.replayBatch, events.count)]
            if onlyDead {
                queued += try await requeueDead(batch.flatMap { event in destinations(event.source).map { (event.id, $0) } }, now: now)
                continue
            }
            var stored: [String: SQLiteRow] = [:]
            if !orderings.isEmpty {
                let ids = batch.map { SQLiteValue.text($0.id) }
                let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
                for row in try await reader.run({ db in try db.query("SELECT id, headers, body FROM events WHERE id IN (\(marks))", ids) }) {
                    if let id = row.column("id")?.string { stored[id] = row }
                }
            }
            queued += try await requeue(batch.flatMap { event in
                Self.keyed(event.id, to: destinations(event.source), orderings: orderings, row: stored[event.id])
            }, now: now)
        }
        return queued
    }

    /// One (event, destination, ordering key) per destination; the key read from the stored event's row (its
    /// headers and body) for a destination that orders its deliveries.
    static func keyed(_ event: String, to destinations: [String], orderings: [String: DeliveryOrdering], row: SQLiteRow?)
        -> [(event: String, destination: String, key: String?)] {
        let headers = row.map { StoredHeaders.decode($0.column("headers")?.string ?? "[]") } ?? []
        let body = row?.column("body")?.blob ?? []
        return destinations.map { destination in
            (event, destination, orderings[destination]?.key(storedBody: body, headers: headers))
        }
    }

    /// Creates or resets to pending the delivery of each (event, destination), due now; a new one gets its key.
    @discardableResult
    private func requeue(_ pairs: [(event: String, destination: String, key: String?)], now: Date) async throws -> Int {
        let millis = now.millisecondsSince1970
        let binds = pairs.map { pair -> [SQLiteValue] in
            [.text(pair.event), .text(pair.destination), .integer(millis), .integer(millis), pair.key.map { .text($0) } ?? .null]
        }
        try await write { db in
            for bind in binds {
                try db.query("""
                    INSERT INTO deliveries (event_id, destination, state, next_attempt_at, enqueued_at, ordering_key)
                    VALUES (?, ?, 'pending', ?, ?, ?)
                    ON CONFLICT (event_id, destination) DO UPDATE SET state = 'pending', attempts = 0, last_error = NULL,
                        next_attempt_at = excluded.next_attempt_at, enqueued_at = excluded.enqueued_at, replays = replays + 1,
                        holds_key = 0, ordering_key = coalesce(ordering_key, excluded.ordering_key)
                    """, bind)
            }
        }
        return pairs.count
    }

    /// Resets to pending, due now, the delivery of each (event, destination) that is a dead letter.
    private func requeueDead(_ pairs: [(event: String, destination: String)], now: Date) async throws -> Int {
        let millis = now.millisecondsSince1970
        let binds = pairs.map { pair -> [SQLiteValue] in [.integer(millis), .integer(millis), .text(pair.event), .text(pair.destination)] }
        let reset = Counter()
        try await write { db in
            for bind in binds {
                reset.add(try db.query("""
                    UPDATE deliveries SET state = 'pending', attempts = 0, last_error = NULL, next_attempt_at = ?,
                        enqueued_at = ?, replays = replays + 1, holds_key = 0
                    WHERE event_id = ? AND destination = ? AND state = 'dead' RETURNING id
                    """, bind).count)
            }
        }
        return reset.value
    }

    public func releaseKey(event: String, destination: String) async throws -> Bool {
        let released = Counter()
        try await write { db in
            released.add(try db.query("""
                UPDATE deliveries SET holds_key = 0 WHERE event_id = ? AND destination = ? AND holds_key = 1 RETURNING id
                """, [.text(event), .text(destination)]).count)
        }
        return released.value > 0
    }

    private static func filter(_ selection: ReplaySelection) -> (String, [SQLiteValue]) {
        switch selection {
        case .event(let id):
            return ("id = ?", [.text(id)])
        case .source(let name, let since, let until):
            return ("source = ? AND received_at >= ? AND received_at < ?",
                    [.text(name), .integer(since.millisecondsSince1970), .integer((until ?? .distantFuture).millisecondsSince1970)])
        }
    }

    public func oldestPending() async throws -> [OldestPending] {
        // SQLite takes the other columns of a min() query from the row that has the minimum.
        let rows = try await reader.run { db in try db.query("""
            SELECT destination, id, min(enqueued_at) AS enqueued FROM deliveries WHERE state = 'pending'
            GROUP BY destination ORDER BY destination
            """) }
        return rows.compactMap { row in
            guard let destination = row.column("destination")?.string, let id = row.column("id")?.integer,
                  let enqueued = row.column("enqueued")?.integer else { return nil }
            return OldestPending(destination: destination, id: Int64(id), enqueuedAt: Date(millisecondsSince1970: enqueued))
        }
    }

    public func depth() async throws -> [QueueDepth] {
        let rows = try await reader.run { db in try db.query("""
            SELECT destination, state, count(*) AS n FROM deliveries WHERE state IN ('pending', 'dead')
            GROUP BY destination, state ORDER BY destination
            """) }
        var depths: [String: QueueDepth] = [:]
        for row in rows {
            guard let destination = row.column("destination")?.string, let count = row.column("n")?.integer else { continue }
            var depth = depths[destination] ?? QueueDepth(destination: destination, pending: 0, dead: 0)
            if row.column("state")?.string == DeliveryState.dead.rawValue { depth.dead = count } else { depth.pending = count }
            depths[destination] = depth
        }
        return depths.keys.sorted().map { depths[$0]! }
    }
}

extension SQLiteEventStore {
    public func prune(receivedBefore cutoff: Date, limit: Int) async throws -> Int {
        let rows = try await reader.run { db in try db.query("""
            SELECT id FROM events e WHERE received_at < ?
              AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.state = 'pending')
            ORDER BY received_at LIMIT ?
            """, [.integer(cutoff.millisecondsSince1970), .integer(limit)]) }
        let ids = rows.compactMap { $0.column("id")?.string }
        guard !ids.isEmpty else { return 0 }
        try await write { db in
            for id in ids {
                try db.query("DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id = ?)", [.text(id)])
                try db.query("DELETE FROM deliveries WHERE event_id = ?", [.text(id)])
                try db.query("DELETE FROM events WHERE id = ?", [.text(id)])
            }
        }
        return ids.count
    }
}

import Foundation
import Logging
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

    let client: PostgresClient
    let logger: Logger
    /// How long a claimed delivery stays with this instance unless renewed (the `store` section's `lease`).
    nonisolated let claimLease: Duration
    /// This instance's name on the leases it takes.
    let owner = "postern-\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    /// The client's run, when this store runs it itself (`runClient()`) rather than a `ServiceGroup`.
    private var runner: Task<Void, Never>?
    /// The one writer: inserts, group-committed in pooled transactions.
    private let committer: GroupCommitter<PostgresInsert, StoreOutcome>
    private let writer: PostgresWriter

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
        let writer = PostgresWriter(client: client, logger: logger)
        self.writer = writer
        self.committer = GroupCommitter(maxBatch: Self.maxBatch, onCommit: onCommit) { batch in try await writer.commit(batch) }
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

    public nonisolated func insert(_ event: IncomingEvent) async throws -> StoreOutcome {
        try await committer.submit(PostgresInsert(event: event, id: EventID.make()))
    }

    public nonisolated func insert(_ event: IncomingEvent, then: @escaping @Sendable (Result<StoreOutcome, any Error>) -> Void) {
        committer.submit(PostgresInsert(event: event, id: EventID.make()), then: then)
    }

    public func events(matching query: EventQuery) async throws -> [StoredEvent] {
        let sql = EventQuerySQL(query, dialect: .postgres)
        var bindings = Self.bindings(sql.parameters)
        bindings.append(query.limit)
        let text = """
            SELECT e.id, e.source, e.idempotency_key, e.received_at, e.correlation_id FROM events e
            \(sql.whereClause) ORDER BY \(sql.order) LIMIT $\(sql.parameters.count + 1)
            """
        let rows = try await client.query(PostgresQuery(unsafeSQL: text, binds: bindings), logger: logger)
        var events: [StoredEvent] = []
        for try await (id, source, key, millis, correlation) in rows.decode((String, String, String, Int, String?).self) {
            events.append(StoredEvent(id: id, source: source, idempotencyKey: key, receivedAt: Date(millisecondsSince1970: millis),
                                      correlationId: correlation))
        }
        return events
    }

    public func count(matching query: EventQuery) async throws -> Int {
        var counted = query
        counted.after = nil
        let sql = EventQuerySQL(counted, dialect: .postgres)
        let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM events e \(sql.whereClause)",
                                                        binds: Self.bindings(sql.parameters)), logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    public func event(id: String) async throws -> EventDetail? {
        let rows = try await client.query("""
            SELECT id, source, idempotency_key, received_at, correlation_id, headers, body, verification, caller, client_subject
            FROM events WHERE id = \(id)
            """, logger: logger)
        for try await (eventID, source, key, millis, correlation, headers, body, verification, caller, subject) in rows.decode(
            (String, String, String, Int, String?, String, ByteBuffer, String, String?, String?).self) {
            return EventDetail(
                event: StoredEvent(id: eventID, source: source, idempotencyKey: key,
                                   receivedAt: Date(millisecondsSince1970: millis), correlationId: correlation),
                headers: StoredHeaders.decode(headers), body: Array(body.readableBytesView), verification: verification,
                caller: caller, clientSubject: subject)
        }
        return nil
    }

    private static func bindings(_ parameters: [EventQuerySQL.Parameter]) -> PostgresBindings {
        var bindings = PostgresBindings()
        for parameter in parameters {
            switch parameter {
            case .text(let text): bindings.append(text)
            case .integer(let number): bindings.append(number)
            case .texts(let texts): bindings.append(texts)
            }
        }
        return bindings
    }

    /// Whether the server answers now (for `/readyz`); after a failed commit, only once a write commits again.
    public func isAvailable() async -> Bool {
        let client = client, logger = logger
        let probe: PostgresQuery = await writer.isFailing
            ? "UPDATE postern_migrations SET applied_at = applied_at WHERE version = 1" : "SELECT 1"
        guard (try? await withDeadline(.seconds(2)) { try await client.query(probe, logger: logger) }) != nil else { return false }
        await writer.recovered()
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
        await committer.drained()
        runner?.cancel()
    }
}

/// The SQLite schema, as an ordered list of migrations; each runs once, in its own transaction.
enum SQLiteMigrations {
    static let all: [String] = [
        """
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            correlation_id TEXT,
            received_at INTEGER NOT NULL,
            headers TEXT NOT NULL,
            body BLOB NOT NULL,
            verification TEXT NOT NULL,
            caller TEXT,
            UNIQUE (source, idempotency_key)
        ) STRICT;
        CREATE INDEX events_received_at ON events (received_at);
        """,
        "ALTER TABLE events ADD COLUMN client_subject TEXT;",
        """
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events (id),
            destination TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            enqueued_at INTEGER NOT NULL,
            last_status INTEGER,
            last_error TEXT,
            replays INTEGER NOT NULL DEFAULT 0,
            UNIQUE (event_id, destination)
        ) STRICT;
        CREATE INDEX deliveries_due ON deliveries (destination, state, next_attempt_at);
        CREATE TABLE delivery_attempts (
            delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
            attempted_at INTEGER NOT NULL,
            status INTEGER,
            latency_ms REAL NOT NULL,
            error TEXT
        ) STRICT;
        CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id);
        """,
        // One row rewritten by the readiness probe after a failed commit (SQLiteEventStore.isAvailable).
        "CREATE TABLE postern_probe (id INTEGER PRIMARY KEY, filler BLOB NOT NULL) STRICT",
        // Searching events (`postern events list`, the admin API): by source or by correlation id, in a time range.
        """
        CREATE INDEX events_source_received ON events (source, received_at);
        CREATE INDEX events_correlation ON events (correlation_id, received_at);
        """,
        // Ordering per key: a delivery waits while an earlier one of its destination and key is pending, or is a dead
        // letter that holds the key (onFailure: block). The index holds only those, so the check stays short.
        """
        ALTER TABLE deliveries ADD COLUMN ordering_key TEXT;
        ALTER TABLE deliveries ADD COLUMN holds_key INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX deliveries_ordering ON deliveries (destination, ordering_key, id)
            WHERE ordering_key IS NOT NULL AND (state = 'pending' OR holds_key = 1);
        """,
    ]
}

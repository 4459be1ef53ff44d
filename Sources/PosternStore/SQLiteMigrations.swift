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
    ]
}

/// The PostgreSQL schema, as an ordered list of migrations; each runs once, in its own transaction, under an
/// advisory lock so that instances starting together apply it once.
enum PostgresMigrations {
    /// The advisory lock key migrations hold ("postern" in ASCII).
    static let lockKey = 0x706F_7374_6572_6E

    static let all: [[String]] = [
        [
            """
            CREATE TABLE events (
                seq BIGSERIAL UNIQUE,
                id TEXT PRIMARY KEY,
                source TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                correlation_id TEXT,
                received_at BIGINT NOT NULL,
                headers TEXT NOT NULL,
                body BYTEA NOT NULL,
                verification TEXT NOT NULL,
                caller TEXT,
                client_subject TEXT,
                UNIQUE (source, idempotency_key)
            )
            """,
            "CREATE INDEX events_received_at ON events (received_at)",
            """
            CREATE TABLE deliveries (
                id BIGSERIAL PRIMARY KEY,
                event_id TEXT NOT NULL REFERENCES events (id),
                destination TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                enqueued_at BIGINT NOT NULL,
                last_status INTEGER,
                last_error TEXT,
                replays INTEGER NOT NULL DEFAULT 0,
                lease_owner TEXT,
                lease_until BIGINT,
                UNIQUE (event_id, destination)
            )
            """,
            "CREATE INDEX deliveries_due ON deliveries (destination, state, next_attempt_at)",
            """
            CREATE TABLE delivery_attempts (
                id BIGSERIAL PRIMARY KEY,
                delivery_id BIGINT NOT NULL REFERENCES deliveries (id),
                attempted_at BIGINT NOT NULL,
                status INTEGER,
                latency_ms DOUBLE PRECISION NOT NULL,
                error TEXT
            )
            """,
            "CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id)",
        ],
        // Searching events (`postern events list`, the admin API): by source or by correlation id, in a time range.
        [
            "CREATE INDEX events_source_received ON events (source, received_at)",
            "CREATE INDEX events_correlation ON events (correlation_id, received_at)",
            // A body as jsonb, or NULL where it is not JSON (PostgreSQL 15 has no IS JSON), for searches by a body field.
            """
            CREATE FUNCTION postern_jsonb(body BYTEA) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE STRICT AS $$
            BEGIN
                RETURN convert_from(body, 'UTF8')::jsonb;
            EXCEPTION WHEN OTHERS THEN
                RETURN NULL;
            END
            $$
            """,
        ],
        // Searching form bodies by field: `postern_form_jsonb` reads one as FormBody does (`+` a space, `%XX` a byte,
        // UTF-8, a repeated name an array of its values), NULL where it is not a valid form.
        [
            """
            CREATE FUNCTION postern_form_decode(encoded TEXT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE STRICT AS $$
            DECLARE
                bytes BYTEA := ''::bytea;
                i INT := 1;
                c TEXT;
            BEGIN
                WHILE i <= length(encoded) LOOP
                    c := substr(encoded, i, 1);
                    IF c = '%' THEN
                        IF substr(encoded, i + 1, 2) !~ '^[0-9A-Fa-f]{2}$' THEN RAISE EXCEPTION 'bad escape'; END IF;
                        bytes := bytes || decode(substr(encoded, i + 1, 2), 'hex');
                        i := i + 3;
                    ELSE
                        bytes := bytes || convert_to(CASE WHEN c = '+' THEN ' ' ELSE c END, 'UTF8');
                        i := i + 1;
                    END IF;
                END LOOP;
                RETURN convert_from(bytes, 'UTF8');
            END
            $$
            """,
            """
            CREATE FUNCTION postern_form_jsonb(body BYTEA) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE STRICT AS $$
            DECLARE
                fields JSONB := '{}'::jsonb;
                pair TEXT;
                name TEXT;
                value TEXT;
                equals INT;
            BEGIN
                FOREACH pair IN ARRAY string_to_array(convert_from(body, 'UTF8'), '&') LOOP
                    CONTINUE WHEN pair = '';
                    equals := position('=' IN pair);
                    name := postern_form_decode(CASE WHEN equals = 0 THEN pair ELSE substr(pair, 1, equals - 1) END);
                    value := CASE WHEN equals = 0 THEN '' ELSE postern_form_decode(substr(pair, equals + 1)) END;
                    IF NOT fields ? name THEN
                        fields := fields || jsonb_build_object(name, value);
                    ELSIF jsonb_typeof(fields -> name) = 'array' THEN
                        fields := jsonb_set(fields, ARRAY[name], (fields -> name) || to_jsonb(value));
                    ELSE
                        fields := jsonb_set(fields, ARRAY[name], jsonb_build_array(fields -> name, value));
                    END IF;
                END LOOP;
                RETURN fields;
            EXCEPTION WHEN OTHERS THEN
                RETURN NULL;
            END
            $$
            """,
        ],
        // Ordering per key: a delivery waits while an earlier one of its destination and key is pending, or is a dead
        // letter that holds the key (onFailure: block). The index holds only those, so the check stays short.
        [
            "ALTER TABLE deliveries ADD COLUMN ordering_key TEXT",
            "ALTER TABLE deliveries ADD COLUMN holds_key BOOLEAN NOT NULL DEFAULT false",
            """
            CREATE INDEX deliveries_ordering ON deliveries (destination, ordering_key, id)
                WHERE ordering_key IS NOT NULL AND (state = 'pending' OR holds_key)
            """,
        ],
    ]
}

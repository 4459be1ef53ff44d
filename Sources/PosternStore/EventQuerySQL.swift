import PosternCore

/// An `EventQuery` as SQL, in the store's dialect: the conditions on `events e`, their parameters (`?` for SQLite,
/// `$n` for PostgreSQL), and the order: receive time, then id, so that a page's last event is a cursor.
struct EventQuerySQL {
    enum Parameter: Equatable {
        case text(String)
        case integer(Int)
        case texts([String])
    }

    /// How each store reads a field of a JSON body.
    enum Dialect {
        /// `json_extract` over the body as text where it is valid JSON, else over a form body's fields
        /// (`postern_form_json`); the path as SQLite writes it (`$."a"[0]`).
        case sqlite
        /// `#>>` over the body as `jsonb` (`postern_jsonb`, NULL where it is not JSON), else over a form body's
        /// fields (`postern_form_jsonb`); the path as a text array.
        case postgres
    }

    private(set) var conditions: [String] = []
    private(set) var parameters: [Parameter] = []
    let order: String

    init(_ query: EventQuery, dialect: Dialect) {
        let placeholder: (Int) -> String = dialect == .sqlite ? { _ in "?" } : { "$\($0)" }
        let direction = query.newestFirst ? "DESC" : "ASC"
        order = "e.received_at \(direction), e.id \(direction)"
        func add(_ condition: (String) -> String, _ parameter: Parameter) {
            parameters.append(parameter)
            conditions.append(condition(placeholder(parameters.count)))
        }
        if let source = query.source { add({ "e.source = \($0)" }, .text(source)) }
        if let since = query.since { add({ "e.received_at >= \($0)" }, .integer(since.millisecondsSince1970)) }
        if let until = query.until { add({ "e.received_at < \($0)" }, .integer(until.millisecondsSince1970)) }
        if let correlation = query.correlationID { add({ "e.correlation_id = \($0)" }, .text(correlation)) }
        if let key = query.idempotencyKey { add({ "e.idempotency_key = \($0)" }, .text(key)) }
        if let field = query.bodyField {
            switch dialect {
            case .sqlite:
                // Bound as a parameter, the path needs no quoting beyond a label's double quotes.
                let path = field.tokens.reduce("$") { path, token in
                    !token.isEmpty && token.allSatisfy(\.isASCIIDigitCharacter) ? path + "[\(token)]" : path + ".\"\(token)\""
                }
                let body = "CAST(e.body AS TEXT)"
                let document = "CASE WHEN json_valid(\(body)) THEN \(body) WHEN \(Self.isForm("LIKE")) THEN \(SQLiteFormFunction.name)(e.body) END"
                add({ "CAST(json_extract(\(document), \($0)) AS TEXT)" }, .text(path))
            case .postgres:
                add({ "COALESCE(postern_jsonb(e.body), CASE WHEN \(Self.isForm("ILIKE")) THEN postern_form_jsonb(e.body) END) #>> \($0)" },
                    .texts(field.tokens))
            }
            conditions[conditions.count - 1] += " = " + placeholder(parameters.count + 1)
            parameters.append(.text(field.value))
        }
        if let cursor = query.after {
            let later = query.newestFirst ? "<" : ">"
            parameters += [.integer(cursor.receivedAtMilliseconds), .integer(cursor.receivedAtMilliseconds), .text(cursor.id)]
            let (time, same, id) = (placeholder(parameters.count - 2), placeholder(parameters.count - 1), placeholder(parameters.count))
            conditions.append("(e.received_at \(later) \(time) OR (e.received_at = \(same) AND e.id \(later) \(id)))")
        }
        let deliveries = "SELECT 1 FROM deliveries d WHERE d.event_id = e.id"
        switch query.state {
        case .stored?: conditions.append("NOT EXISTS (\(deliveries))")
        case .pending?: conditions.append("EXISTS (\(deliveries) AND d.state = 'pending')")
        case .dead?: conditions.append("EXISTS (\(deliveries) AND d.state = 'dead')")
        case .delivered?: conditions.append("EXISTS (\(deliveries)) AND NOT EXISTS (\(deliveries) AND d.state <> 'delivered')")
        case nil: break
        }
    }

    /// Whether the event's kept `Content-Type` says it is a form, whatever its case (SQLite's `LIKE` ignores ASCII
    /// case, PostgreSQL's `ILIKE` does): a plain-text body is not read as one.
    static func isForm(_ like: String) -> String {
        "e.headers \(like) '%\"application/x-www-form-urlencoded%'"
    }

    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }
}

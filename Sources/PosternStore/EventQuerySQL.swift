import PosternCore

/// An `EventQuery` as SQL both stores speak: the conditions on `events e`, their parameters, and the order.
/// `placeholder(n)` writes the n-th parameter (from 1) as the driver wants it (`?` for SQLite, `$n` for PostgreSQL);
/// `arrival` is the column that orders events received in the same millisecond (`rowid`, `seq`).
struct EventQuerySQL {
    enum Parameter: Equatable {
        case text(String)
        case integer(Int)
    }

    private(set) var conditions: [String] = []
    private(set) var parameters: [Parameter] = []
    let order: String

    init(_ query: EventQuery, arrival: String, placeholder: (Int) -> String) {
        let direction = query.newestFirst ? "DESC" : "ASC"
        order = "e.received_at \(direction), e.\(arrival) \(direction)"
        func add(_ condition: (String) -> String, _ parameter: Parameter) {
            parameters.append(parameter)
            conditions.append(condition(placeholder(parameters.count)))
        }
        if let source = query.source { add({ "e.source = \($0)" }, .text(source)) }
        if let since = query.since { add({ "e.received_at >= \($0)" }, .integer(since.millisecondsSince1970)) }
        if let until = query.until { add({ "e.received_at < \($0)" }, .integer(until.millisecondsSince1970)) }
        if let correlation = query.correlationID { add({ "e.correlation_id = \($0)" }, .text(correlation)) }
        if let key = query.idempotencyKey { add({ "e.idempotency_key = \($0)" }, .text(key)) }
        let deliveries = "SELECT 1 FROM deliveries d WHERE d.event_id = e.id"
        switch query.state {
        case .stored?: conditions.append("NOT EXISTS (\(deliveries))")
        case .pending?: conditions.append("EXISTS (\(deliveries) AND d.state = 'pending')")
        case .dead?: conditions.append("EXISTS (\(deliveries) AND d.state = 'dead')")
        case .delivered?: conditions.append("EXISTS (\(deliveries)) AND NOT EXISTS (\(deliveries) AND d.state <> 'delivered')")
        case nil: break
        }
    }

    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }
}

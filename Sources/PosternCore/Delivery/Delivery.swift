import Foundation

/// Where a delivery stands: waiting for its next attempt, done, or given up (a dead letter, replayable).
public enum DeliveryState: String, Sendable, Codable, CaseIterable {
    case pending
    case delivered
    case dead
}

/// One event's delivery to one destination, as `postern deliveries list` shows it.
public struct DeliveryRecord: Sendable, Equatable, Codable {
    /// The store's id of this delivery: a listing's cursor.
    public var id: Int64 = 0
    public var event: String
    public var source: String
    public var destination: String
    public var state: DeliveryState
    public var attempts: Int
    public var lastStatus: Int?
    public var lastError: String?
    public var nextAttemptAt: Date?
    /// The key it is ordered by, on a destination with `ordering`.
    public var orderingKey: String?
    /// A dead letter holding its key (`onFailure: block`): the key's later deliveries wait for a replay or a skip.
    public var holdsKey = false

    public init(id: Int64 = 0, event: String, source: String, destination: String, state: DeliveryState, attempts: Int,
                lastStatus: Int?, lastError: String?, nextAttemptAt: Date?, orderingKey: String? = nil, holdsKey: Bool = false) {
        self.id = id
        self.event = event
        self.source = source
        self.destination = destination
        self.state = state
        self.attempts = attempts
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
        self.orderingKey = orderingKey
        self.holdsKey = holdsKey
    }

    private enum CodingKeys: String, CodingKey {
        case event, source, destination, state, attempts, lastStatus, lastError, nextAttemptAt, orderingKey, holdsKey
    }

    /// Every key is written, absent values as null, so each JSON line has the same shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event, forKey: .event)
        try container.encode(source, forKey: .source)
        try container.encode(destination, forKey: .destination)
        try container.encode(state, forKey: .state)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(lastStatus, forKey: .lastStatus)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
        try container.encode(orderingKey, forKey: .orderingKey)
        try container.encode(holdsKey, forKey: .holdsKey)
    }
}

/// One recorded attempt: when, how it went, how long it took.
public struct DeliveryAttempt: Sendable, Equatable, Codable {
    public var destination: String
    public var time: Date
    public var status: Int?
    public var latencyMs: Double
    public var error: String?

    public init(destination: String, time: Date, status: Int?, latencyMs: Double, error: String?) {
        self.destination = destination
        self.time = time
        self.status = status
        self.latencyMs = latencyMs
        self.error = error
    }
}

/// A delivery claimed for an attempt, with everything the attempt needs from its event.
public struct DueDelivery: Sendable {
    /// The store's id of this delivery row.
    public var id: Int64
    public var eventID: String
    public var source: String
    public var destination: String
    public var correlationID: String?
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Attempts made before this one.
    public var attempts: Int
    /// When the delivery was enqueued (or last replayed): its age counts from here.
    public var enqueuedAt: Date
    /// When the event was received.
    public var receivedAt: Date?
    /// The key this delivery is ordered by, on a destination with `ordering`.
    public var orderingKey: String?

    public init(id: Int64, eventID: String, source: String, destination: String, correlationID: String?,
                headers: [(name: String, value: String)], body: [UInt8], attempts: Int, enqueuedAt: Date,
                receivedAt: Date? = nil, orderingKey: String? = nil) {
        self.id = id
        self.eventID = eventID
        self.source = source
        self.destination = destination
        self.correlationID = correlationID
        self.headers = headers
        self.body = body
        self.attempts = attempts
        self.enqueuedAt = enqueuedAt
        self.receivedAt = receivedAt
        self.orderingKey = orderingKey
    }
}

/// Which events a replay takes: one by id, or a source's events received in a time range.
public enum ReplaySelection: Sendable, Equatable {
    case event(id: String)
    case source(name: String, since: Date, until: Date?)
}

/// Which deliveries a listing wants: every condition given must hold. Oldest first unless `newestFirst`, at most
/// `limit`, past the delivery `after` (a cursor: the last one's `id`) in the listing's order.
public struct DeliveryQuery: Sendable, Equatable {
    public var state: DeliveryState?
    public var event: String?
    public var destination: String?
    public var newestFirst = false
    public var limit = 1000
    public var after: Int64?

    public init(state: DeliveryState? = nil, event: String? = nil, destination: String? = nil, newestFirst: Bool = false,
                limit: Int = 1000, after: Int64? = nil) {
        self.state = state
        self.event = event
        self.destination = destination
        self.newestFirst = newestFirst
        self.limit = limit
        self.after = after
    }
}

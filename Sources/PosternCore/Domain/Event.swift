import Foundation

/// An accepted request on its way into the store: everything needed to deliver or audit it later.
public struct IncomingEvent: Sendable {
    public var source: String
    public var idempotencyKey: String
    public var correlationID: String?
    public var receivedAt: Date
    /// The headers that matter to deliver and audit the event (never Authorization or signatures).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var verification: Verification
    public var callerAddress: String?
    /// The verified client certificate's subject, on mutual TLS.
    public var clientSubject: String?
    /// The destinations to deliver to: one outbox row each is written with the event.
    public var destinations: [String]
    /// The event's ordering key for each of those destinations that orders its deliveries (and that the event has
    /// a key for).
    public var orderingKeys: [String: String]

    public init(source: String, idempotencyKey: String, correlationID: String?, receivedAt: Date,
                headers: [(name: String, value: String)], body: [UInt8], verification: Verification,
                callerAddress: String?, clientSubject: String? = nil, destinations: [String] = [],
                orderingKeys: [String: String] = [:]) {
        self.source = source
        self.idempotencyKey = idempotencyKey
        self.correlationID = correlationID
        self.receivedAt = receivedAt
        self.headers = headers
        self.body = body
        self.verification = verification
        self.callerAddress = callerAddress
        self.clientSubject = clientSubject
        self.destinations = destinations
        self.orderingKeys = orderingKeys
    }
}

/// What the store did with an incoming event: stored it anew, or found the same idempotency key already stored.
public enum StoreOutcome: Sendable, Equatable {
    case stored(id: String)
    case duplicate(id: String)
}

/// A stored event as listed by `postern events list`.
public struct StoredEvent: Sendable, Equatable, Codable {
    public var id: String
    public var source: String
    public var idempotencyKey: String
    public var receivedAt: Date
    public var correlationId: String?

    public init(id: String, source: String, idempotencyKey: String, receivedAt: Date, correlationId: String? = nil) {
        self.id = id
        self.source = source
        self.idempotencyKey = idempotencyKey
        self.receivedAt = receivedAt
        self.correlationId = correlationId
    }
}

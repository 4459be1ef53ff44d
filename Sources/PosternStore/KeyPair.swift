import PosternCore

/// A source and idempotency key: the identity of an event.
struct KeyPair: Hashable {
    var source: String
    var key: String

    init(source: String, key: String) {
        self.source = source
        self.key = key
    }

    init(_ event: IncomingEvent) {
        self.init(source: event.source, key: event.idempotencyKey)
    }
}

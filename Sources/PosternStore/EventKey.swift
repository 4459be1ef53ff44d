import PosternCore

/// A source and an idempotency key: the identity of an event, unique in the store.
struct EventKey: Hashable {
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

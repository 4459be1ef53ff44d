/// A destination's `ordering:`: events with the same key are delivered one at a time, in the order they were
/// committed, while different keys go in parallel (up to the destination's concurrency).
public struct DeliveryOrdering: Sendable, Equatable {
    /// Where an event's key is read.
    public enum Key: Sendable, Equatable, CustomStringConvertible {
        /// The first of these JSON pointers that the JSON or form body has (a string or an integer).
        case body([String])
        /// A request header (lower-cased name).
        case header(String)

        public var description: String {
            switch self {
            case .body(let pointers): pointers.map { "body:\($0)" }.joined(separator: " or ")
            case .header(let name): "header:\(name)"
            }
        }
    }

    /// What a key's next event does when the one before it runs out of retries.
    public enum OnFailure: String, Sendable, CaseIterable {
        /// The dead letter holds the key: later events wait until it is replayed or skipped (`postern deliveries skip`).
        case block
        /// The dead letter lets the key go on.
        case skip
    }

    public var key: Key
    public var onFailure: OnFailure

    public init(key: Key, onFailure: OnFailure = .skip) {
        self.key = key
        self.onFailure = onFailure
    }

    /// Parses `body:<JSON pointer>` or `header:<name>`.
    public init?(parsingKey text: String, onFailure: OnFailure = .skip) {
        if text.hasPrefix("body:"), text.dropFirst(5).first == "/" {
            self.init(key: .body([String(text.dropFirst(5))]), onFailure: onFailure)
        } else if text.hasPrefix("header:"), text.count > 7 {
            self.init(key: .header(String(text.dropFirst(7)).lowercased()), onFailure: onFailure)
        } else {
            return nil
        }
    }

    /// An event's key: nil when it has none (its delivery is then not ordered). `document` is the JSON or form body's
    /// fields, `header` finds a request header by lower-cased name.
    public func key(document: JSONValue?, header: (String) -> String?) -> String? {
        switch key {
        case .body(let pointers): pointers.lazy.compactMap { document?.value(at: $0)?.keyText }.first
        case .header(let name): header(name).flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// A stored event's key (for a replay that creates the delivery): read from its body as stored and its kept headers.
    public func key(storedBody body: [UInt8], headers: [(name: String, value: String)]) -> String? {
        key(document: readsBody ? StoredBody.fields(body, headers: headers) : nil) { name in
            headers.first { $0.name.lowercased() == name }?.value
        }
    }

    /// The header the key reads, if it reads one (it is kept with the event, so a replay reads it too).
    public var headerName: String? {
        if case .header(let name) = key { name } else { nil }
    }

    /// Whether the key reads the body (which then must have fields: JSON or a form).
    public var readsBody: Bool {
        if case .body = key { true } else { false }
    }
}

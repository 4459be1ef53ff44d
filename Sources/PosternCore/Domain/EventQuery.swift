import Foundation

/// Which stored events a listing wants: every condition given must hold. In receive order (then by id) unless
/// `newestFirst`, at most `limit`, after `after`.
public struct EventQuery: Sendable, Equatable {
    public var source: String?
    /// Received at or after.
    public var since: Date?
    /// Received before.
    public var until: Date?
    public var state: EventState?
    public var correlationID: String?
    public var idempotencyKey: String?
    /// A field of the body equal to a value (JSON and form bodies).
    public var bodyField: BodyFieldMatch?
    public var newestFirst = false
    public var limit = 1000
    /// Only events after this one in the listing's order: the next page.
    public var after: EventCursor?

    public init(source: String? = nil, since: Date? = nil, until: Date? = nil, state: EventState? = nil,
                correlationID: String? = nil, idempotencyKey: String? = nil, bodyField: BodyFieldMatch? = nil,
                newestFirst: Bool = false, limit: Int = 1000, after: EventCursor? = nil) {
        self.source = source
        self.since = since
        self.until = until
        self.state = state
        self.correlationID = correlationID
        self.idempotencyKey = idempotencyKey
        self.bodyField = bodyField
        self.newestFirst = newestFirst
        self.limit = limit
        self.after = after
    }
}

/// Where a page of events ended: the last event's receive time (in milliseconds) and id, the listing's order.
/// Written `<milliseconds>.<id>`; opaque to API callers.
public struct EventCursor: Sendable, Equatable {
    public var receivedAtMilliseconds: Int
    public var id: String

    public init(after event: StoredEvent) {
        receivedAtMilliseconds = Int((event.receivedAt.timeIntervalSince1970 * 1000).rounded())
        id = event.id
    }

    public init?(_ text: String) {
        guard let dot = text.firstIndex(of: "."), text.distance(from: text.startIndex, to: dot) <= 15,
              let millis = Int(text[..<dot]), millis >= 0 else { return nil }
        let id = text[text.index(after: dot)...]
        guard id.hasPrefix("evt_"), id.count == 36, id.dropFirst(4).allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        receivedAtMilliseconds = millis
        self.id = String(id)
    }

    public var text: String { "\(receivedAtMilliseconds).\(id)" }
}

/// A body's field, by JSON pointer, equal to a value: `/sessionId` = `abc`. A form body is the object of its fields
/// (`/From`; a repeated field an array: `/Tag/1`), as `FormBody` reads it. A token of digits is an array
/// index (`/payload/0/type`). Strings compare as they are, numbers as their text (`/priority` = `3`).
public struct BodyFieldMatch: Sendable, Equatable {
    public var tokens: [String]
    public var value: String

    /// Parses `/pointer=value`; nil when it is not a pointer (it must start with `/`) followed by `=`.
    public init?(_ text: String) {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        self.init(pointer: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }

    /// Nil when `pointer` does not start with `/`, or holds a `"` or a control character: SQLite's JSON paths
    /// cannot quote them, and no contact-center field is named so.
    public init?(pointer: String, value: String) {
        guard pointer.hasPrefix("/"), !pointer.unicodeScalars.contains(where: { $0 == "\"" || $0.properties.generalCategory == .control }) else {
            return nil
        }
        tokens = pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
        self.value = value
    }

    /// The JSON pointer, written back (`~0` for `~`, `~1` for `/`).
    public var pointer: String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }
}

/// Where an event stands with its deliveries.
public enum EventState: String, Sendable, CaseIterable {
    /// Stored, with no destination to deliver to.
    case stored
    /// At least one delivery still to be made.
    case pending
    /// Delivered to every destination.
    case delivered
    /// At least one delivery dead-lettered.
    case dead
}

/// One stored event whole, as `postern events show` prints it: what was received (the kept headers, never
/// credentials or signatures, and the raw body), how it was verified, and who sent it.
public struct EventDetail: Sendable {
    public var event: StoredEvent
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The stored verification record (`scheme`, `secretIndex`, `timestamp`, …) as JSON text.
    public var verification: String
    public var caller: String?
    public var clientSubject: String?

    public init(event: StoredEvent, headers: [(name: String, value: String)], body: [UInt8], verification: String,
                caller: String?, clientSubject: String?) {
        self.event = event
        self.headers = headers
        self.body = body
        self.verification = verification
        self.caller = caller
        self.clientSubject = clientSubject
    }
}

import Foundation
import PosternCore
import Synchronization

/// The live stream of decisions behind `GET /admin/v1/decisions` and the console's live tail: each decision,
/// numbered, without a secret or a body. The last `capacity` are kept, so a subscriber that reconnects with
/// `Last-Event-ID` after a short gap gets what it missed first.
public final class DecisionFeed: Sendable {
    /// One decision as the stream shows it.
    public struct Entry: Sendable, Encodable {
        /// `<process start>-<sequence>`: a different process never reuses an id, so a resume across a restart
        /// is seen for what it is. Written when the entry is sent, not when it is kept.
        public var id: String { "\(epoch)-\(sequence)" }
        let epoch: String
        var sequence: UInt64
        public var time: Date
        /// `accepted` or `refused`.
        public var outcome: String
        public var reason: String
        public var status: Int
        public var source: String?
        public var caller: String?
        public var method: String
        public var path: String
        public var latencyMs: Double
        public var eventId: String?
        public var correlationId: String?

        enum CodingKeys: String, CodingKey {
            case id, time, outcome, reason, status, source, caller, method, path, latencyMs, eventId, correlationId
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(time, forKey: .time)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(reason, forKey: .reason)
            try container.encode(status, forKey: .status)
            try container.encode(source, forKey: .source)
            try container.encode(caller, forKey: .caller)
            try container.encode(method, forKey: .method)
            try container.encode(path, forKey: .path)
            try container.encode(latencyMs, forKey: .latencyMs)
            try container.encode(eventId, forKey: .eventId)
            try container.encode(correlationId, forKey: .correlationId)
        }
    }

    /// What a subscriber receives first: the kept entries after its `Last-Event-ID`, and whether some it asked for
    /// were no longer kept (or came from another process).
    public struct Backlog: Sendable {
        public var entries: [Entry]
        public var gap: Bool
    }

    struct State {
        var kept: [Entry] = []
        var first = 0
        var next: UInt64 = 1
        var subscribers: [UInt64: AsyncStream<Entry>.Continuation] = [:]
        var nextSubscriber: UInt64 = 0
        var closed = false
    }

    public let capacity: Int
    /// How many streams may be open at once: each holds a connection and a buffer.
    public let maxSubscribers: Int
    private let epoch: String
    private let state = Mutex(State())

    public init(capacity: Int = 2048, maxSubscribers: Int = 32, now: Date = Date()) {
        self.capacity = capacity
        self.maxSubscribers = maxSubscribers
        epoch = String(Int(now.timeIntervalSince1970 * 1000))
    }

    func publish(_ decision: Decision) {
        state.withLock { state in
            guard !state.closed else { return }
            let entry = Entry(
                epoch: epoch, sequence: state.next, time: decision.time,
                outcome: decision.reason.isSuccess ? "accepted" : "refused", reason: decision.reason.rawValue,
                status: decision.status, source: decision.source, caller: decision.caller, method: decision.method,
                path: decision.path, latencyMs: (decision.latency.seconds * 1_000_000).rounded() / 1000,
                eventId: decision.eventID, correlationId: decision.correlationID)
            state.next += 1
            if state.kept.count < capacity {
                state.kept.append(entry)
            } else {
                state.kept[state.first] = entry
                state.first = (state.first + 1) % capacity
            }
            for continuation in state.subscribers.values { continuation.yield(entry) }
        }
    }

    /// Subscribes: the backlog after `lastEventID` (none without one), then every new entry until `close()` or
    /// the stream is dropped. Nil when `maxSubscribers` streams are open already, or the feed is closed.
    public func subscribe(after lastEventID: String?) -> (backlog: Backlog, entries: AsyncStream<Entry>)? {
        let (stream, continuation) = AsyncStream.makeStream(of: Entry.self, bufferingPolicy: .bufferingNewest(capacity))
        let subscribed: (UInt64, Backlog)? = state.withLock { state in
            guard !state.closed, state.subscribers.count < maxSubscribers else { return nil }
            let key = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[key] = continuation
            return (key, backlog(after: lastEventID, state))
        }
        guard let (key, backlog) = subscribed else { return nil }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: key) }
        }
        return (backlog, stream)
    }

    /// Ends every stream (graceful shutdown), so the admin listener's connections can close.
    public func close() {
        let continuations = state.withLock { state in
            state.closed = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }

    private func backlog(after lastEventID: String?, _ state: State) -> Backlog {
        guard let lastEventID else { return Backlog(entries: [], gap: false) }
        let ordered = Array(state.kept[state.first...] + state.kept[..<state.first])
        let parts = lastEventID.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, parts[0] == epoch, let seen = UInt64(parts[1]), seen < state.next else {
            return Backlog(entries: ordered, gap: true)
        }
        let missed = ordered.filter { $0.sequence > seen }
        let oldestKept = ordered.first?.sequence ?? state.next
        return Backlog(entries: missed, gap: seen + 1 < oldestKept)
    }
}

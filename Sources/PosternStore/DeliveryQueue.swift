import Foundation
import PosternCore

/// The outbox: deliveries written with their events, claimed by the dispatcher, finished attempt by attempt,
/// listed and replayed by operators.
public protocol DeliveryQueue: Sendable {
    /// Claims up to `limit` pending deliveries of `destination` that are due at `now`, oldest due first.
    /// A claimed delivery is not handed out again until it is finished or released.
    func claimDue(destination: String, now: Date, limit: Int) async throws -> [DueDelivery]
    /// Records an attempt and what follows it (delivered, retry at a time, dead letter); durable when it returns.
    /// With `holdsKey`, a keyed delivery that goes dead holds its key: later ones of that key wait for `releaseKey`
    /// or a replay.
    func finish(_ delivery: DueDelivery, attempt: DeliveryAttempt, verdict: DeliveryVerdict, holdsKey: Bool,
                now: Date) async throws
    /// Gives back a claimed delivery without an attempt (on shutdown).
    func release(_ delivery: DueDelivery) async
    /// How long a claim lasts unless renewed; nil when claims last as long as the process (SQLite).
    var lease: Duration? { get }
    /// Extends the claim of a delivery whose attempt is still running.
    func renewLease(_ delivery: DueDelivery, now: Date) async
    /// The deliveries a query selects, in its order.
    func deliveries(matching query: DeliveryQuery) async throws -> [DeliveryRecord]
    /// Every attempt made for an event's deliveries, oldest first.
    func attempts(event: String) async throws -> [DeliveryAttempt]
    /// Queues the selected events again, to `destinations(source)` each: new deliveries are created (keyed by the
    /// destination's ordering, if it has one in `orderings`), existing ones reset to pending with their attempts
    /// cleared. Calls `progress(done, total)` after each batch of events; returns how many deliveries were queued.
    func replay(_ selection: ReplaySelection, destinations: @escaping @Sendable (String) -> [String],
                orderings: [String: DeliveryOrdering], now: Date, progress: @escaping @Sendable (Int, Int) -> Void) async throws -> Int
    /// Queues these events again, to `destinations(source)` each, like `replay`; with `onlyDead`, only the dead
    /// letters among those deliveries. Returns how many deliveries were queued.
    func requeue(_ events: [(id: String, source: String)], destinations: @escaping @Sendable (String) -> [String],
                 orderings: [String: DeliveryOrdering], onlyDead: Bool, now: Date) async throws -> Int
    /// Lets the key that an event's dead letter to `destination` holds go on, without delivering it (a manual skip).
    /// Returns whether it held one.
    func releaseKey(event: String, destination: String) async throws -> Bool
    /// How many deliveries wait (pending) and how many are dead, per destination.
    func depth() async throws -> [QueueDepth]
    /// Each destination's oldest pending delivery (by enqueueing), for the backlog alert.
    func oldestPending() async throws -> [OldestPending]
}

extension DeliveryQueue {
    /// Deliveries in the order they were queued, optionally in one state or of one event.
    public func deliveries(state: DeliveryState?, event: String?, limit: Int) async throws -> [DeliveryRecord] {
        try await deliveries(matching: DeliveryQuery(state: state, event: event, limit: limit))
    }

    public var lease: Duration? { nil }
    public func renewLease(_ delivery: DueDelivery, now: Date) async {}
}

/// A destination's oldest pending delivery: its id and when it was enqueued.
public struct OldestPending: Sendable, Equatable {
    public var destination: String
    public var id: Int64
    public var enqueuedAt: Date

    public init(destination: String, id: Int64, enqueuedAt: Date) {
        self.destination = destination
        self.id = id
        self.enqueuedAt = enqueuedAt
    }
}

/// One destination's backlog.
public struct QueueDepth: Sendable, Equatable {
    public var destination: String
    public var pending: Int
    public var dead: Int

    public init(destination: String, pending: Int, dead: Int) {
        self.destination = destination
        self.pending = pending
        self.dead = dead
    }
}

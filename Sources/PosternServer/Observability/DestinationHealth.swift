import Foundation
import PosternCore
import PosternDelivery
import Synchronization

/// What this process last saw of each destination: its circuit, its last attempt and success, and its last failure
/// (the status or what went wrong, never the backend's answer body). `GET /admin/v1/destinations` and the console
/// show it beside the store's backlog.
public final class DestinationHealth: Sendable {
    /// One destination's latest.
    public struct Status: Sendable, Encodable {
        public var circuit = CircuitBreaker.State.closed.rawValue
        @AlwaysWritten public var lastAttemptAt: Date?
        @AlwaysWritten public var lastDeliveredAt: Date?
        @AlwaysWritten public var lastError: LastError?
    }

    /// A failed attempt: when, the HTTP status if there was one, and a short summary.
    public struct LastError: Sendable, Encodable {
        public var at: Date
        @AlwaysWritten public var status: Int?
        public var error: String
    }

    private let statuses = Mutex<[String: Status]>([:])

    public init() {}

    public func status(_ destination: String) -> Status {
        statuses.withLock { $0[destination] } ?? Status()
    }

    func attempted(_ destination: String, at time: Date, result: AttemptResult) {
        statuses.withLock { all in
            var status = all[destination] ?? Status()
            status.lastAttemptAt = time
            if result.classification == .delivered {
                status.lastDeliveredAt = time
            } else {
                status.lastError = LastError(at: time, status: result.status, error: result.summary)
            }
            all[destination] = status
        }
    }

    func circuitChanged(_ destination: String, to state: CircuitBreaker.State) {
        statuses.withLock { $0[destination, default: Status()].circuit = state.rawValue }
    }
}

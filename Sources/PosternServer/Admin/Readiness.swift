import ServiceLifecycle
import Synchronization

/// Whether the gateway can take traffic: the store is open and shutdown has not begun.
public final class Readiness: Sendable {
    private let ready = Mutex(false)

    public init() {}

    public var isReady: Bool { ready.withLock { $0 } }

    public func set(_ value: Bool) { ready.withLock { $0 = value } }
}

/// Marks the gateway ready while it runs and not ready as soon as graceful shutdown begins. It is the last service
/// of the group, so it is the first to hear of the shutdown, before the listeners stop.
struct ReadinessService: Service {
    let readiness: Readiness
    /// Closed with readiness, so the admin listener's decision streams end and its connections can close.
    let feed: DecisionFeed?

    func run() async throws {
        readiness.set(true)
        try? await gracefulShutdown()
        readiness.set(false)
        feed?.close()
    }
}

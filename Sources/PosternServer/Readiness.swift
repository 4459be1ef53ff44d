import Synchronization

/// Whether the gateway can take traffic: the store is open and shutdown has not begun.
public final class Readiness: Sendable {
    private let ready = Mutex(false)

    public init() {}

    public var isReady: Bool { ready.withLock { $0 } }

    public func set(_ value: Bool) { ready.withLock { $0 = value } }
}

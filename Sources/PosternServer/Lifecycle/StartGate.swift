import ServiceLifecycle
import Synchronization

/// Opens once every listener is bound: the services behind it (the dispatcher, retention) start only then, so a
/// gateway that fails to start makes no delivery attempt on its way out.
final class StartGate: Sendable {
    private let remaining: Mutex<Int>
    private let opened: AsyncStream<Never>
    private let open: AsyncStream<Never>.Continuation

    init(listeners: Int) {
        remaining = Mutex(listeners)
        (opened, open) = AsyncStream<Never>.makeStream()
        if listeners == 0 { open.finish() }
    }

    /// One listener is bound.
    func arrive() {
        let isLast = remaining.withLock { count -> Bool in
            count -= 1
            return count == 0
        }
        if isLast { open.finish() }
    }

    /// Returns when the gate opens, or when the task is cancelled or the gateway shuts down first; true if it opened.
    func wait() async -> Bool {
        await withGracefulShutdownHandler {
            for await _ in opened {}
        } onGracefulShutdown: {
            self.open.finish()
        }
        return remaining.withLock { $0 <= 0 } && !Task.isCancelled
    }
}

/// A service that starts once its gate opens.
struct GatedService: Service {
    let gate: StartGate
    let service: any Service

    func run() async throws {
        guard await gate.wait() else { return }
        try await service.run()
    }
}

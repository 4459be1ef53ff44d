import Synchronization

/// Wakes the dispatcher early: rung when new deliveries are committed or a slot frees up; the dispatcher waits on
/// it between rounds, up to its poll interval. A ring while nobody waits is kept for the next wait.
public final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    public func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when rung (at once if rung since the last wait), or after `timeout`. One waiter at a time.
    public func wait(upTo timeout: Duration) async {
        let timer = Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { self.ring() }
        }
        await withCheckedContinuation { continuation in
            let alreadyRung = state.withLock { state -> Bool in
                if state.rung {
                    state.rung = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if alreadyRung { continuation.resume() }
        }
        timer.cancel()
    }
}

import Synchronization

/// Runs `operation`, giving up with `StoreTimeout` after `limit`: a server store that does not answer (PostgreSQL
/// down, the pool waiting for a connection) must turn into a quick 503, not a hung request. The operation is
/// cancelled, but not awaited: a commit still in flight may land later (a retry of the event is then a duplicate).
/// When the operation wins, its timer is cancelled rather than left sleeping.
func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let outcome = FirstOutcome(continuation)
        let timer = Mutex<Task<Void, Never>?>(nil)
        let work = Task {
            let result: Result<T, any Error>
            do {
                result = .success(try await operation())
            } catch {
                result = .failure(error)
            }
            if outcome.resume(with: result) { timer.withLock { $0?.cancel() } }
        }
        let sleeper = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            if outcome.resume(with: .failure(StoreTimeout(after: limit))) { work.cancel() }
        }
        timer.withLock { $0 = sleeper }
        if outcome.isResumed { sleeper.cancel() }   // the operation won before the timer was stored
    }
}

/// Resumes a continuation with whichever result comes first.
private final class FirstOutcome<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

    var isResumed: Bool { continuation.withLock { $0 == nil } }

    /// Whether this result was the first.
    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        guard let continuation = continuation.withLock({ $0.take() }) else { return false }
        continuation.resume(with: result)
        return true
    }
}

/// The store did not answer in time.
public struct StoreTimeout: Error, CustomStringConvertible {
    public var after: Duration
    public var description: String { "the store did not answer within \(after.seconds) s" }
}

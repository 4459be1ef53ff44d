import Synchronization

/// Runs `operation`, giving up with `StoreTimeout` after `seconds`: a server store that does not answer (PostgreSQL
/// down, the pool waiting for a connection) must turn into a quick 503, not a hung request. The operation is
/// cancelled, but not awaited: a commit still in flight may land later (a retry of the event is then a duplicate).
func withDeadline<T: Sendable>(_ seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let outcome = FirstOutcome(continuation)
        let work = Task {
            do {
                outcome.resume(with: .success(try await operation()))
            } catch {
                outcome.resume(with: .failure(error))
            }
        }
        Task {
            try? await Task.sleep(for: .seconds(seconds))
            if outcome.resume(with: .failure(StoreTimeout(seconds: seconds))) { work.cancel() }
        }
    }
}

/// Resumes a continuation with whichever result comes first.
private final class FirstOutcome<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

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
    public var seconds: Double
    public var description: String { "the store did not answer within \(seconds) s" }
}

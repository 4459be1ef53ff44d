/// Runs `operation`, giving up with `StoreTimeout` after `seconds`: a server store that does not answer (PostgreSQL
/// down, the pool waiting for a connection) must turn into a quick 503, not a hung request.
func withDeadline<T: Sendable>(_ seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw StoreTimeout(seconds: seconds)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// The store did not answer in time.
public struct StoreTimeout: Error, CustomStringConvertible {
    public var seconds: Double
    public var description: String { "the store did not answer within \(seconds) s" }
}

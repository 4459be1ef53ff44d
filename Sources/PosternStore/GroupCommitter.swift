import Synchronization

/// The one writer of a store: work handed in while a commit is in flight waits and is committed with the rest in the
/// next transaction (group commit), so one fsync acknowledges many events. Both stores write through one.
///
/// The store supplies the transaction (`commit`), and with it what is its own: SQLite's checkpoint hand-off,
/// PostgreSQL's deadline and fail-fast window. Each batch is answered when its transaction commits, or fails as a
/// whole when it does not.
///
/// Work is handed in with a callback (`submit(_:then:)`), under a lock, so the webhook listener's event loop hands an
/// event over with no task, continuation or actor hop of its own; one task drains the queue while it is not empty.
final class GroupCommitter<Work: Sendable, Outcome: Sendable>: Sendable {
    typealias Completion = @Sendable (Result<Outcome, any Error>) -> Void

    private struct Pending {
        var work: Work
        var then: Completion
    }

    private struct State {
        var queue: [Pending] = []
        /// The task committing the queue while it is not empty; `drained` waits for it.
        var writer: Task<Void, Never>?
    }

    private let maxBatch: Int
    private let commit: @Sendable ([Work]) async throws -> CommittedBatch<Outcome>
    private let onCommit: @Sendable (CommitReport) -> Void
    private let state = Mutex(State())

    init(maxBatch: Int, onCommit: @escaping @Sendable (CommitReport) -> Void,
         commit: @escaping @Sendable ([Work]) async throws -> CommittedBatch<Outcome>) {
        self.maxBatch = maxBatch
        self.onCommit = onCommit
        self.commit = commit
    }

    /// Queues `work` for the next transaction; `then` is called with its outcome once that transaction commits, in
    /// the writer's task (it should only hand the outcome on).
    func submit(_ work: Work, then: @escaping Completion) {
        state.withLock { state in
            state.queue.append(Pending(work: work, then: then))
            if state.writer == nil { state.writer = Task { await self.drain() } }
        }
    }

    /// Queues `work` for the next transaction and returns its outcome once that transaction commits.
    func submit(_ work: Work) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            submit(work) { continuation.resume(with: $0) }
        }
    }

    /// The work waiting for the next transaction.
    var queuedCount: Int { state.withLock { $0.queue.count } }

    /// Returns once everything queued so far is answered.
    func drained() async {
        await state.withLock { $0.writer }?.value
    }

    /// Commits the queue, `maxBatch` at a time in arrival order, until it is empty.
    private func drain() async {
        while let batch = nextBatch() {
            let started = ContinuousClock.now
            do {
                let committed = try await commit(batch.map(\.work))
                assert(committed.outcomes.count == batch.count, "one outcome for each piece of work")
                onCommit(CommitReport(batchSize: committed.events, duration: ContinuousClock.now - started,
                                      queuedDeliveries: committed.queuedDeliveries))
                for (pending, outcome) in zip(batch, committed.outcomes) { pending.then(.success(outcome)) }
            } catch {
                for pending in batch { pending.then(.failure(error)) }
            }
        }
    }

    /// The next batch, taken off the queue; nil (and the writer done) when the queue is empty.
    private func nextBatch() -> [Pending]? {
        state.withLock { state in
            guard !state.queue.isEmpty else {
                state.writer = nil
                return nil
            }
            let count = min(maxBatch, state.queue.count)
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            return batch
        }
    }
}

/// What one transaction of a group commit did: an outcome for each piece of work, in order, and what the commit
/// report counts.
struct CommittedBatch<Outcome: Sendable>: Sendable {
    var outcomes: [Outcome]
    /// The events inserted or found already stored (the batch size in `CommitReport`).
    var events: Int
    var queuedDeliveries: Int
}

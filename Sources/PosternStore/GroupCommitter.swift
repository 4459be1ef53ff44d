/// The one writer of a store: work handed in while a commit is in flight waits and is committed with the rest in the
/// next transaction (group commit), so one fsync acknowledges many events. Both stores write through one.
///
/// The store supplies the transaction (`commit`), and with it what is its own: SQLite's checkpoint hand-off,
/// PostgreSQL's deadline and fail-fast window. Each batch is answered when its transaction commits, or fails as a
/// whole when it does not.
actor GroupCommitter<Work: Sendable, Outcome: Sendable> {
    private struct Pending {
        var work: Work
        var continuation: CheckedContinuation<Outcome, any Error>
    }

    private let maxBatch: Int
    private let commit: @Sendable ([Work]) async throws -> CommittedBatch<Outcome>
    private let onCommit: @Sendable (CommitReport) -> Void
    private var queue: [Pending] = []
    /// The task committing the queue while it is not empty; `drained` waits for it.
    private var writer: Task<Void, Never>?

    init(maxBatch: Int, onCommit: @escaping @Sendable (CommitReport) -> Void,
         commit: @escaping @Sendable ([Work]) async throws -> CommittedBatch<Outcome>) {
        self.maxBatch = maxBatch
        self.onCommit = onCommit
        self.commit = commit
    }

    /// Queues `work` for the next transaction and returns its outcome once that transaction commits.
    func submit(_ work: Work) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Pending(work: work, continuation: continuation))
            if writer == nil { writer = Task { await self.drain() } }
        }
    }

    /// The work waiting for the next transaction.
    var queuedCount: Int { queue.count }

    /// Returns once everything queued so far is answered.
    func drained() async {
        await writer?.value
    }

    /// Commits the queue, `maxBatch` at a time in arrival order, until it is empty.
    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            let started = ContinuousClock.now
            do {
                let committed = try await commit(batch.map(\.work))
                assert(committed.outcomes.count == batch.count, "one outcome for each piece of work")
                onCommit(CommitReport(batchSize: committed.events, duration: ContinuousClock.now - started,
                                      queuedDeliveries: committed.queuedDeliveries))
                for (pending, outcome) in zip(batch, committed.outcomes) { pending.continuation.resume(returning: outcome) }
            } catch {
                for pending in batch { pending.continuation.resume(throwing: error) }
            }
        }
        writer = nil
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

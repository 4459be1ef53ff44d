import Synchronization
import Testing
@testable import PosternStore

/// The one writer both stores share: work that waits while a commit is in flight goes into the next transaction,
/// in arrival order and at most `maxBatch` at a time, and a failed transaction fails its batch only.
@Suite struct GroupCommitterTests {
    struct Refused: Error {}

    /// A transaction that holds the first batch until released, records every batch, and refuses any batch holding
    /// a negative number.
    final class Transactions: Sendable {
        let batches = Mutex<[[Int]]>([])
        let gate = AsyncStream<Void>.makeStream()

        func commit(_ batch: [Int]) async throws -> CommittedBatch<String> {
            let isFirst = batches.withLock { batches in
                batches.append(batch)
                return batches.count == 1
            }
            if isFirst { for await _ in gate.stream { break } }
            if batch.contains(where: { $0 < 0 }) { throw Refused() }
            return CommittedBatch(outcomes: batch.map { "done \($0)" }, events: batch.count, queuedDeliveries: batch.count * 2)
        }
    }

    @Test func workArrivingDuringACommitIsCommittedTogetherInOrderUpToTheLimit() async throws {
        let transactions = Transactions()
        let reports = Mutex<[CommitReport]>([])
        let committer = GroupCommitter<Int, String>(maxBatch: 4, onCommit: { report in reports.withLock { $0.append(report) } }) {
            try await transactions.commit($0)
        }
        let first = Task { try await committer.submit(0) }
        while transactions.batches.withLock({ $0.isEmpty }) { await Task.yield() }
        // Queued in a known order while the first transaction is held.
        var waiting: [Task<String, any Error>] = []
        for number in 1...6 {
            waiting.append(Task { try await committer.submit(number) })
            while committer.queuedCount < number { await Task.yield() }
        }
        transactions.gate.continuation.yield()

        #expect(try await first.value == "done 0")
        for (index, task) in waiting.enumerated() { #expect(try await task.value == "done \(index + 1)") }
        #expect(transactions.batches.withLock { $0 } == [[0], [1, 2, 3, 4], [5, 6]])
        #expect(reports.withLock { $0.map(\.batchSize) } == [1, 4, 2])
        #expect(reports.withLock { $0.map(\.queuedDeliveries) } == [2, 8, 4])
    }

    @Test func aFailedTransactionFailsItsBatchAndTheNextBatchStillCommits() async throws {
        let transactions = Transactions()
        let committer = GroupCommitter<Int, String>(maxBatch: 2, onCommit: { _ in }) { try await transactions.commit($0) }
        let first = Task { try await committer.submit(0) }
        while transactions.batches.withLock({ $0.isEmpty }) { await Task.yield() }
        var waiting: [Task<String, any Error>] = []
        for (position, number) in [-1, 2, 3].enumerated() {
            waiting.append(Task { try await committer.submit(number) })
            while committer.queuedCount < position + 1 { await Task.yield() }
        }
        transactions.gate.continuation.yield()

        #expect(try await first.value == "done 0")
        await #expect(throws: Refused.self) { try await waiting[0].value }
        await #expect(throws: Refused.self) { try await waiting[1].value }
        #expect(try await waiting[2].value == "done 3")
        await committer.drained()
        #expect(try await committer.submit(4) == "done 4")
    }
}

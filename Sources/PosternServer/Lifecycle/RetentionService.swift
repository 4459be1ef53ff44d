import Foundation
import Logging
import PosternCore
import PosternStore
import ServiceLifecycle

/// Prunes events older than the configured retention, with their delivery history, a batch per transaction so no
/// lock is held long; runs shortly after start and then every `interval`. Events still being delivered are kept.
public struct RetentionService: Service {
    let store: any EventStore
    let retention: Duration
    let interval: Duration
    let batch: Int
    let logger: Logger
    let clock: WallClock

    public init(store: any EventStore, retention: Duration, interval: Duration = .seconds(600), batch: Int = 1000,
                logger: Logger, clock: WallClock = .system) {
        self.store = store
        self.retention = retention
        self.interval = interval
        self.batch = batch
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .seconds(5))
            while !Task.isCancelled {
                await self.pruneOnce()
                try await Task.sleep(for: self.interval)
            }
        }
    }

    /// Prunes batch after batch until nothing old is left; returns how many events went.
    @discardableResult
    public func pruneOnce() async -> Int {
        let cutoff = clock.now.addingTimeInterval(-retention.seconds)
        var pruned = 0
        do {
            while !Task.isCancelled {
                let count = try await store.prune(receivedBefore: cutoff, limit: batch)
                pruned += count
                if count < batch { break }
            }
        } catch {
            logger.warning("pruning old events failed; will try again", metadata: ["error": "\(error)"])
        }
        if pruned > 0 { logger.info("pruned events past retention", metadata: ["events": "\(pruned)"]) }
        return pruned
    }
}

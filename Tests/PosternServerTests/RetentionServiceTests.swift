import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PosternCore
import PosternServer
import PosternStore
import SQLiteNIO
import Testing

/// The retention service prunes batch after batch until nothing old is left.
struct RetentionServiceTests {
    @Test func prunesEveryOldEventInBatches() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("retention-\(UUID().uuidString).db").path
        let store = try await SQLiteEventStore.open(path: path)
        let now = Date()
        for index in 0..<7 {
            _ = try await store.insert(IncomingEvent(source: "s", idempotencyKey: "k\(index)", correlationID: nil,
                                                     receivedAt: now.addingTimeInterval(index < 5 ? -7200 : 0), headers: [],
                                                     body: Array("{}".utf8), verification: Verification(scheme: "t"),
                                                     callerAddress: nil))
        }
        let service = RetentionService(store: store, retention: .seconds(3600), batch: 2, logger: Logger(label: "test"), clock: WallClock { now })
        #expect(await service.pruneOnce() == 5)
        #expect(try await store.events(source: nil, limit: 10).count == 2)
        try await store.close()
    }
}

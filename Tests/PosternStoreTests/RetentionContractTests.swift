import Foundation
import PosternCore
import PosternStore
import Synchronization
import Testing

/// Retention: old events go with their delivery history, in batches; events still being delivered stay.
struct RetentionContractTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func event(_ key: String, at time: Date, destinations: [String]) -> IncomingEvent {
        IncomingEvent(source: "s", idempotencyKey: key, correlationID: nil, receivedAt: time, headers: [],
                      body: Array("{}".utf8), verification: Verification(scheme: "test"), callerAddress: nil,
                      destinations: destinations)
    }

    @Test(arguments: StoreKind.available)
    func oldEventsArePrunedInBatchesButPendingOnesStay(_ kind: StoreKind) async throws {
        let store = try await StoreOpener.open(try await kind.freshLocation())
        let old = now.addingTimeInterval(-10 * 86_400)
        for index in 0..<5 { _ = try await store.insert(event("old-\(index)", at: old, destinations: ["a"])) }
        _ = try await store.insert(event("old-pending", at: old, destinations: ["b"]))
        _ = try await store.insert(event("recent", at: now, destinations: []))
        for delivery in try await store.claimDue(destination: "a", now: now, limit: 10) {
            try await store.finish(delivery, attempt: DeliveryAttempt(destination: "a", time: now, status: 200, latencyMs: 1, error: nil),
                                   verdict: .delivered, holdsKey: false, now: now)
        }
        let cutoff = now.addingTimeInterval(-7 * 86_400)
        #expect(try await store.prune(receivedBefore: cutoff, limit: 2) == 2)
        #expect(try await store.prune(receivedBefore: cutoff, limit: 2) == 2)
        #expect(try await store.prune(receivedBefore: cutoff, limit: 2) == 1)
        #expect(try await store.prune(receivedBefore: cutoff, limit: 2) == 0)
        #expect(Set(try await store.events(source: nil, limit: 10).map(\.idempotencyKey)) == ["old-pending", "recent"])
        #expect(try await store.deliveries(state: nil, event: nil, limit: 10).map(\.destination) == ["b"])
        try await store.close()
    }
}

import Foundation
import Logging
import PosternCore
import PosternDelivery
import PosternStore
import Testing

/// Delivery to Genesys Cloud Open Messaging against a fake login and API host, on a manual clock: one token for a
/// burst, one refresh before expiry however many deliveries wait, one re-authentication after a 401, Retry-After and
/// the per-minute pace honoured.
struct GenesysDestinationTests {
    let fake: FakeGenesys
    let store: SQLiteEventStore
    let clock = ManualClock()
    let client = DeliveryClient()

    init() async throws {
        fake = try await FakeGenesys.start()
        store = try await SQLiteEventStore.open(
            path: FileManager.default.temporaryDirectory.appendingPathComponent("postern-genesys-\(UUID().uuidString).db").path)
    }

    func dispatcher(requestsPerMinute: Double = 6000, clientSecret: String = FakeGenesys.clientSecret) -> Dispatcher {
        let settings = GenesysSettings(apiBase: fake.base, loginBase: fake.base, clientId: FakeGenesys.clientId,
                                       clientSecret: clientSecret, integrationId: "integration-1",
                                       requestsPerMinute: requestsPerMinute)
        let destination = DestinationConfig(name: "genesys", url: settings.inboundURL, timeout: .seconds(5),
                                            retry: RetryPolicy(maxAttempts: 5, minDelay: .seconds(1), maxDelay: .seconds(10)),
                                            concurrency: 8, genesys: settings)
        let clock = clock
        return Dispatcher(queue: store, destinations: [destination], client: client, observer: RecordingObserver(),
                          logger: Logger(label: "test"), clock: WallClock { clock.now }, random: { 0 })
    }

    @discardableResult
    func ingest(_ count: Int, prefix: String = "m") async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let body = "{\"sessionId\":\"s-\(index)\",\"userId\":\"u-\(index)\",\"transcript\":\"hello \(index)\",\"timestamp\":\"2026-11-25T10:00:00Z\"}"
            let event = IncomingEvent(source: "cognigy", idempotencyKey: "\(prefix)-\(index)", correlationID: nil,
                                      receivedAt: clock.now, headers: [], body: Array(body.utf8),
                                      verification: Verification(scheme: "test"), callerAddress: nil, destinations: ["genesys"])
            if case .stored(let id) = try await store.insert(event) { ids.append(id) }
        }
        return ids
    }

    func deliverAll(_ dispatcher: Dispatcher) async {
        while await dispatcher.deliverDue() > 0 {}
    }

    func stop() async throws {
        fake.stop()
        await client.shutdown()
        try await store.close()
    }

    @Test func aBurstOfDeliveriesSharesOneToken() async throws {
        let dispatcher = dispatcher()
        try await ingest(20)
        await deliverAll(dispatcher)
        #expect(fake.messageCount == 20)
        #expect(fake.tokenRequests == 1)
        let message = try #require(fake.messages.first { $0["text"] as? String == "hello 0" })
        let channel = try #require(message["channel"] as? [String: Any])
        #expect((channel["from"] as? [String: Any])?["id"] as? String == "u-0")
        #expect(channel["time"] as? String == "2026-11-25T10:00:00.000Z")
        #expect(message["text"] as? String == "hello 0")
        try await stop()
    }

    @Test func theTokenIsRefreshedOnceBeforeExpiryUnderConcurrency() async throws {
        fake.state.withLock { $0.expiresIn = 120 }
        let dispatcher = dispatcher()
        try await ingest(8, prefix: "a")
        await deliverAll(dispatcher)
        #expect(fake.tokenRequests == 1)
        clock.advance(59)
        try await ingest(8, prefix: "b")
        await deliverAll(dispatcher)
        #expect(fake.tokenRequests == 1, "61 s left: the token is still used")
        clock.advance(2)
        try await ingest(8, prefix: "c")
        await deliverAll(dispatcher)
        #expect(fake.tokenRequests == 2, "59 s left: one refresh for 8 concurrent deliveries")
        #expect(fake.messageCount == 24)
        try await stop()
    }

    @Test func a401RenewsTheTokenOnceAndDelivers() async throws {
        fake.state.withLock { $0.next = [.unauthorized] }
        let dispatcher = dispatcher()
        let ids = try await ingest(1)
        await dispatcher.deliverDue()
        #expect(fake.tokenRequests == 2 && fake.messageCount == 1)
        let record = try #require(try await store.deliveries(state: nil, event: ids[0], limit: 1).first)
        #expect(record.state == .delivered && record.attempts == 1)
        try await stop()
    }

    @Test func aRetryAfterIsNeverRetriedSooner() async throws {
        fake.state.withLock { $0.next = [.tooManyRequests(retryAfter: "7")] }
        let dispatcher = dispatcher()
        let ids = try await ingest(1)
        await dispatcher.deliverDue()
        clock.advance(6.9)
        #expect(await dispatcher.deliverDue() == 0)
        clock.advance(0.1)
        #expect(await dispatcher.deliverDue() == 1)
        #expect(try await store.deliveries(state: nil, event: ids[0], limit: 1).first?.state == .delivered)
        try await stop()
    }

    @Test func deliveriesKeepThePacePerMinute() async throws {
        let dispatcher = dispatcher(requestsPerMinute: 120)
        try await ingest(6)
        #expect(await dispatcher.deliverDue() == 2, "a burst of one second's worth")
        #expect(await dispatcher.deliverDue() == 0)
        clock.advance(0.5)
        #expect(await dispatcher.deliverDue() == 1)
        clock.advance(1)
        #expect(await dispatcher.deliverDue() == 2)
        try await stop()
    }

    @Test func aRefusedClientIsADeadLetterWithGenesysWords() async throws {
        let dispatcher = dispatcher(clientSecret: "wrong")
        let ids = try await ingest(1)
        await dispatcher.deliverDue()
        let record = try #require(try await store.deliveries(state: nil, event: ids[0], limit: 1).first)
        #expect(record.state == .dead && record.lastStatus == 401)
        #expect(record.lastError?.contains("invalid_client: client not found") == true)
        #expect(record.lastError?.contains("wrong") == false, "the secret never appears")
        try await stop()
    }

    @Test func anUnavailableLoginHostIsRetried() async throws {
        fake.state.withLock { $0.tokenStatus = 503 }
        let dispatcher = dispatcher()
        let ids = try await ingest(1)
        await dispatcher.deliverDue()
        #expect(try await store.deliveries(state: nil, event: ids[0], limit: 1).first?.state == .pending)
        fake.state.withLock { $0.tokenStatus = 200 }
        clock.advance(1)
        await dispatcher.deliverDue()
        #expect(try await store.deliveries(state: nil, event: ids[0], limit: 1).first?.state == .delivered)
        try await stop()
    }
}

import Foundation
import PosternCore
import PosternDelivery
import PosternStore
import PosternVerify
import Synchronization
import Testing
import Logging

/// Records what the dispatcher reports.
final class RecordingObserver: DeliveryObserver {
    let verdicts = Mutex<[DeliveryVerdict]>([])
    let circuits = Mutex<[CircuitBreaker.State]>([])

    func attempted(_ delivery: DueDelivery, result: AttemptResult, verdict: DeliveryVerdict) {
        verdicts.withLock { $0.append(verdict) }
    }

    func circuitChanged(destination: String, to state: CircuitBreaker.State) {
        circuits.withLock { $0.append(state) }
    }
}

/// A real SQLite outbox, a real backend on loopback and a dispatcher on a manual clock: every path of a delivery,
/// with no real waiting between attempts.
struct Harness {
    let backend: TestBackend
    let store: SQLiteEventStore
    let clock = ManualClock()
    let observer = RecordingObserver()
    let dispatcher: Dispatcher
    let client = DeliveryClient()

    static let fastRetry = RetryPolicy(maxAttempts: 5, minDelay: .seconds(1), maxDelay: .seconds(60), maxAge: .seconds(3600), retryAfterCap: .seconds(180))

    init(retry: RetryPolicy = Harness.fastRetry, circuit: CircuitBreakerPolicy = CircuitBreakerPolicy(failureThreshold: 1000),
         timeout: Duration = .seconds(2), concurrency: Int = 8, headers: [(name: String, value: String)] = [],
         signingSecret: String? = nil) async throws {
        backend = try await TestBackend.start()
        store = try await SQLiteEventStore.open(
            path: FileManager.default.temporaryDirectory.appendingPathComponent("postern-dispatch-\(UUID().uuidString).db").path)
        let destination = DestinationConfig(name: "backend", url: backend.url, timeout: timeout, headers: headers,
                                            retry: retry, circuit: circuit, signingSecret: signingSecret,
                                            concurrency: concurrency)
        let clock = clock
        dispatcher = Dispatcher(queue: store, destinations: [destination], client: client, observer: observer,
                                logger: Logger(label: "test"), clock: WallClock { clock.now }, random: { 0.5 })
    }

    func ingest(_ key: String, headers: [(name: String, value: String)] = [("Content-Type", "application/json")],
                body: String? = nil) async throws -> String {
        let event = IncomingEvent(source: "cognigy", idempotencyKey: key, correlationID: "corr-\(key)", receivedAt: clock.now,
                                  headers: headers, body: Array((body ?? "{\"id\":\"\(key)\"}").utf8),
                                  verification: Verification(scheme: "test"), callerAddress: nil, destinations: ["backend"])
        switch try await store.insert(event) {
        case .stored(let id), .duplicate(let id): return id
        }
    }

    func record(_ event: String) async throws -> DeliveryRecord {
        try #require(try await store.deliveries(state: nil, event: event, limit: 1).first)
    }

    func stop() async throws {
        backend.stop()
        await client.shutdown()
        try await store.close()
    }
}

struct DispatcherTests {
    @Test func deliversTheRawBodyWithStableHeaders() async throws {
        let harness = try await Harness(headers: [("Authorization", "Bearer backend-token")])
        let trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let body = "{\"id\": \"k1\",  \"text\": \"unchanged bytes\"}"
        let id = try await harness.ingest("k1", headers: [
            ("Content-Type", "application/json; charset=utf-8"), ("traceparent", trace), ("User-Agent", "Cognigy/4"),
            ("Authorization", "Bearer caller-secret"), ("X-Custom", "not forwarded"),
        ], body: body)
        #expect(await harness.dispatcher.deliverDue() == 1)

        let request = try #require(harness.backend.requests.first)
        #expect(request.body == Array(body.utf8))
        #expect(request.headers["idempotency-key"] == id)
        #expect(request.headers["x-correlation-id"] == "corr-k1")
        #expect(request.headers["content-type"] == "application/json; charset=utf-8")
        #expect(request.headers["user-agent"] == "Cognigy/4")
        #expect(request.headers["authorization"] == "Bearer backend-token")
        #expect(request.headers["x-custom"] == nil)
        let parent = try #require(request.headers["traceparent"]).split(separator: "-")
        #expect(parent.count == 4 && parent[1] == "0af7651916cd43dd8448eb211c80319c" && parent[2] != "b7ad6b7169203331")
        #expect(try await harness.record(id).state == .delivered)
        #expect(harness.observer.verdicts.withLock { $0 } == [.delivered])
        try await harness.stop()
    }

    @Test func retriesA500AfterTheBackoffWithTheSameIdempotencyKey() async throws {
        let harness = try await Harness()
        harness.backend.set(.status(500))
        let id = try await harness.ingest("k1")
        #expect(await harness.dispatcher.deliverDue() == 1)
        var record = try await harness.record(id)
        #expect(record.state == .pending && record.attempts == 1 && record.lastStatus == 500)
        #expect(record.nextAttemptAt == harness.clock.now.addingTimeInterval(1), "first backoff: minDelay")
        #expect(await harness.dispatcher.deliverDue() == 0, "not due before the backoff ends")

        harness.clock.advance(1)
        harness.backend.set(.ok)
        #expect(await harness.dispatcher.deliverDue() == 1)
        record = try await harness.record(id)
        #expect(record.state == .delivered && record.attempts == 2)
        #expect(try await harness.store.attempts(event: id).map(\.status) == [500, 200])
        #expect(harness.backend.requests.map { $0.headers["idempotency-key"] } == [id, id])
        try await harness.stop()
    }

    @Test(arguments: ["30", "http-date"])
    func honoursRetryAfter(_ form: String) async throws {
        let harness = try await Harness()
        let value = form == "30" ? "30" : {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            return formatter.string(from: harness.clock.now.addingTimeInterval(30))
        }()
        harness.backend.set(.retryAfter(status: 429, value: value))
        let id = try await harness.ingest("k1")
        #expect(await harness.dispatcher.deliverDue() == 1)
        #expect(try await harness.record(id).nextAttemptAt == harness.clock.now.addingTimeInterval(30))
        harness.backend.set(.ok)
        harness.clock.advance(29)
        #expect(await harness.dispatcher.deliverDue() == 0, "never sooner than the backend asked")
        harness.clock.advance(1)
        #expect(await harness.dispatcher.deliverDue() == 1)
        #expect(try await harness.record(id).state == .delivered)
        try await harness.stop()
    }

    @Test func aRetryAfterBeyondTheCapIsADeadLetter() async throws {
        let harness = try await Harness()
        harness.backend.set(.retryAfter(status: 503, value: "600"))
        let id = try await harness.ingest("k1")
        await harness.dispatcher.deliverDue()
        let record = try await harness.record(id)
        #expect(record.state == .dead && record.lastStatus == 503)
        #expect(record.lastError?.contains("retryAfterCap") == true)
        try await harness.stop()
    }

    @Test(arguments: [410, 400])
    func permanentRefusalsAreDeadLettersAtOnce(_ status: Int) async throws {
        let harness = try await Harness()
        harness.backend.set(.status(status, body: "{\"error\":\"gone for good\"}"))
        let id = try await harness.ingest("k1")
        await harness.dispatcher.deliverDue()
        let record = try await harness.record(id)
        #expect(record.state == .dead && record.attempts == 1 && record.lastStatus == status)
        #expect(record.lastError == "HTTP \(status): {\"error\":\"gone for good\"}")
        harness.clock.advance(3600)
        #expect(await harness.dispatcher.deliverDue() == 0)
        try await harness.stop()
    }

    @Test(arguments: ["hang", "reset", "redirect"])
    func failuresWithoutA2xxAreRetried(_ kind: String) async throws {
        let harness = try await Harness(timeout: .milliseconds(500))
        switch kind {
        case "hang": harness.backend.set(.hang(seconds: 3))
        case "reset": harness.backend.set(.reset)
        default: harness.backend.set(.redirect)
        }
        let id = try await harness.ingest("k1")
        await harness.dispatcher.deliverDue()
        let record = try await harness.record(id)
        #expect(record.state == .pending && record.attempts == 1)
        let attempt = try #require(try await harness.store.attempts(event: id).first)
        switch kind {
        case "hang": #expect(attempt.error == "timed out" && attempt.status == nil)
        case "reset": #expect(attempt.error?.hasPrefix("connection failed") == true && attempt.status == nil)
        default:
            #expect(attempt.status == 302 && record.lastError?.contains("redirects are not followed") == true)
            #expect(harness.backend.requests.count == 1, "the redirect is not followed")
        }
        harness.backend.set(.ok)
        harness.clock.advance(1)
        await harness.dispatcher.deliverDue()
        #expect(try await harness.record(id).state == .delivered)
        try await harness.stop()
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        let harness = try await Harness(retry: RetryPolicy(maxAttempts: 3, minDelay: .seconds(1), maxDelay: .seconds(60), maxAge: .seconds(3600)))
        harness.backend.set(.status(502))
        let id = try await harness.ingest("k1")
        for _ in 0..<5 {
            await harness.dispatcher.deliverDue()
            harness.clock.advance(100)
        }
        let record = try await harness.record(id)
        #expect(record.state == .dead && record.attempts == 3)
        #expect(record.lastError == "HTTP 502; gave up after 3 attempts (maxAttempts)")
        #expect(harness.backend.requests.count == 3)
        try await harness.stop()
    }

    @Test func givesUpWhenTheNextAttemptWouldPassMaxAge() async throws {
        let harness = try await Harness(retry: RetryPolicy(maxAttempts: 50, minDelay: .seconds(8), maxDelay: .seconds(60), maxAge: .seconds(10)))
        harness.backend.set(.status(503))
        let id = try await harness.ingest("k1")
        await harness.dispatcher.deliverDue()
        #expect(try await harness.record(id).nextAttemptAt == harness.clock.now.addingTimeInterval(8))
        harness.clock.advance(8)
        await harness.dispatcher.deliverDue()
        let record = try await harness.record(id)
        #expect(record.state == .dead && record.attempts == 2, "8 s old, and the next wait (12 s) passes maxAge 10 s")
        #expect(record.lastError?.contains("maxAge") == true)
        try await harness.stop()
    }

    @Test func theCircuitOpensThenProbesUntilTheBackendIsBack() async throws {
        let harness = try await Harness(circuit: CircuitBreakerPolicy(failureThreshold: 3, cooldown: .seconds(30)), concurrency: 1)
        harness.backend.set(.status(503))
        for index in 0..<6 { _ = try await harness.ingest("k\(index)") }
        for _ in 0..<3 { #expect(await harness.dispatcher.deliverDue() == 1) }
        #expect(await harness.dispatcher.circuitState("backend") == .open)
        harness.clock.advance(29)
        #expect(await harness.dispatcher.deliverDue() == 0, "open: nothing is sent")
        harness.clock.advance(1)
        #expect(await harness.dispatcher.deliverDue() == 1, "one probe after the cooldown")
        #expect(await harness.dispatcher.circuitState("backend") == .open, "the failed probe opens it again")
        #expect(await harness.dispatcher.deliverDue() == 0)

        harness.backend.set(.ok)
        harness.clock.advance(30)
        #expect(await harness.dispatcher.deliverDue() == 1)
        #expect(await harness.dispatcher.circuitState("backend") == .closed)
        for _ in 0..<10 {
            harness.clock.advance(5)
            await harness.dispatcher.deliverDue()
        }
        #expect(try await harness.store.deliveries(state: .delivered, event: nil, limit: 100).count == 6)
        #expect(harness.backend.requests.count == 3 + 1 + 6)
        #expect(harness.observer.circuits.withLock { $0 } == [.open, .halfOpen, .open, .halfOpen, .closed])
        try await harness.stop()
    }

    @Test func aTenMinuteOutageEndsWithEveryEventDeliveredOnce() async throws {
        let harness = try await Harness(retry: RetryPolicy(), circuit: CircuitBreakerPolicy(failureThreshold: 5, cooldown: .seconds(30)),
                                        concurrency: 4)
        harness.backend.set(.status(503))
        var ids: [String] = []
        for step in 0..<120 {
            ids.append(try await harness.ingest("outage-\(step)"))
            await harness.dispatcher.deliverDue()
            harness.clock.advance(5)
        }
        let duringOutage = harness.backend.requests.count
        #expect(duringOutage <= 30, "the open circuit spares the backend: \(duringOutage) requests in 10 minutes")
        harness.backend.set(.ok)
        for _ in 0..<400 {
            await harness.dispatcher.deliverDue()
            if try await harness.store.deliveries(state: .pending, event: nil, limit: 1).isEmpty { break }
            harness.clock.advance(5)
        }
        #expect(try await harness.store.deliveries(state: .delivered, event: nil, limit: 1000).count == 120)
        #expect(try await harness.store.deliveries(state: .dead, event: nil, limit: 1000).isEmpty)
        let delivered = harness.backend.requests.dropFirst(duringOutage).compactMap { $0.headers["idempotency-key"] }
        #expect(delivered.sorted() == ids.sorted(), "each event delivered once after recovery")
        try await harness.stop()
    }

    @Test func theRunningDispatcherDeliversEachEventExactlyOnce() async throws {
        let harness = try await Harness()
        let clock = harness.clock
        let dispatcher = Dispatcher(queue: harness.store, destinations: [DestinationConfig(name: "backend", url: harness.backend.url)],
                                    client: harness.client, observer: harness.observer, pollInterval: .milliseconds(5),
                                    logger: Logger(label: "test"), clock: WallClock { clock.now })
        let running = Task { try await dispatcher.run() }
        var ids: [String] = []
        for index in 0..<300 { ids.append(try await harness.ingest("e\(index)")) }
        for _ in 0..<2000 where harness.backend.requests.count < 300 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))
        running.cancel()
        _ = try? await running.value
        let keys = harness.backend.requests.compactMap { $0.headers["idempotency-key"] }
        #expect(keys.count == 300, "every event delivered, none twice (\(keys.count) requests)")
        #expect(Set(keys) == Set(ids))
        try await harness.stop()
    }

    @Test func signedDeliveriesCarryStandardWebhooksHeaders() async throws {
        let secret = "whsec_" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let harness = try await Harness(signingSecret: secret)
        let id = try await harness.ingest("k1")
        await harness.dispatcher.deliverDue()
        let request = try #require(harness.backend.requests.first)
        #expect(request.headers["webhook-id"] == id)
        guard case .hmac(let descriptor)? = Preset.all["standard-webhooks"]?.method else { Issue.record("preset"); return }
        var headers = RequestHeaders()
        for (name, value) in request.headers { headers.append(name, value) }
        let verifier = HMACVerifier(descriptor: descriptor, keys: [StandardWebhooksSecret.keyBytes(secret)!], scheme: "sw")
        guard case .verified = verifier.verify(body: request.body, headers: headers, now: harness.clock.now) else {
            Issue.record("the delivery's signature does not verify")
            return
        }
        try await harness.stop()
    }
}

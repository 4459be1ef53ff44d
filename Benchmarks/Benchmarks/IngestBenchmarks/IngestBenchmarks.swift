import Benchmark
import Foundation
import HTTPTypes
import Logging
import NIOCore
import PosternCore
import PosternServer
import PosternStore
import PosternVerify

/// The webhook listener's whole path in process, without sockets (`Ingest`'s begin and finish, as its channel handler
/// calls them): route, guards, body, HMAC verification, JSON,
/// schema, idempotency key, store, answer and audit — with a store that keeps nothing (the CPU of the path) and
/// with SQLite at synchronous=FULL (64 requests at once, sharing group commits); and one SQLite commit of 64 events.

let secret = "bench-secret"
let yaml = """
    sources:
      - name: cognigy-webhook
        path: /api/v1/cognigy/webhook
        verify: {preset: cognigy-webhook, secrets: [\(secret)]}
        schema: cognigy-flow-event
        idempotencyKey: body:/event_id
    """

/// Accepts everything, keeps nothing: the ingest path's own cost.
struct NullStore: EventStore {
    func insert(_ event: IncomingEvent) async throws -> StoreOutcome { .stored(id: "evt_bench") }
    func events(matching query: EventQuery) async throws -> [StoredEvent] { [] }
    func count(matching query: EventQuery) async throws -> Int { 0 }
    func event(id: String) async throws -> EventDetail? { nil }
    func prune(receivedBefore cutoff: Date, limit: Int) async throws -> Int { 0 }
    func close() async throws {}
}

func ingest(store: any EventStore) throws -> Ingest {
    let plan = try ConfigFile.load(text: yaml, baseDirectory: "/tmp", environment: [:])
    let observer = DecisionObserver(audit: try AuditLog(.file(path: "/dev/null")), metrics: Metrics(), summary: AuditSummary(),
                                    logger: Logger(label: "bench"))
    return Ingest(live: LiveConfiguration(ServingConfiguration(plan)), store: store, observer: observer)
}

/// A request as the listener's handler hands it over: its head, then its body.
struct SignedRequest {
    var head: HTTPRequest
    var body: [UInt8]
}

let loopback = Ingest.Connection(peer: IPAddress("127.0.0.1"), identity: nil)

extension Ingest {
    func answer(_ request: SignedRequest) async -> Int {
        guard case .admitted(let admitted) = begin(request.head, on: loopback) else { return 0 }
        return await finish(admitted, body: .success(request.body)).status
    }
}

let signer: HMACSigner = {
    guard case .hmac(let descriptor) = Preset.all["cognigy-webhook"]!.method else { fatalError("cognigy-webhook is HMAC") }
    return HMACSigner(descriptor: descriptor)
}()

/// A freshly signed 1 KiB Cognigy flow event.
func signedRequest(_ index: Int) -> SignedRequest {
    let padding = String(repeating: "x", count: 860)
    let body = Array(#"{"event_id":"evt-\#(index)-\#(UUID().uuidString)","flow_name":"Order Status","channel":"webchat","timestamp":"2026-11-25T10:00:00Z","session_id":"s-1","payload_data":{"notes":"\#(padding)"}}"#.utf8)
    var fields = HTTPFields()
    fields[.contentType] = "application/json"
    for (name, value) in signer.headers(body: body, keyBytes: Array(secret.utf8), timestamp: Date()) {
        fields[HTTPField.Name(name)!] = value
    }
    let head = HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1:8080", path: "/api/v1/cognigy/webhook",
                           headerFields: fields)
    return SignedRequest(head: head, body: body)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .throughput], maxDuration: .seconds(3))

    Benchmark("Ingest path in process, 1 KiB cognigy-webhook, no store") { benchmark in
        let ingest = try ingest(store: NullStore())
        let requests = (0..<benchmark.scaledIterations.count).map(signedRequest)
        benchmark.startMeasurement()
        for request in requests {
            let status = await ingest.answer(request)
            precondition(status == 200)
        }
    }

    Benchmark("Ingest path in process, 64 concurrent, SQLite FULL", configuration: .init(maxDuration: .seconds(5))) { benchmark in
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString).db").path
        let store = try await SQLiteEventStore.open(path: path)
        let ingest = try ingest(store: store)
        for _ in benchmark.scaledIterations {
            let requests = (0..<64).map(signedRequest)
            benchmark.startMeasurement()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for request in requests {
                    group.addTask {
                        let status = await ingest.answer(request)
                        precondition(status == 200)
                    }
                }
                try await group.waitForAll()
            }
            benchmark.stopMeasurement()
        }
        try await store.close()
    }

    Benchmark("SQLite commit of a batch of 64 events (FULL)", configuration: .init(maxDuration: .seconds(5))) { benchmark in
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("commit-\(UUID().uuidString).db").path
        let store = try await SQLiteEventStore.open(path: path)
        let body = Array(String(repeating: "x", count: 1024).utf8)
        for iteration in benchmark.scaledIterations {
            benchmark.startMeasurement()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        _ = try await store.insert(IncomingEvent(
                            source: "bench", idempotencyKey: "\(iteration)-\(index)", correlationID: nil, receivedAt: Date(),
                            headers: [("Content-Type", "application/json")], body: body,
                            verification: Verification(scheme: "bench"), callerAddress: nil))
                    }
                }
                try await group.waitForAll()
            }
            benchmark.stopMeasurement()
        }
        try await store.close()
    }
}

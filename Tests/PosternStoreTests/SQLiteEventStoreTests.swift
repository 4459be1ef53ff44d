import Foundation
import PosternCore
import PosternStore
import SQLiteNIO
import Synchronization
import Testing

/// The SQLite store on a real file: durability settings, idempotency under concurrency, and reopening.
struct SQLiteEventStoreTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("postern-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var path: String { directory.appendingPathComponent("events.db").path }

    func event(_ key: String, source: String = "s") -> IncomingEvent {
        IncomingEvent(source: source, idempotencyKey: key, correlationID: "c-\(key)", receivedAt: Date(),
                      headers: [("Content-Type", "application/json")], body: Array("{\"k\":\"\(key)\"}".utf8),
                      verification: Verification(scheme: "test"), callerAddress: "127.0.0.1",
                      clientSubject: "CN=client-\(key)")
    }

    @Test func storesOnceAndReportsTheDuplicate() async throws {
        let store = try await SQLiteEventStore.open(path: path)
        let first = try await store.insert(event("a"))
        let second = try await store.insert(event("a"))
        let otherSource = try await store.insert(event("a", source: "t"))
        try await store.close()
        guard case .stored(let id) = first else { Issue.record("first insert was \(first)"); return }
        #expect(second == .duplicate(id: id))
        #expect(otherSource != second)
        if case .stored = otherSource {} else { Issue.record("the same key of another source is a new event") }
    }

    @Test func concurrentCopiesStoreOneRowEach() async throws {
        let batches = Mutex<[Int]>([])
        let store = try await SQLiteEventStore.open(path: path) { report in
            batches.withLock { $0.append(report.batchSize) }
        }
        let outcomes = try await withThrowingTaskGroup(of: (String, StoreOutcome).self) { group in
            for index in 0..<400 {
                let key = "key-\(index % 100)"
                group.addTask { (key, try await store.insert(event(key))) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let stored = outcomes.filter { if case .stored = $0.1 { true } else { false } }
        #expect(stored.count == 100)
        #expect(try await store.events(source: "s", limit: 1000).count == 100)
        var idsByKey: [String: Set<String>] = [:]
        for (key, outcome) in outcomes {
            switch outcome {
            case .stored(let id), .duplicate(let id): idsByKey[key, default: []].insert(id)
            }
        }
        #expect(idsByKey.values.allSatisfy { $0.count == 1 }, "every copy of an event must answer with the one stored id")
        let sizes = batches.withLock { $0 }
        #expect(sizes.contains { $0 > 1 }, "concurrent inserts should share commits: \(sizes)")
        try await store.close()
    }

    @Test func eventsSurviveReopeningAndDurabilityIsFull() async throws {
        let store = try await SQLiteEventStore.open(path: path)
        _ = try await store.insert(event("kept"))
        try await store.close()

        let reopened = try await SQLiteEventStore.open(path: path)
        let events = try await reopened.events(source: nil, limit: 10)
        #expect(events.map(\.idempotencyKey) == ["kept"])
        try await reopened.close()

        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        let mode = try await connection.query("PRAGMA journal_mode", []).first?.column("journal_mode")?.string
        #expect(mode == "wal")
        let body = try await connection.query("SELECT body, headers, correlation_id, client_subject FROM events", []).first
        #expect(body?.column("client_subject")?.string == "CN=client-kept")
        #expect(body?.column("body")?.blob.map { String(buffer: $0) } == "{\"k\":\"kept\"}")
        #expect(body?.column("correlation_id")?.string == "c-kept")
        try await connection.close()
    }

    @Test func theLogIsCheckpointedBesideTheWriterAndStaysBounded() async throws {
        let store = try await SQLiteEventStore.open(path: path, checkpointFrames: 100)
        let body = Array(repeating: UInt8(ascii: "x"), count: 6_000)  // two overflow pages per event
        for round in 0..<40 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    var copy = event("\(round)-\(index)")
                    copy.body = body
                    group.addTask { _ = try await store.insert(copy) }
                }
                try await group.waitForAll()
            }
        }
        #expect(try await store.events(source: "s", limit: 3_000).count == 2_000)
        // 2,000 events of 6 kB wrote some 4,700 frames; a log never copied back would have grown to hold them all.
        let log = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
        #expect(log > 0 && log < 1_500 * 4_120, "the log grew to \(log) bytes")
        try await store.close()
        let reopened = try await SQLiteEventStore.open(path: path)
        #expect(try await reopened.events(source: "s", limit: 3_000).count == 2_000)
        try await reopened.close()
    }
}

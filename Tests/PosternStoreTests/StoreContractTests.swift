import Foundation
import PosternCore
import PosternStore
import Synchronization
import Testing

/// The store contract, run against a real SQLite file and a real PostgreSQL server alike: idempotency under
/// concurrency, outbox rows written with new events only, claims as leases, attempts recorded, replay, and what
/// survives reopening.
struct StoreContractTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func open(_ location: StoreLocation, onCommit: @escaping @Sendable (CommitReport) -> Void = { _ in }) async throws
        -> any EventStore & DeliveryQueue {
        try await StoreOpener.open(location, onCommit: onCommit)
    }

    func event(_ key: String, destinations: [String] = ["a", "b"], at time: Date? = nil) -> IncomingEvent {
        IncomingEvent(source: "s", idempotencyKey: key, correlationID: "c-\(key)", receivedAt: time ?? now,
                      headers: [("Content-Type", "application/json"), ("traceparent", "00-\(String(repeating: "1", count: 32))-\(String(repeating: "2", count: 16))-01")],
                      body: Array("{\"k\":\"\(key)\"}".utf8), verification: Verification(scheme: "test"),
                      callerAddress: nil, destinations: destinations)
    }

    func id(_ outcome: StoreOutcome) -> String {
        switch outcome { case .stored(let id), .duplicate(let id): id }
    }

    @Test(arguments: StoreKind.available)
    func concurrentCopiesStoreOneRowEachAndShareCommits(_ kind: StoreKind) async throws {
        let batches = Mutex<[Int]>([])
        let store = try await open(try await kind.freshLocation()) { report in batches.withLock { $0.append(report.batchSize) } }
        let outcomes = try await withThrowingTaskGroup(of: (String, StoreOutcome).self) { group in
            for index in 0..<400 {
                let key = "key-\(index % 100)"
                group.addTask { (key, try await store.insert(event(key, destinations: ["a"]))) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { if case .stored = $0.1 { true } else { false } }.count == 100)
        var idsByKey: [String: Set<String>] = [:]
        for (key, outcome) in outcomes { idsByKey[key, default: []].insert(id(outcome)) }
        #expect(idsByKey.values.allSatisfy { $0.count == 1 }, "every copy answers with the one stored id")
        #expect(try await store.events(source: "s", limit: 1000).count == 100)
        #expect(try await store.deliveries(state: .pending, event: nil, limit: 1000).count == 100)
        #expect(batches.withLock { $0 }.contains { $0 > 1 }, "concurrent inserts share commits")
        try await store.close()
    }

    @Test(arguments: StoreKind.available)
    func newEventsGetOneDeliveryPerDestinationAndDuplicatesNone(_ kind: StoreKind) async throws {
        let store = try await open(try await kind.freshLocation())
        let first = try await store.insert(event("x"))
        _ = try await store.insert(event("x"))
        _ = try await store.insert(event("y", destinations: []))
        let rows = try await store.deliveries(state: nil, event: nil, limit: 100)
        #expect(rows.map(\.destination) == ["a", "b"])
        #expect(rows.allSatisfy { $0.event == id(first) && $0.state == .pending && $0.attempts == 0 && $0.nextAttemptAt == now })
        #expect(try await store.depth() == [QueueDepth(destination: "a", pending: 1, dead: 0), QueueDepth(destination: "b", pending: 1, dead: 0)])
        try await store.close()
    }

    @Test(arguments: StoreKind.available)
    func aClaimedDeliveryIsNotHandedOutTwiceUntilFinished(_ kind: StoreKind) async throws {
        let store = try await open(try await kind.freshLocation())
        let stored = id(try await store.insert(event("x", destinations: ["a"])))
        let claimed = try await store.claimDue(destination: "a", now: now, limit: 10)
        #expect(claimed.map(\.eventID) == [stored])
        #expect(claimed.first?.body == Array("{\"k\":\"x\"}".utf8))
        #expect(claimed.first?.correlationID == "c-x")
        #expect(claimed.first?.headers.first?.value == "application/json")
        #expect(try await store.claimDue(destination: "a", now: now, limit: 10).isEmpty)

        let later = now.addingTimeInterval(5)
        try await store.finish(claimed[0], attempt: DeliveryAttempt(destination: "a", time: now, status: 503, latencyMs: 12, error: "HTTP 503"),
                               verdict: .retry(after: .seconds(5), reason: "HTTP 503"), holdsKey: false, now: now)
        #expect(try await store.claimDue(destination: "a", now: later.addingTimeInterval(-0.001), limit: 10).isEmpty, "not due yet")
        let again = try await store.claimDue(destination: "a", now: later, limit: 10)
        #expect(again.map(\.attempts) == [1])
        try await store.finish(again[0], attempt: DeliveryAttempt(destination: "a", time: later, status: 200, latencyMs: 3, error: nil),
                               verdict: .delivered, holdsKey: false, now: later)
        let record = try await store.deliveries(state: nil, event: stored, limit: 10)
        #expect(record == [DeliveryRecord(id: record.first?.id ?? 0, event: stored, source: "s", destination: "a", state: .delivered, attempts: 2,
                                          lastStatus: 200, lastError: nil, nextAttemptAt: nil)])
        #expect(try await store.attempts(event: stored).map(\.status) == [503, 200])
        try await store.close()
    }

    @Test(arguments: StoreKind.available)
    func eventsAreFoundBySourceTimeCorrelationKeyAndState(_ kind: StoreKind) async throws {
        let store = try await open(try await kind.freshLocation())
        // Six events: one delivered, one dead-lettered, one pending, one with no destination, and two received in the
        // same millisecond (their ids order them).
        var ids: [String] = []
        for (index, key) in ["delivered", "dead", "pending", "stored", "same-1", "same-2"].enumerated() {
            let time = now.addingTimeInterval(Double(min(index, 4)))
            ids.append(id(try await store.insert(event(key, destinations: key == "stored" ? [] : ["a"], at: time))))
        }
        _ = try await store.insert(IncomingEvent(source: "other", idempotencyKey: "o", correlationID: "c-pending", receivedAt: now,
                                                 headers: [], body: Array("not json".utf8), verification: Verification(scheme: "test"),
                                                 callerAddress: nil))
        let nested = id(try await store.insert(IncomingEvent(
            source: "other", idempotencyKey: "n", correlationID: nil, receivedAt: now,
            headers: [], body: Array(#"{"payload":[{"type":"text"}],"n":3,"a/b":"slash"}"#.utf8),
            verification: Verification(scheme: "test"), callerAddress: nil)))
        func stored(_ key: String, _ body: String, contentType: String) async throws -> String {
            id(try await store.insert(IncomingEvent(
                source: "other", idempotencyKey: key, correlationID: nil, receivedAt: now,
                headers: [("Content-Type", contentType)], body: Array(body.utf8), verification: Verification(scheme: "test"),
                callerAddress: nil)))
        }
        let form = try await stored("f", "From=%2B15551234&Body=hi+there&Tag=a&Tag=b%C3%A9", contentType: "Application/X-WWW-Form-Urlencoded; charset=utf-8")
        _ = try await stored("t", "From=%2B15551234", contentType: "text/plain")
        _ = try await stored("bad", "From=%2B15551234&x=%zz", contentType: "application/x-www-form-urlencoded")
        let claimed = try await store.claimDue(destination: "a", now: now.addingTimeInterval(10), limit: 2)
        #expect(claimed.map(\.eventID) == [ids[0], ids[1]])
        try await store.finish(claimed[0], attempt: DeliveryAttempt(destination: "a", time: now, status: 200, latencyMs: 1, error: nil),
                               verdict: .delivered, holdsKey: false, now: now)
        try await store.finish(claimed[1], attempt: DeliveryAttempt(destination: "a", time: now, status: 400, latencyMs: 1, error: "HTTP 400"),
                               verdict: .dead(reason: "HTTP 400"), holdsKey: false, now: now)

        func found(_ query: EventQuery) async throws -> [String] { try await store.events(matching: query).map(\.id) }
        let sameTwo = ids[5]
        if ids[4] > ids[5] { ids.swapAt(4, 5) }
        #expect(try await found(EventQuery(source: "s")) == ids)
        #expect(try await found(EventQuery(source: "s", newestFirst: true)) == ids.reversed())
        #expect(try await found(EventQuery(source: "s", newestFirst: true, limit: 2)) == [ids[5], ids[4]])
        // Pages of two, each after the last one's cursor, list everything once, in either order.
        for newestFirst in [false, true] {
            var paged: [String] = []
            var cursor: EventCursor?
            repeat {
                let page = try await store.events(matching: EventQuery(source: "s", newestFirst: newestFirst, limit: 2, after: cursor))
                paged += page.map(\.id)
                cursor = page.count == 2 ? EventCursor(after: page[1]) : nil
            } while cursor != nil
            #expect(paged == (newestFirst ? ids.reversed() : ids))
        }
        let cursor = EventCursor(after: try #require(try await store.events(matching: EventQuery(limit: 1)).first))
        #expect(EventCursor(cursor.text) == cursor)
        #expect(EventCursor("12.x") == nil && EventCursor("x.\(cursor.id)") == nil && EventCursor("1.evt_1") == nil)
        #expect(EventCursor("1234567890123456.\(cursor.id)") == nil, "no more digits than an Int holds safely")
        #expect(try await found(EventQuery(source: "s", since: now.addingTimeInterval(1), until: now.addingTimeInterval(3))) == [ids[1], ids[2]])
        #expect(try await found(EventQuery(state: .delivered)) == [ids[0]])
        #expect(try await found(EventQuery(state: .dead)) == [ids[1]])
        #expect(try await found(EventQuery(source: "s", state: .pending)) == [ids[2], ids[4], ids[5]])
        #expect(try await found(EventQuery(state: .stored)).count == 6, "the event without destinations, and the other source's")
        func field(_ text: String) async throws -> [String] { try await found(EventQuery(bodyField: BodyFieldMatch(text)!)) }
        #expect(try await field("/k=pending") == [ids[2]])
        #expect(try await field("/payload/0/type=text") == [nested])
        #expect(try await field("/n=3") == [nested])
        #expect(try await field("/a~1b=slash") == [nested])
        #expect(try await field("/k=nobody").isEmpty)
        #expect(try await field("/From=+15551234") == [form], "a form's field, not a text body's nor a broken form's")
        #expect(try await field("/Body=hi there") == [form])
        #expect(try await field("/Tag/1=bé") == [form], "a repeated field is an array")
        #expect(try await found(EventQuery(source: "s", bodyField: BodyFieldMatch("/k=dead"), newestFirst: true)) == [ids[1]])
        #expect(try await found(EventQuery(correlationID: "c-pending")).count == 2)
        #expect(try await store.count(matching: EventQuery(correlationID: "c-pending", limit: 1, after: cursor)) == 2,
                "a count is of every match, whatever the page")
        #expect(try await store.count(matching: EventQuery(source: "s", state: .pending)) == 3)
        #expect(try await found(EventQuery(source: "s", correlationID: "c-pending")) == [ids[2]])
        #expect(try await found(EventQuery(idempotencyKey: "same-2")) == [sameTwo])
        #expect(try await store.events(matching: EventQuery(idempotencyKey: "dead")).first?.correlationId == "c-dead")

        let detail = try #require(try await store.event(id: ids[2]))
        #expect(detail.event.id == ids[2] && detail.event.idempotencyKey == "pending" && detail.event.receivedAt == now.addingTimeInterval(2))
        #expect(detail.body == Array("{\"k\":\"pending\"}".utf8))
        #expect(detail.headers.map(\.name) == ["Content-Type", "traceparent"])
        #expect(detail.verification.contains("\"scheme\":\"test\""))
        #expect(try await store.event(id: "evt_missing") == nil)
        try await store.close()
    }

    @Test(arguments: StoreKind.available)
    func pendingDeliveriesSurviveReopeningAndAnAbandonedClaimEnds(_ kind: StoreKind) async throws {
        let location = try await kind.freshLocation()
        var store = try await open(location)
        _ = try await store.insert(event("x", destinations: ["a"]))
        _ = try await store.claimDue(destination: "a", now: now, limit: 10)
        try await store.close()
        store = try await open(location)
        #expect(try await store.events(source: nil, limit: 10).map(\.idempotencyKey) == ["x"])
        let later = now.addingTimeInterval((store.lease?.seconds ?? 0) + 1)
        #expect(try await store.claimDue(destination: "a", now: later, limit: 10).count == 1,
                "the claim of a process that is gone ends (at once on SQLite, after the lease on PostgreSQL)")
        try await store.close()
    }

    @Test(arguments: StoreKind.available)
    func replayRequeuesDeadLettersAndAddsMissingDestinations(_ kind: StoreKind) async throws {
        let store = try await open(try await kind.freshLocation())
        var ids: [String] = []
        for index in 0..<7 {
            ids.append(id(try await store.insert(event("e\(index)", destinations: ["a"], at: now.addingTimeInterval(Double(index))))))
        }
        for delivery in try await store.claimDue(destination: "a", now: now.addingTimeInterval(10), limit: 10) {
            try await store.finish(delivery, attempt: DeliveryAttempt(destination: "a", time: now, status: 410, latencyMs: 1, error: "HTTP 410"),
                                   verdict: .dead(reason: "HTTP 410"), holdsKey: false, now: now)
        }
        #expect(try await store.deliveries(state: .dead, event: nil, limit: 100).count == 7)

        let one = try await store.replay(.event(id: ids[0]), destinations: { _ in ["a"] }, orderings: [:], now: now, progress: { _, _ in })
        #expect(one == 1)
        #expect(try await store.deliveries(state: .pending, event: nil, limit: 100).map(\.event) == [ids[0]])
        #expect(try await store.deliveries(state: .pending, event: nil, limit: 100).first?.attempts == 0)

        let progress = ProgressLog()
        let ranged = try await store.replay(.source(name: "s", since: now.addingTimeInterval(2), until: now.addingTimeInterval(5)),
                                            destinations: { _ in ["a", "c"] }, orderings: [:], now: now, progress: { progress.add($0, $1) })
        #expect(ranged == 6, "events 2, 3, 4 to a (reset) and to c (new)")
        #expect(progress.entries.last.map { [$0.0, $0.1] } == [3, 3])
        #expect(Set(try await store.deliveries(state: .pending, event: nil, limit: 100).map(\.event)) == Set([ids[0], ids[2], ids[3], ids[4]]))
        #expect(try await store.replay(.event(id: "evt_missing"), destinations: { _ in ["a"] }, orderings: [:], now: now, progress: { _, _ in }) == 0)
        try await store.close()
    }

    @Test(arguments: StoreKind.available)
    func deliveriesPageNewestFirstAndRequeueTakesOnlyDeadLettersWhenAsked(_ kind: StoreKind) async throws {
        let store = try await open(try await kind.freshLocation())
        var ids: [String] = []
        for index in 0..<5 {
            ids.append(id(try await store.insert(event("e\(index)", destinations: ["a", "b"], at: now.addingTimeInterval(Double(index))))))
        }
        // a: events 0 and 1 dead, 2 delivered; b: all pending.
        for delivery in try await store.claimDue(destination: "a", now: now.addingTimeInterval(10), limit: 3) {
            let dead = delivery.eventID != ids[2]
            try await store.finish(delivery, attempt: DeliveryAttempt(destination: "a", time: now, status: dead ? 410 : 200, latencyMs: 1, error: nil),
                                   verdict: dead ? .dead(reason: "HTTP 410") : .delivered, holdsKey: false, now: now)
        }
        var pages: [[String]] = []
        var query = DeliveryQuery(destination: "a", newestFirst: true, limit: 2)
        while true {
            let page = try await store.deliveries(matching: query)
            pages.append(page.map(\.event))
            guard page.count == query.limit, let last = page.last else { break }
            query.after = last.id
        }
        #expect(pages == [[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]])
        #expect(try await store.deliveries(matching: DeliveryQuery(state: .dead, destination: "a")).map(\.event) == [ids[0], ids[1]])
        #expect(try await store.deliveries(matching: DeliveryQuery(destination: "b", limit: 10)).count == 5)

        let events = ids.map { (id: $0, source: "s") }
        let dead = try await store.requeue(events, destinations: { _ in ["a", "b"] }, orderings: [:], onlyDead: true, now: now)
        #expect(dead == 2, "only events 0 and 1 to a were dead letters")
        #expect(try await store.deliveries(matching: DeliveryQuery(state: .dead)).isEmpty)
        #expect(try await store.deliveries(matching: DeliveryQuery(state: .delivered)).map(\.event) == [ids[2]])
        let all = try await store.requeue([events[2]], destinations: { _ in ["a", "c"] }, orderings: [:], onlyDead: false, now: now)
        #expect(all == 2, "event 2 to a again, and to c for the first time")
        #expect(try await store.deliveries(matching: DeliveryQuery(state: .delivered)).isEmpty)
        #expect(try await store.deliveries(matching: DeliveryQuery(event: ids[2])).map(\.destination).sorted() == ["a", "b", "c"])
        try await store.close()
    }

    @Test(arguments: StoreKind.available)
    func keyedDeliveriesAreClaimedOneAtATimeInCommitOrder(_ kind: StoreKind) async throws {
        let store = try await open(try await kind.freshLocation())
        var ids: [String] = []
        for (index, key) in ["k1", "k1", "k2", "k1", "k2"].enumerated() {
            var keyed = event("e\(index)", destinations: ["a"])
            keyed.orderingKeys = ["a": key]
            ids.append(id(try await store.insert(keyed)))
        }
        _ = try await store.insert(event("unkeyed", destinations: ["a"]))
        func claim() async throws -> [String] { try await store.claimDue(destination: "a", now: now, limit: 10).map(\.eventID) }
        func finish(_ delivery: DueDelivery, _ verdict: DeliveryVerdict, holdsKey: Bool) async throws {
            try await store.finish(delivery, attempt: DeliveryAttempt(destination: "a", time: now, status: 500, latencyMs: 1, error: nil),
                                   verdict: verdict, holdsKey: holdsKey, now: now)
        }

        let first = try await store.claimDue(destination: "a", now: now, limit: 10)
        #expect(first.map(\.eventID).sorted() == [ids[0], ids[2], first.first { $0.orderingKey == nil }!.eventID].sorted(),
                "the first of each key, and the unkeyed one")
        #expect(first.first { $0.eventID == ids[0] }?.orderingKey == "k1")
        #expect(try await claim().isEmpty, "the later ones of each key wait while the first is in flight")

        let k1 = first.first { $0.eventID == ids[0] }!, k2 = first.first { $0.eventID == ids[2] }!
        try await finish(k1, .retry(after: .seconds(0), reason: "HTTP 500"), holdsKey: true)
        #expect(try await claim() == [ids[0]], "a retried delivery keeps its place: the key's next one still waits")
        try await finish(first.first { $0.orderingKey == nil }!, .delivered, holdsKey: false)

        try await finish(k2, .dead(reason: "HTTP 400"), holdsKey: true)
        #expect(try await claim().isEmpty, "a dead letter that holds its key keeps k2's next one waiting")
        #expect(try await store.releaseKey(event: ids[2], destination: "a"))
        #expect(try await !store.releaseKey(event: ids[2], destination: "a"), "released once")
        #expect(try await claim() == [ids[4]], "skipped: k2 goes on")

        let k1Again = try await store.claimDue(destination: "a", now: now.addingTimeInterval(1), limit: 10)
        #expect(k1Again.isEmpty, "k1's first is still leased until it is finished")
        try await store.close()
    }

    @Test(arguments: StoreKind.available)
    func aReplayThatCreatesADeliveryKeysItByTheDestinationsOrdering(_ kind: StoreKind) async throws {
        let store = try await open(try await kind.freshLocation())
        let first = id(try await store.insert(event("first", destinations: [])))
        let second = id(try await store.insert(event("second", destinations: [])))
        let ordering = ["ordered": DeliveryOrdering(key: .body(["/k"]))]
        #expect(try await store.replay(.event(id: first), destinations: { _ in ["ordered", "plain"] }, orderings: ordering,
                                       now: now, progress: { _, _ in }) == 2)
        #expect(try await store.requeue([(id: second, source: "s")], destinations: { _ in ["ordered"] }, orderings: ordering,
                                        onlyDead: false, now: now) == 1)
        let rows = try await store.deliveries(matching: DeliveryQuery(limit: 10))
        #expect(rows.map { "\($0.destination):\($0.orderingKey ?? "-")" }.sorted() == ["ordered:first", "ordered:second", "plain:-"],
                "the key each event's body holds at /k")
        #expect(try await store.claimDue(destination: "ordered", now: now, limit: 10).map(\.eventID) == [first, second],
                "different keys, both claimable")
        try await store.close()
    }

    @Test(arguments: StoreKind.available)
    func theOldestPendingDeliveryOfEachDestinationIsFound(_ kind: StoreKind) async throws {
        let store = try await open(try await kind.freshLocation())
        #expect(try await store.oldestPending().isEmpty)
        _ = try await store.insert(event("young", destinations: ["a", "b"], at: now.addingTimeInterval(60)))
        _ = try await store.insert(event("old", destinations: ["a"], at: now))
        _ = try await store.insert(event("older-b", destinations: ["b"], at: now.addingTimeInterval(30)))
        let oldest = try await store.oldestPending()
        #expect(oldest.map(\.destination) == ["a", "b"])
        #expect(oldest.map(\.enqueuedAt) == [now, now.addingTimeInterval(30)])
        let claimed = try await store.claimDue(destination: "a", now: now.addingTimeInterval(120), limit: 10)
        for delivery in claimed {
            try await store.finish(delivery, attempt: DeliveryAttempt(destination: "a", time: now, status: 200, latencyMs: 1, error: nil),
                                   verdict: .delivered, holdsKey: false, now: now)
        }
        #expect(try await store.oldestPending().map(\.destination) == ["b"], "delivered: no longer pending")
        try await store.close()
    }

    @Test(arguments: StoreKind.available)
    func aDeadLetterThatDoesNotHoldItsKeyLetsTheNextGo(_ kind: StoreKind) async throws {
        let store = try await open(try await kind.freshLocation())
        var ids: [String] = []
        for index in 0..<2 {
            var keyed = event("e\(index)", destinations: ["a"])
            keyed.orderingKeys = ["a": "k"]
            ids.append(id(try await store.insert(keyed)))
        }
        let head = try await store.claimDue(destination: "a", now: now, limit: 10)
        #expect(head.map(\.eventID) == [ids[0]])
        try await store.finish(head[0], attempt: DeliveryAttempt(destination: "a", time: now, status: 400, latencyMs: 1, error: nil),
                               verdict: .dead(reason: "HTTP 400"), holdsKey: false, now: now)
        #expect(try await store.claimDue(destination: "a", now: now, limit: 10).map(\.eventID) == [ids[1]])
        #expect(try await !store.releaseKey(event: ids[0], destination: "a"), "it held nothing")
        try await store.close()
    }
}
/// Progress reports collected from a replay.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [(Int, Int)] = []
    func add(_ done: Int, _ total: Int) { lock.withLock { list.append((done, total)) } }
    var entries: [(Int, Int)] { lock.withLock { list } }
}

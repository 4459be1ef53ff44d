import Foundation
import PosternCore
@testable import PosternServer
import Testing

/// The live decision feed: numbered entries, a resume after `Last-Event-ID` within what is kept, a gap said when
/// not, and no more streams than allowed.
struct DecisionFeedTests {
    func decision(_ n: Int, reason: ReasonCode = .accepted) -> Decision {
        var decision = Decision(time: Date(timeIntervalSince1970: 1_800_000_000 + Double(n)), method: "POST", path: "/hook", caller: "127.0.0.1")
        decision.source = n % 2 == 0 ? "even" : "odd"
        decision.reason = reason
        decision.status = reason.status
        return decision
    }

    @Test func aResumeGetsWhatItMissedAndAGapIsSaid() async throws {
        let feed = DecisionFeed(capacity: 4, now: Date(timeIntervalSince1970: 1))
        for n in 1...3 { feed.publish(decision(n)) }
        let fresh = try #require(feed.subscribe(after: nil))
        #expect(fresh.backlog.entries.isEmpty && !fresh.backlog.gap)
        let resumed = try #require(feed.subscribe(after: "1000-1"))
        #expect(resumed.backlog.entries.map(\.id) == ["1000-2", "1000-3"])
        #expect(!resumed.backlog.gap)
        for n in 4...7 { feed.publish(decision(n, reason: .invalidSignature)) }
        let late = try #require(feed.subscribe(after: "1000-2"))
        #expect(late.backlog.entries.map(\.id) == ["1000-4", "1000-5", "1000-6", "1000-7"])
        #expect(late.backlog.gap, "entry 3 is no longer kept")
        let otherProcess = try #require(feed.subscribe(after: "999-5"))
        #expect(otherProcess.backlog.gap && otherProcess.backlog.entries.count == 4)
        var iterator = fresh.entries.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.id == "1000-4" && first?.outcome == "refused" && first?.reason == "invalid_signature" && first?.source == "even")
    }

    @Test func streamsAreBoundedAndCloseEndsThem() async throws {
        let feed = DecisionFeed(capacity: 8, maxSubscribers: 2)
        let one = try #require(feed.subscribe(after: nil))
        let two = try #require(feed.subscribe(after: nil))
        #expect(feed.subscribe(after: nil) == nil, "a third stream is refused")
        withExtendedLifetime(two) {}
        feed.close()
        var iterator = one.entries.makeAsyncIterator()
        #expect(await iterator.next() == nil)
        #expect(feed.subscribe(after: nil) == nil)
    }

    @Test func historyCountsTheLastHourAndDayByReason() {
        let history = DecisionHistory()
        let now = Date(timeIntervalSince1970: 1_800_000_045)
        history.record(source: "s", reason: .accepted, at: now.addingTimeInterval(-30))
        history.record(source: "s", reason: .duplicate, at: now.addingTimeInterval(-90))
        history.record(source: "s", reason: .invalidSignature, at: now.addingTimeInterval(-2 * 3600))
        history.record(source: "s", reason: .invalidSignature, at: now.addingTimeInterval(-25 * 3600))
        let hour = history.counts(source: "s", lastMinutes: 60, now: now)
        #expect(hour.accepted == 2 && hour.refused == 0)
        let day = history.counts(source: "s", lastMinutes: 1440, now: now)
        #expect(day.accepted == 2 && day.refusedByReason == ["invalid_signature": 1], "a day ago is out of the ring")
        let minutes = history.perMinute(source: "s", lastMinutes: 3, now: now)
        #expect(minutes.map(\.accepted) == [0, 1, 1])
        #expect(history.counts(source: "other", lastMinutes: 60, now: now) == DecisionHistory.Counts())
    }

    @Test func aConfirmationTokenCannotBeChangedOrOutliveItsExpiry() throws {
        let confirmations = ReplayConfirmation()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let preview = ReplayConfirmation.Preview(search: "source=s&state=dead", events: 12, expires: now.addingTimeInterval(600))
        let token = confirmations.token(for: preview)
        #expect(confirmations.preview(token, now: now) == preview)
        #expect(confirmations.preview(token, now: now.addingTimeInterval(601)) == nil)
        #expect(ReplayConfirmation().preview(token, now: now) == nil, "another process's key")
        let payload = String(token.split(separator: ".")[0])
        let forged = Data("9999999999.12.source=s".utf8).base64URLEncoded + "." + String(token.split(separator: ".")[1])
        #expect(confirmations.preview(forged, now: now) == nil)
        #expect(confirmations.preview(payload, now: now) == nil)
        #expect(confirmations.preview(payload + ".!!", now: now) == nil)
    }
}

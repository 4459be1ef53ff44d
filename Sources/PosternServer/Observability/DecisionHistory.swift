import Foundation
import PosternCore
import Synchronization

/// Per-source decisions by reason in one-minute buckets over the last day, kept in memory: the console's overview
/// and `GET /admin/v1/sources` count the last hour and day from it, and chart the last hour minute by minute.
public final class DecisionHistory: Sendable {
    /// One minute of one source: how many of each reason.
    struct Bucket {
        var minute: Int
        var reasons: [String: Int] = [:]
    }

    /// Counts over a window: accepted, refused, and refusals by reason.
    public struct Counts: Sendable, Encodable, Equatable {
        public var accepted = 0
        public var refused = 0
        public var refusedByReason: [String: Int] = [:]
    }

    static let minutes = 1440
    private let buckets = Mutex<[String: [Bucket]]>([:])

    public init() {}

    func record(source: String, reason: ReasonCode, at time: Date) {
        let minute = Self.minute(time)
        let slot = minute % Self.minutes
        buckets.withLock { all in
            if all[source] == nil { all[source] = Array(repeating: Bucket(minute: -1), count: Self.minutes) }
            // In place: the ring is not copied (a copy of its 1,440 buckets per request showed in the profile).
            if all[source]?[slot].minute != minute { all[source]?[slot] = Bucket(minute: minute) }
            all[source]?[slot].reasons[reason.rawValue, default: 0] += 1
        }
    }

    /// A source's counts over the `window` minutes up to `now` (at most a day).
    public func counts(source: String, lastMinutes window: Int, now: Date = Date()) -> Counts {
        perMinute(source: source, lastMinutes: window, now: now).reduce(into: Counts()) { total, minute in
            total.accepted += minute.accepted
            total.refused += minute.refused
            total.refusedByReason.merge(minute.refusedByReason, uniquingKeysWith: +)
        }
    }

    /// A source's counts minute by minute, oldest first, over the `window` minutes up to `now`.
    public func perMinute(source: String, lastMinutes window: Int, now: Date = Date()) -> [Counts] {
        let last = Self.minute(now)
        let span = max(1, min(window, Self.minutes))
        let ring = buckets.withLock { $0[source] }
        return (0..<span).map { back in
            let minute = last - (span - 1 - back)
            guard minute >= 0, let bucket = ring?[minute % Self.minutes], bucket.minute == minute else { return Counts() }
            return bucket.reasons.reduce(into: Counts()) { counts, entry in
                if ReasonCode(rawValue: entry.key)?.isSuccess == true {
                    counts.accepted += entry.value
                } else {
                    counts.refused += entry.value
                    counts.refusedByReason[entry.key] = entry.value
                }
            }
        }
    }

    private static func minute(_ time: Date) -> Int {
        let seconds = time.timeIntervalSince1970
        return seconds.isFinite && seconds > 0 && seconds < 1e12 ? Int(seconds / 60) : 0
    }
}

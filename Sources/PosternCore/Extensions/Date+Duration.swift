import Foundation

extension Date {
    /// The time `duration` later (earlier when negative).
    public func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.seconds)
    }

    /// The time since 1970 as a duration, a time line for token buckets that run on the wall clock.
    public var sinceEpoch: Duration {
        Duration(secondsSaturating: timeIntervalSince1970)
    }

    /// The duration from `earlier` to this time.
    public func since(_ earlier: Date) -> Duration {
        Duration(secondsSaturating: timeIntervalSince(earlier))
    }
}

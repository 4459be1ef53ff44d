import Foundation

/// Where components read the time of day (timestamps, ages, due times, token expiries): the system's clock, or one a
/// test sets. Elapsed time (latencies, deadlines, rate-limit refills) is measured on `ContinuousClock`, which never
/// jumps.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    /// The system's clock.
    public static let system = WallClock(Date.init)

    public var now: Date { read() }
}

extension Duration {
    /// `seconds` as a duration, held to ±`Int64.max` seconds (NaN is zero), so a number from a request, a backend
    /// or a configuration cannot trap the conversion.
    public init(secondsSaturating seconds: Double) {
        if seconds.isNaN {
            self = .zero
        } else if seconds >= 9.2e18 {
            self = Duration(secondsComponent: .max, attosecondsComponent: 0)
        } else if seconds <= -9.2e18 {
            self = Duration(secondsComponent: .min, attosecondsComponent: 0)
        } else {
            self = .seconds(seconds)
        }
    }

    /// Whole nanoseconds, for timers that count them; 0 for a negative duration, saturating far in the future.
    public var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .max }
        let (sum, carry) = whole.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        return carry ? .max : sum
    }

    /// The duration in seconds, as a fraction (for metrics, latencies and timeouts).
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

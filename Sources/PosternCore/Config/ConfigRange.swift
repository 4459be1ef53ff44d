/// The documented range of every numeric configuration key (docs/configuration.md lists them). `check` and `serve`
/// refuse a value outside it, so nothing computed from a configured number can overflow or trap.
public enum ConfigRange {
    /// Connection deadlines, destination and upstream timeouts, retry delays, `retryAfterCap`, `cooldown`: 1 ms to a day.
    public static let duration: ClosedRange<Double> = 0.001...86_400
    /// `retry.maxAge` and `retention`: a second to 100 years.
    public static let age: ClosedRange<Double> = 1...3_153_600_000
    /// `maxBodyBytes`: up to 1 GiB.
    public static let bodyBytes: ClosedRange<Int> = 1...1_073_741_824
    /// `connections.maxConnections`.
    public static let connections: ClosedRange<Int> = 1...1_000_000
    /// `rateLimit.perSecond`.
    public static let perSecond: ClosedRange<Double> = 0.001...1_000_000
    /// `rateLimit.burst`.
    public static let burst: ClosedRange<Int> = 1...1_000_000
    /// A destination's `concurrency`.
    public static let concurrency: ClosedRange<Int> = 1...1_000
    /// `retry.maxAttempts` and `circuit.failureThreshold`.
    public static let count: ClosedRange<Int> = 1...10_000
    /// A Genesys destination's `requestsPerMinute`.
    public static let requestsPerMinute: ClosedRange<Double> = 1...1_000_000
    /// Seconds a PostgreSQL delivery claim is leased for.
    public static let lease: ClosedRange<Double> = 1...3600
    /// `verify.tolerance`, in seconds: up to a week.
    public static let tolerance: ClosedRange<Int> = 0...604_800
    /// `oauth.tokenLifetime`, in seconds: a minute to a day.
    public static let tokenLifetime: ClosedRange<Int> = 60...86_400
    /// `verify.leeway` of the token presets, in seconds: up to 5 minutes.
    public static let leeway: ClosedRange<Int> = 0...300
}

extension Duration {
    /// The duration in seconds, as a fraction (for metrics, latencies and timeouts).
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

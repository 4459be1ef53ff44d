import Foundation
import Synchronization

/// Postern's Prometheus metrics: counters and histograms with labels, rendered in the text exposition format.
public final class Metrics: Sendable {
    /// A histogram's buckets, observations and sum.
    struct Histogram {
        var bounds: [Double]
        var counts: [Int]
        var sum = 0.0
        var total = 0

        init(bounds: [Double]) {
            self.bounds = bounds
            self.counts = Array(repeating: 0, count: bounds.count)
        }

        mutating func observe(_ value: Double) {
            for (index, bound) in bounds.enumerated() where value <= bound { counts[index] += 1 }
            sum += value
            total += 1
        }
    }

    /// A metric family: its help text, type, and one series per label set.
    struct Family {
        var help: String
        var type: String
        /// Counter or gauge values, by rendered label set.
        var counters: [String: Double] = [:]
        var histograms: [String: Histogram] = [:]
    }

    static let latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    static let batchBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256]

    private let families = Mutex<[String: Family]>([:])

    public init() {}

    /// Counts one request's outcome. (Labels rendered in their sorted order by hand, under one lock: this runs on
    /// every request.)
    public func recordRequest(source: String, outcome: String, reason: String, seconds: Double) {
        let sourceLabel = "source=\"\(Self.escape(source))\""
        let counterLabels = "outcome=\"\(Self.escape(outcome))\",reason=\"\(Self.escape(reason))\"," + sourceLabel
        families.withLock { families in
            families["postern_requests_total", default: Family(help: "Webhook requests by source, outcome and reason.",
                                                               type: "counter")].counters[counterLabels, default: 0] += 1
            families["postern_request_duration_seconds", default: Family(help: "Time from request to answer.", type: "histogram")]
                .histograms[sourceLabel, default: Histogram(bounds: Self.latencyBuckets)].observe(seconds)
        }
    }

    /// Records one store commit: how long it took and how many events it made durable.
    public func recordCommit(batchSize: Int, seconds: Double) {
        observe("postern_store_commit_duration_seconds", help: "Time to commit one batch of events durably.",
                labels: [:], value: seconds, buckets: Self.latencyBuckets)
        observe("postern_store_commit_batch_size", help: "Events committed together in one transaction.",
                labels: [:], value: Double(batchSize), buckets: Self.batchBuckets)
    }

    public func increment(_ name: String, help: String, labels: [String: String], by amount: Double = 1) {
        families.withLock { families in
            families[name, default: Family(help: help, type: "counter")].counters[Self.render(labels), default: 0] += amount
        }
    }

    /// Sets a gauge: a value that goes up and down (queue depth, circuit state).
    public func set(_ name: String, help: String, labels: [String: String], to value: Double) {
        families.withLock { families in
            families[name, default: Family(help: help, type: "gauge")].counters[Self.render(labels)] = value
        }
    }

    public func observe(_ name: String, help: String, labels: [String: String], value: Double, buckets: [Double]) {
        families.withLock { families in
            let key = Self.render(labels)
            families[name, default: Family(help: help, type: "histogram")]
                .histograms[key, default: Histogram(bounds: buckets)].observe(value)
        }
    }

    /// The Prometheus text exposition (version 0.0.4) of every metric.
    public func exposition() -> String {
        families.withLock { families in
            var lines: [String] = []
            for name in families.keys.sorted() {
                let family = families[name]!
                lines.append("# HELP \(name) \(family.help)")
                lines.append("# TYPE \(name) \(family.type)")
                for labels in family.counters.keys.sorted() {
                    lines.append("\(name)\(Self.braced(labels)) \(Self.number(family.counters[labels]!))")
                }
                for labels in family.histograms.keys.sorted() {
                    lines += Self.lines(name, labels: labels, family.histograms[labels]!)
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    private static func lines(_ name: String, labels: String, _ histogram: Histogram) -> [String] {
        let prefix = labels.isEmpty ? "" : labels + ","
        var lines = zip(histogram.bounds, histogram.counts).map { bound, count in
            "\(name)_bucket{\(prefix)le=\"\(number(bound))\"} \(count)"
        }
        lines.append("\(name)_bucket{\(prefix)le=\"+Inf\"} \(histogram.total)")
        lines.append("\(name)_sum\(braced(labels)) \(number(histogram.sum))")
        lines.append("\(name)_count\(braced(labels)) \(histogram.total)")
        return lines
    }

    private static func render(_ labels: [String: String]) -> String {
        labels.keys.sorted().map { "\($0)=\"\(escape(labels[$0]!))\"" }.joined(separator: ",")
    }

    private static func braced(_ labels: String) -> String { labels.isEmpty ? "" : "{\(labels)}" }

    private static func escape(_ value: String) -> String {
        // Most label values need no escaping; searching is far cheaper than replacing.
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else {
            return value
        }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

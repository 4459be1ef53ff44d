import Foundation
import Hummingbird
import PosternCore

/// The overview: per source, accepted and refused requests (refusals by reason) over the last hour and day with a
/// chart of the last hour; per destination, backlog, dead letters, circuit and last error.
extension Console {
    func overview(_ session: ConsoleSessions.Session?) async throws -> Response {
        let now = Date()
        let sources = status.sources(now: now).map { source -> [String] in
            let reasons = source.lastDay.refusedByReason.sorted { $0.value > $1.value }.prefix(4)
                .map { "\($0.key.html) \($0.value)" }.joined(separator: ", ")
            return [
                "<a href=\"/console/events?source=\(source.name.percentEncoded)\">\(source.name.html)</a><br><small>\(source.path.html) · \(source.scheme.html)</small>",
                "\(source.lastHour.accepted)", "\(source.lastHour.refused)", "\(source.lastDay.accepted)", "\(source.lastDay.refused)",
                reasons.isEmpty ? "–" : reasons, Self.chart(source.perMinute),
            ]
        }
        let destinations = try await status.destinations().map { destination -> [String] in
            [
                destination.name.html, destination.type.html,
                destination.pending == 0 ? "0" : "<strong>\(destination.pending)</strong>",
                destination.dead == 0 ? "0" : "<a href=\"/console/dead-letters?destination=\(destination.name.percentEncoded)\">\(destination.dead)</a>",
                "<span class=\"circuit \(destination.circuit.html)\">\(destination.circuit.html)</span>",
                destination.lastError.map { "\(ConsolePage.time($0.at)): \($0.error.html)" } ?? "–",
                ConsolePage.time(destination.lastDeliveredAt),
            ]
        }
        return page("Overview", session, """
            <h2>Sources</h2>
            \(ConsolePage.table(["source", "accepted (1 h)", "refused (1 h)", "accepted (24 h)", "refused (24 h)", "refusals by reason (24 h)", "last hour"], sources, id: "sources"))
            <h2>Destinations</h2>
            \(ConsolePage.table(["destination", "type", "backlog", "dead letters", "circuit", "last error", "last delivered"], destinations, id: "destinations"))
            <p class="hint">Counts are kept in memory since the gateway started; the backlog and dead letters come from the store.</p>
            """)
    }

    /// Sixty bars, one per minute, accepted below refused: SVG with presentation attributes only (the CSP allows no
    /// inline style).
    static func chart(_ minutes: [[Int]]) -> String {
        let peak = max(1, minutes.map { $0.reduce(0, +) }.max() ?? 1)
        let bars = minutes.enumerated().map { index, counts -> String in
            let accepted = Double(counts.first ?? 0) / Double(peak) * 30
            let refused = Double(counts.last ?? 0) / Double(peak) * 30
            let x = index * 3
            return "<rect x=\"\(x)\" y=\(String(format: "\"%.1f\"", 30 - accepted)) width=\"2\" height=\(String(format: "\"%.1f\"", accepted)) fill=\"#2f855a\"/>"
                + "<rect x=\"\(x)\" y=\(String(format: "\"%.1f\"", 30 - accepted - refused)) width=\"2\" height=\(String(format: "\"%.1f\"", refused)) fill=\"#c53030\"/>"
        }.joined()
        let total = minutes.reduce(0) { $0 + ($1.first ?? 0) + ($1.last ?? 0) }
        return "<svg class=\"chart\" width=\"180\" height=\"30\" viewBox=\"0 0 180 30\" role=\"img\" aria-label=\"\(total) requests in the last hour\">\(bars)</svg>"
    }
}

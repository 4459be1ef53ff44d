import Foundation
import PosternCore
import PosternServer

/// `postern events show` without `--json`: the event as text for a terminal, control characters escaped, bodies
/// laid out by `BodyPrinter`.
extension EventDocument {
    var text: String {
        var lines = [
            "event       \(event.id)",
            "source      \(event.source)",
            "received    \(event.receivedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))",
            "key         \(event.idempotencyKey)",
        ]
        if let correlation = event.correlationId { lines.append("correlation \(correlation)") }
        if let caller { lines.append("caller      \(caller)") }
        if let clientSubject { lines.append("client      \(clientSubject)") }
        if let verification {
            lines.append("verified    \(verification.scheme)" + (verification.secretIndex.map { ", secret \($0)" } ?? "")
                         + (verification.timestamp.map { ", signed at \($0.formatted(.iso8601))" } ?? ""))
        }
        lines.append("")
        lines += headers.map { "\($0[0]): \($0[1])" }
        lines.append("")
        let contentType = headers.first { $0[0].lowercased() == "content-type" }?[1]
        let shownBody = body.flatMap { BodyPrinter.pretty(Array($0.utf8), contentType: contentType) }
            ?? "(\(bodyBase64?.count ?? 0) base64 characters; --json shows them)"
        lines += shownBody.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.append("")
        if deliveries.isEmpty { lines.append("no destinations") }
        for delivery in deliveries {
            lines.append("→ \(delivery.destination)  \(delivery.state.rawValue)  attempts \(delivery.attempts)"
                         + (delivery.nextAttemptAt.map { "  next \($0.formatted(.iso8601))" } ?? ""))
            for attempt in attempts where attempt.destination == delivery.destination {
                lines.append("    \(attempt.time.formatted(.iso8601))  \(attempt.status.map(String.init) ?? "-")  \(attempt.latencyMs) ms"
                             + (attempt.error.map { "  \($0)" } ?? ""))
            }
        }
        return lines.map(\.escapingControlCharacters).joined(separator: "\n")
    }
}

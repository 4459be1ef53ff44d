import Foundation
import PosternCore

/// One event as `postern events show` prints it: as JSON with `--json`, else as text for a terminal (control
/// characters escaped). The body is text when it is UTF-8 (JSON pretty-printed), else base64.
struct EventShown: Encodable {
    let event: StoredEvent
    let caller: String?
    let clientSubject: String?
    let headers: [[String]]
    let body: String?
    let bodyBase64: String?
    let verification: Verification?
    let deliveries: [DeliveryRecord]
    let attempts: [DeliveryAttempt]

    init(_ detail: EventDetail, deliveries: [DeliveryRecord], attempts: [DeliveryAttempt]) {
        event = detail.event
        caller = detail.caller
        clientSubject = detail.clientSubject
        headers = detail.headers.map { [$0.name, $0.value] }
        let text = String(validating: detail.body, as: UTF8.self)
        body = text
        bodyBase64 = text == nil ? Data(detail.body).base64EncodedString() : nil
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        verification = try? decoder.decode(Verification.self, from: Data(detail.verification.utf8))
        self.deliveries = deliveries
        self.attempts = attempts
    }

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
        let shownBody = body.map(Self.pretty) ?? "(\(bodyBase64?.count ?? 0) base64 characters; --json shows them)"
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

    /// JSON indented for reading; any other text as it is.
    static func pretty(_ text: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
              let pretty = String(data: data, encoding: .utf8) else { return text }
        return pretty
    }
}

import Foundation
import PosternCore
import PosternVerify
import ServiceContextModule

/// The POST a delivery attempt sends: the original raw body, `Content-Type`, `Idempotency-Key` (the event id, the
/// same on every attempt and replay), `X-Correlation-Id`, a W3C `traceparent`, the allowlisted original headers,
/// the destination's own headers, and Standard Webhooks signature headers when the destination signs.
public struct OutgoingRequest: Sendable {
    public var method = "POST"
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(_ delivery: DueDelivery, to destination: DestinationConfig, now: Date) {
        func original(_ name: String) -> String? {
            delivery.headers.first { $0.name.lowercased() == name }?.value
        }
        let values = destination.usesPlaceholders ? Self.values(delivery) : nil
        let body = destination.body.flatMap { template in values.map { Array(template.render($0).jsonText.utf8) } }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", body != nil ? "application/json" : original("content-type") ?? "application/json"),
            ("Idempotency-Key", delivery.eventID),
            ("X-Correlation-Id", delivery.correlationID ?? delivery.eventID),
        ]
        // Inside a delivery attempt's span the span's own context goes out; with tracing off, a new span id in the
        // caller's trace.
        let propagated = TraceHeaders.headers(for: ServiceContext.current ?? .topLevel)
        headers += propagated.isEmpty ? [("traceparent", TraceParent.child(of: original("traceparent")))] : propagated
        for name in destination.forwardHeaders where !Self.reserved.contains(name) {
            if let value = original(name) { headers.append((name, value)) }
        }
        headers += destination.headers.map { header in
            guard let values, header.value.contains("{{") else { return header }
            // A value from the body may hold anything: no control character (CR, LF) reaches the header.
            let text = BodyTemplate.text(rendering: header.value, values).unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) }
            return (header.name, String(text))
        }
        let sent = body ?? delivery.body
        if let secret = destination.signingSecret, let key = StandardWebhooksSecret.keyBytes(secret) {
            headers += Self.standardWebhooksSigner.headers(body: sent, keyBytes: key, timestamp: now, id: delivery.eventID)
        }
        self.url = destination.url
        self.headers = headers
        self.body = sent
    }

    /// What a destination's placeholders stand for in this delivery: the body's fields when it is JSON or a form.
    static func values(_ delivery: DueDelivery) -> BodyTemplate.Values {
        BodyTemplate.Values(id: delivery.eventID, correlationID: delivery.correlationID ?? delivery.eventID,
                            receivedAt: delivery.receivedAt, document: StoredBody.fields(delivery.body, headers: delivery.headers))
    }

    public init(method: String = "POST", url: String, headers: [(name: String, value: String)], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Headers the gateway sets itself, never copied from the original request.
    static let reserved: Set<String> = [
        "content-type", "content-length", "host", "idempotency-key", "x-correlation-id", "traceparent", "tracestate",
        "authorization",
        "connection", "transfer-encoding", "webhook-id", "webhook-timestamp", "webhook-signature",
    ]

    static let standardWebhooksSigner = HMACSigner(descriptor: Preset.standardWebhooks)
}

import Foundation
import PosternCore

/// One stored event whole, as `GET /admin/v1/events/{id}` answers it and `postern events show --json` prints it: the
/// kept headers, the body (as text when it is UTF-8, else base64), the verification, and each delivery with its attempts.
public struct EventDocument: Encodable, Sendable {
    public let event: StoredEvent
    public let caller: String?
    public let clientSubject: String?
    public let headers: [[String]]
    public let body: String?
    public let bodyBase64: String?
    public let verification: Verification?
    public let deliveries: [DeliveryRecord]
    public let attempts: [DeliveryAttempt]

    public init(_ detail: EventDetail, deliveries: [DeliveryRecord], attempts: [DeliveryAttempt]) {
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
}

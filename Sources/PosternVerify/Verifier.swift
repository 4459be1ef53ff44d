import Foundation
import PosternCore

/// Checks one request's authenticity from its raw bytes and the current time.
/// Pure: no I/O, no clock of its own, so it can be tested at any instant and fuzzed.
public protocol Verifier: Sendable {
    func verify(_ request: WebhookRequest, now: Date) -> Verdict
}

extension Verifier {
    /// Verifies a POST to `/` with these headers and body: all that body-signing schemes read.
    public func verify(body: [UInt8], headers: RequestHeaders, now: Date) -> Verdict {
        verify(WebhookRequest(headers: headers, body: body), now: now)
    }
}

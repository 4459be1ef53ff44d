import Foundation
import PosternCore

/// A fulfillment source's upstream, called while the caller waits: the event is sent as a delivery would be, and a
/// 2xx JSON answer within the time allowed is the answer to pass back.
public enum UpstreamCall {
    /// The upstream's JSON answer, or why there is none (timed out, refused, not JSON).
    public static func answer(_ delivery: DueDelivery, upstream: DestinationConfig, within limit: Duration,
                              client: DeliveryClient, now: Date) async -> Result<[UInt8], UpstreamFailure> {
        let request = OutgoingRequest(delivery, to: upstream, now: now)
        do {
            let answer = try await client.send(request, timeout: min(limit, upstream.timeout))
            guard (200..<300).contains(answer.status) else { return .failure(UpstreamFailure(reason: "HTTP \(answer.status)")) }
            guard (try? JSONParser.parse(answer.body)) != nil else {
                return .failure(UpstreamFailure(reason: "the answer is not JSON"))
            }
            return .success(answer.body)
        } catch {
            return .failure(UpstreamFailure(reason: AttemptResult(failure: DeliveryClient.failure(error)).summary))
        }
    }
}

/// Why the upstream gave no usable answer.
public struct UpstreamFailure: Error, Sendable {
    public var reason: String
}

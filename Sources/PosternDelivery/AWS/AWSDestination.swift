import Foundation
import PosternCore
import PosternVerify

/// An AWS destination: each delivery one signed call (EventBridge, SQS or SNS); AWS's error codes decide the retry —
/// throttling and internal errors are retried with backoff, validation errors dead-lettered with their code.
struct AWSDestination: Destination {
    let config: DestinationConfig
    let settings: AWSSettings
    let client: DeliveryClient

    func attempt(_ delivery: DueDelivery, now: Date) async -> AttemptResult {
        let call: AWSCall
        switch AWSCall.make(delivery, settings: settings, template: config.body) {
        case .success(let made): call = made
        case .failure(let unsendable): return AttemptResult(failure: .unsendable(unsendable.reason))
        }
        let started = ContinuousClock.now
        do {
            let answer = try await client.send(request(call, now: now), timeout: config.timeout)
            var result = AttemptResult(status: answer.status, latency: ContinuousClock.now - started)
            result.serviceError = AWSAnswer.error(status: answer.status, body: answer.body, errorTypeHeader: answer.errorType)
            return result
        } catch {
            return AttemptResult(failure: DeliveryClient.failure(error), latency: ContinuousClock.now - started)
        }
    }

    /// The call as a signed POST to the endpoint's root.
    func request(_ call: AWSCall, now: Date) -> OutgoingRequest {
        let host = URLComponents(string: settings.endpoint).map { parts in
            (parts.host ?? "") + (parts.port.map { ":\($0)" } ?? "")
        } ?? ""
        var headers: [(name: String, value: String)] = [("Host", host), ("Content-Type", call.contentType)]
        if let target = call.target { headers.append(("X-Amz-Target", target)) }
        let signer = SigV4Signer(credential: settings.credential, sessionToken: settings.sessionToken,
                                 region: settings.region, service: settings.service)
        let signed = signer.sign(method: "POST", path: "/", query: nil, headers: headers, body: call.body, at: now)
        return OutgoingRequest(url: settings.endpoint + "/", headers: signed, body: call.body)
    }
}

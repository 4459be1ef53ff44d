import Foundation
import PosternCore

/// Genesys Cloud Open Messaging: each event becomes an inbound message, receipt or typing event of the integration
/// (`POST /api/v2/conversations/messages/{integrationId}/inbound/open/message|receipt|event`), with the shared
/// OAuth token; the body is the built-in `{{genesys-open-messaging}}` template with the destination's mapping, or
/// the destination's own `body:`.
/// A 401 renews the token once and tries again; a 429's Retry-After is honoured by the dispatcher.
struct GenesysDestination: Destination {
    let config: DestinationConfig
    let settings: GenesysSettings
    let client: DeliveryClient
    let tokens: OAuthTokenProvider

    func attempt(_ delivery: DueDelivery, now: Date) async -> AttemptResult {
        // The destination's body template: the built-in Open Messaging one with its mapping, or its own.
        let values = OutgoingRequest.values(delivery)
        let template = config.body ?? .genesys(settings.send, settings.mapping)
        if let problem = template.problem(values) { return AttemptResult(failure: .unsendable(problem)) }
        let message = Array(template.render(values).jsonText.utf8)
        let started = ContinuousClock.now
        var (result, token) = await send(message, delivery, now: now)
        if result.status == 401, let token {
            await tokens.invalidate(token)
            (result, _) = await send(message, delivery, now: now)
        }
        result.latency = ContinuousClock.now - started
        return result
    }

    /// One POST with the current token; the token is returned so a 401 can retire it.
    private func send(_ message: [UInt8], _ delivery: DueDelivery, now: Date) async -> (attempt: AttemptResult, token: String?) {
        let token: String
        do {
            token = try await tokens.token()
        } catch let failure as TokenFailure {
            return (failure.result, nil)
        } catch {
            return (AttemptResult(failure: DeliveryClient.failure(error)), nil)
        }
        let request = OutgoingRequest(url: settings.inboundURL, headers: [
            ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"), ("Accept", "application/json"),
            ("X-Correlation-Id", delivery.correlationID ?? delivery.eventID),
        ], body: message)
        var result = await client.attempt(request, timeout: config.timeout, now: now)
        if let excerpt = result.bodyExcerpt { result.bodyExcerpt = GenesysErrorText.describe(Array(excerpt.utf8)) }
        return (result, token)
    }
}

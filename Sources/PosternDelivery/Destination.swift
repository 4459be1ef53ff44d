import Foundation
import PosternCore

/// Where deliveries go: one attempt at a time, its result classified by the retry policy.
public protocol Destination: Sendable {
    var config: DestinationConfig { get }
    func attempt(_ delivery: DueDelivery, now: Date) async -> AttemptResult
}

/// Builds the destination a configuration describes: plain HTTP, Genesys Cloud Open Messaging, or an AWS service.
public enum Destinations {
    public static func make(_ config: DestinationConfig, client: DeliveryClient,
                            clock: WallClock = .system) -> any Destination {
        if let genesys = config.genesys {
            return GenesysDestination(config: config, settings: genesys, client: client,
                                      tokens: OAuthTokenProvider(settings: genesys, client: client, clock: clock))
        }
        if let aws = config.aws {
            return AWSDestination(config: config, settings: aws, client: client)
        }
        return HTTPDestination(config: config, client: client)
    }
}

/// A plain HTTP backend: the original body POSTed with the delivery headers.
struct HTTPDestination: Destination {
    let config: DestinationConfig
    let client: DeliveryClient

    func attempt(_ delivery: DueDelivery, now: Date) async -> AttemptResult {
        if let problem = config.body?.problem(OutgoingRequest.values(delivery)) {
            return AttemptResult(failure: .unsendable(problem))
        }
        return await client.attempt(OutgoingRequest(delivery, to: config, now: now), timeout: config.timeout, now: now)
    }
}

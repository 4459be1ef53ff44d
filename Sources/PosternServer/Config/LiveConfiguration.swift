import Foundation
import PosternCore
import PosternVerify
import PosternDelivery
import Synchronization

/// What requests are served under, all from one loaded configuration: the sources (by path and by name), their
/// guards and rate limits, the proxies whose `X-Forwarded-For` is believed, the fulfiller with its destinations, and
/// the configuration itself with the SHA-256 of the file it came from. Immutable: a reload builds the next one, and a
/// request keeps the one it started with to its end.
public struct ServingConfiguration: Sendable {
    public let config: GatewayConfig
    public let sources: SourceTable
    let guards: RequestGuards
    let callers: CallerResolver
    let fulfiller: Fulfiller
    /// The token endpoint's issuer, when the configuration has an `oauth` section.
    let tokens: TokenAuthority?
    /// The identity-provider keys of each `jwt` source, by source name: loaded before the configuration serves.
    let issuers: [String: IssuerKeys]
    /// The token endpoint's buckets per client and caller.
    let tokenLimiter: TokenRequestLimiter
    /// The SHA-256 (hex) of the configuration file's bytes; nil for a configuration built in code.
    public let sha256: String?

    var rateLimiter: RateLimiter { guards.rateLimiter }

    /// `previous`, when reloading: rate-limit buckets of unchanged limits carry over. Tests pass their own rate
    /// limiter (with its clock) and callers.
    public init(_ plan: GatewayPlan, sha256: String? = nil, client: DeliveryClient? = nil,
                previous: ServingConfiguration? = nil, rateLimiter: RateLimiter? = nil, callers: CallerResolver? = nil) {
        let sources = plan.sources.sources
        let limiter = rateLimiter ?? previous.map { RateLimiter(sources: sources, continuing: $0.rateLimiter) }
            ?? RateLimiter(sources: sources)
        self.config = plan.config
        self.sources = plan.sources
        self.guards = RequestGuards(sources: plan.sources, rateLimiter: limiter)
        self.callers = callers ?? CallerResolver(trustedProxies: plan.config.trustedProxies)
        self.fulfiller = Fulfiller(client: client, destinations: plan.config.destinations)
        self.sha256 = sha256
        self.tokens = plan.tokens
        self.issuers = plan.issuers
        self.tokenLimiter = TokenRequestLimiter.continuing(previous?.tokenLimiter,
                                                           limit: plan.config.oauth?.rateLimit ?? OAuthConfig.defaultRateLimit)
        if let tokens = plan.tokens, let retiring = previous?.tokens { tokens.carryOver(from: retiring, now: Date()) }
    }
}

/// The serving configuration now: read once at the start of each request, replaced whole by a reload.
public final class LiveConfiguration: Sendable {
    private let serving: Mutex<ServingConfiguration>

    public init(_ initial: ServingConfiguration) {
        serving = Mutex(initial)
    }

    public var current: ServingConfiguration { serving.withLock { $0 } }

    func replace(with next: ServingConfiguration) {
        serving.withLock { $0 = next }
    }
}

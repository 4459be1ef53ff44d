import PosternCore
import PosternVerify

/// A configured source, ready to take requests: its verifier, schema, key rule and limits.
public final class Source: Sendable {
    public let config: SourceConfig
    public let verifier: SourceVerifier
    /// The headers stored with this source's events (lower-case names).
    let keptHeaderNames: Set<String>
    /// The destinations each event gets an outbox row for.
    let queuedDestinations: [String]
    /// How the queued destinations that order their deliveries key them.
    let orderings: [String: DeliveryOrdering]

    public var name: String { config.name }
    public var schema: JSONSchema? { config.schema }
    public var idempotencyKey: IdempotencyKeyRule { config.idempotencyKey }
    public var maxBodyBytes: Int { config.maxBodyBytes }
    public var rateLimit: RateLimit? { config.rateLimit }

    /// The received headers worth keeping with an event of this source.
    func keptHeaders(_ headers: RequestHeaders) -> [(name: String, value: String)] {
        zip(headers.names, headers.fields).filter { keptHeaderNames.contains($0.0) }.map(\.1)
    }

    /// The event's ordering key for each of `destinations` that orders its deliveries.
    func orderingKeys(_ destinations: [String], document: JSONValue?, headers: RequestHeaders) -> [String: String] {
        guard !orderings.isEmpty else { return [:] }
        var keys: [String: String] = [:]
        for destination in destinations {
            keys[destination] = orderings[destination]?.key(document: document) { headers[$0] }
        }
        return keys
    }

    /// Refuses a connection without the client certificate this source requires, or with one it does not allow.
    public func checkClient(_ identity: ClientIdentity?) -> Refusal? {
        guard config.requiresClientCertificate else { return nil }
        guard let identity else {
            return Refusal(.clientCertRequired, "this source requires a client certificate (a TLS listener with clientCA)")
        }
        let matchesByName = !config.allowedSubjects.isEmpty || !config.allowedSANs.isEmpty
        if matchesByName, let ambiguity = identity.ambiguity {
            return Refusal(.clientCertNotAllowed, "\(ambiguity) (subject \"\(identity.subject)\")")
        }
        if !config.allowedSubjects.isEmpty, !identity.matchesSubject(in: config.allowedSubjects) {
            return Refusal(.clientCertNotAllowed, "the client certificate's subject \"\(identity.subject)\" is not in allowedSubjects")
        }
        if !config.allowedSANs.isEmpty, !identity.matchesAlternativeName(in: config.allowedSANs) {
            let seen = identity.alternativeNames.map(\.description).joined(separator: ", ")
            return Refusal(.clientCertNotAllowed,
                "none of the client certificate's alternative names (\(seen.isEmpty ? "none" : seen)) is in allowedSANs; subject \"\(identity.subject)\"")
        }
        return nil
    }

    /// Whether the caller may use this source: every address when `allowIPs` is empty.
    public func allows(_ caller: IPAddress?) -> Bool {
        guard !config.allowIPs.isEmpty else { return true }
        guard let caller else { return false }
        return config.allowIPs.contains { $0.contains(caller) }
    }

    /// Builds the source's verifier and the headers its events keep; `destinations` are the configured ones, for
    /// their orderings.
    init(_ config: SourceConfig, destinations: [DestinationConfig] = [], tokens: TokenAuthority? = nil) {
        self.config = config
        self.verifier = SourceVerifier(config.verify, tokens: tokens)
        self.queuedDestinations = config.queuedDestinations
        let queued = Set(queuedDestinations)
        self.orderings = Dictionary(destinations.compactMap { destination in
            destination.ordering.flatMap { queued.contains(destination.name) ? (destination.name, $0) : nil }
        }, uniquingKeysWith: { first, _ in first })
        // Every destination's ordering header, not only those of this source's destinations: a replay may create a
        // delivery to any destination, and keys it from the kept headers.
        self.keptHeaderNames = Intake.keptHeaderNames(verifier, idempotencyKey: config.idempotencyKey, routes: config.routes,
                                                      orderings: destinations.compactMap(\.ordering))
    }
}

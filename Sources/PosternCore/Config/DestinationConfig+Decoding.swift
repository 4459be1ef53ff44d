import Foundation

/// The `destinations` section: HTTP and Genesys destinations, their retries and circuit breakers.
extension GatewayConfig {
    static let destinationKeys: Set<String> = [
        "name", "url", "timeout", "headers", "forwardHeaders", "retry", "circuit", "signing", "concurrency", "rateLimit",
        "body", "ordering",
    ]

    static func decodeDestinations(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [DestinationConfig] {
        let decoded = node.elements(&problems).compactMap { element in
            decodeDestination(element, &problems).map { (node: element, destination: $0) }
        }
        reportRepeats(decoded.map { ($0.node["name"].path, $0.destination.name) }, &problems)
        return decoded.map(\.destination)
    }

    static let genesysKeys: Set<String> = [
        "name", "type", "region", "apiBase", "loginBase", "clientId", "clientSecret", "integrationId", "path", "mapping",
        "requestsPerMinute", "rateLimit", "timeout", "retry", "circuit", "concurrency", "send", "ordering", "body",
    ]

    static func decodeDestination(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> DestinationConfig? {
        switch node["type"].string(&problems) ?? "http" {
        case "http": break
        case "genesys": return decodeGenesysDestination(node, &problems)
        case let aws where ["eventbridge", "sqs", "sns"].contains(aws):
            return decodeAWSDestination(aws, node, environment: ProcessInfo.processInfo.environment, &problems)
        case let other:
            problems.append(ConfigProblem(node["type"].path, "must be http, genesys, eventbridge, sqs or sns, found \"\(other)\""))
            return nil
        }
        node.rejectUnknownKeys(destinationKeys.union(["type"]), &problems)
        let name = node["name"].requiredString(&problems)
        let url = node["url"].requiredString(&problems)
        if let url, !isHTTPURL(url) {
            problems.append(ConfigProblem(node["url"].path, "must be an absolute http:// or https:// URL, found \"\(url)\""))
        }
        var destination = DestinationConfig(name: name ?? "", url: url ?? "")
        destination.timeout = node["timeout"].duration(&problems) ?? destination.timeout
        destination.headers = decodeHeaderMap(node["headers"], &problems)
        for (name, value) in destination.headers { _ = BodyTemplate.pieces(value, at: node["headers"][name].path, &problems) }
        destination.body = BodyTemplate.decode(node["body"], &problems)
        if node["forwardHeaders"].isPresent {
            destination.forwardHeaders = node["forwardHeaders"].strings(&problems).map { $0.lowercased() }
        }
        destination.retry = decodeRetry(node["retry"], &problems)
        destination.circuit = decodeCircuit(node["circuit"], &problems)
        node["signing"].rejectUnknownKeys(["secret"], &problems)
        if let secret = node["signing"]["secret"].string(&problems) {
            if StandardWebhooksSecret.keyBytes(secret) == nil {
                problems.append(ConfigProblem(node["signing"]["secret"].path,
                    "must be a Standard Webhooks secret: whsec_ followed by base64 (24 to 64 bytes)"))
            }
            destination.signingSecret = secret
        } else if node["signing"].isPresent {
            problems.append(ConfigProblem(node["signing"]["secret"].path, "is required"))
        }
        destination.concurrency = node["concurrency"].integer(&problems, in: ConfigRange.concurrency) ?? destination.concurrency
        destination.rateLimit = decodeRateLimit(node["rateLimit"], &problems)
        destination.ordering = decodeOrdering(node["ordering"], &problems)
        guard name != nil, url != nil else { return nil }
        return destination
    }

    /// A Genesys Cloud destination: region or explicit hosts, OAuth client, integration, message mapping.
    static func decodeGenesysDestination(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> DestinationConfig? {
        node.rejectUnknownKeys(genesysKeys, &problems)
        let name = node["name"].requiredString(&problems)
        var apiBase = node["apiBase"].string(&problems)
        var loginBase = node["loginBase"].string(&problems)
        if let region = node["region"].string(&problems) {
            if let domain = GenesysRegion.domain(region) {
                apiBase = apiBase ?? GenesysRegion.apiBase(domain)
                loginBase = loginBase ?? GenesysRegion.loginBase(domain)
            } else {
                problems.append(ConfigProblem(node["region"].path, "\"\(region)\" is not a Genesys Cloud region (one of: \(GenesysRegion.domains.map(\.domain).joined(separator: ", ")))"))
            }
        } else if apiBase == nil || loginBase == nil {
            problems.append(ConfigProblem(node["region"].path, "is required (e.g. mypurecloud.com), unless apiBase and loginBase are both given"))
        }
        for (key, base) in [("apiBase", apiBase), ("loginBase", loginBase)] {
            if let base, !isHTTPURL(base) {
                problems.append(ConfigProblem(node[key].path, "must be an absolute https:// URL, found \"\(base)\""))
            }
        }
        let clientId = node["clientId"].requiredString(&problems)
        let clientSecret = node["clientSecret"].requiredString(&problems)
        let integrationId = node["integrationId"].requiredString(&problems)
        if let path = node["path"].string(&problems), path != GenesysSettings.tutorialPath,
           path != "/api/v2/conversations/messages/{integrationId}/inbound/open/message" {
            problems.append(ConfigProblem(node["path"].path,
                "must be /api/v2/conversations/messages/{integrationId}/inbound/open/message or the tutorial's \(GenesysSettings.tutorialPath) (the same call)"))
        }
        let mapping = decodeMapping(node["mapping"], &problems)
        let send = node["send"].choice(default: OpenMessagingKind.message, &problems)
        let requestsPerMinute = node["requestsPerMinute"].number(&problems, in: ConfigRange.requestsPerMinute) ?? 240
        guard let name, let apiBase, let loginBase, let clientId, let clientSecret, let integrationId else { return nil }
        let settings = GenesysSettings(apiBase: trimmingSlash(apiBase), loginBase: trimmingSlash(loginBase), clientId: clientId,
                                       clientSecret: clientSecret, integrationId: integrationId, mapping: mapping, send: send,
                                       requestsPerMinute: requestsPerMinute)
        var destination = DestinationConfig(name: name, url: settings.inboundURL, forwardHeaders: [], genesys: settings)
        // The body is the built-in Open Messaging template with this mapping, unless the destination gives its own.
        destination.body = .genesys(send, mapping)
        if node["body"].isPresent, let body = BodyTemplate.decode(node["body"], &problems) {
            if case .genesys(let kind, _) = body { destination.body = .genesys(kind, mapping) } else { destination.body = body }
        }
        destination.timeout = node["timeout"].duration(&problems) ?? destination.timeout
        destination.retry = decodeRetry(node["retry"], &problems)
        destination.circuit = decodeCircuit(node["circuit"], &problems)
        // One at a time by default, so one customer's lines reach the agent in the order they were sent.
        destination.concurrency = node["concurrency"].integer(&problems, in: ConfigRange.concurrency) ?? 1
        if node["rateLimit"].isPresent, node["requestsPerMinute"].isPresent {
            problems.append(ConfigProblem(node["rateLimit"].path, "give requestsPerMinute or rateLimit, not both"))
        }
        destination.rateLimit = decodeRateLimit(node["rateLimit"], &problems)
        // Ordered per customer by default: one customer's lines reach the agent in the order they were sent.
        destination.ordering = node["ordering"].isPresent
            ? decodeOrdering(node["ordering"], &problems) : DeliveryOrdering(key: .body(mapping.fromId))
        return destination
    }

    /// `ordering: {key: body:<pointer> | header:<name>, onFailure: block | skip}`, or `ordering: none`.
    static func decodeOrdering(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> DeliveryOrdering? {
        guard node.isPresent, !(node.value == .string("none")) else { return nil }
        node.rejectUnknownKeys(["key", "onFailure"], &problems)
        let onFailure = node["onFailure"].choice(default: DeliveryOrdering.OnFailure.skip, &problems)
        guard let text = node["key"].requiredString(&problems) else { return nil }
        guard let ordering = DeliveryOrdering(parsingKey: text, onFailure: onFailure) else {
            problems.append(ConfigProblem(node["key"].path, "must be body:<JSON pointer> or header:<name>, found \"\(text)\""))
            return nil
        }
        return ordering
    }

    static func decodeMapping(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> OpenMessagingMapping {
        node.rejectUnknownKeys(["messageId", "time", "fromId", "nickname", "defaultNickname", "text", "customAttributes",
                                "receiptId", "status", "reason"], &problems)
        var mapping = OpenMessagingMapping()
        func pointers(_ key: String, _ field: inout [String]) {
            guard node[key].isPresent else { return }
            let listed = node[key].strings(&problems)
            for pointer in listed where !pointer.hasPrefix("/") {
                problems.append(ConfigProblem(node[key].path, "\"\(pointer)\" is not a JSON pointer (it starts with /)"))
            }
            field = listed
        }
        pointers("messageId", &mapping.messageId)
        pointers("time", &mapping.time)
        pointers("fromId", &mapping.fromId)
        pointers("nickname", &mapping.nickname)
        pointers("text", &mapping.text)
        pointers("customAttributes", &mapping.customAttributes)
        pointers("receiptId", &mapping.receiptId)
        pointers("status", &mapping.status)
        pointers("reason", &mapping.reason)
        mapping.defaultNickname = node["defaultNickname"].string(&problems) ?? mapping.defaultNickname
        return mapping
    }

    static func trimmingSlash(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    static func decodeRetry(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> RetryPolicy {
        node.rejectUnknownKeys(["maxAttempts", "minDelay", "maxDelay", "maxAge", "retryAfterCap"], &problems)
        var policy = RetryPolicy()
        policy.maxAttempts = node["maxAttempts"].integer(&problems, in: ConfigRange.count) ?? policy.maxAttempts
        policy.minDelay = node["minDelay"].duration(&problems) ?? policy.minDelay
        policy.maxDelay = node["maxDelay"].duration(&problems) ?? max(policy.maxDelay, policy.minDelay)
        policy.maxAge = node["maxAge"].duration(&problems, in: ConfigRange.age) ?? policy.maxAge
        policy.retryAfterCap = node["retryAfterCap"].duration(&problems) ?? policy.retryAfterCap
        if policy.maxDelay < policy.minDelay {
            problems.append(ConfigProblem(node["maxDelay"].path, "must not be less than minDelay (\(policy.minDelay.seconds) s)"))
        }
        return policy
    }

    static func decodeCircuit(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> CircuitBreakerPolicy {
        node.rejectUnknownKeys(["failureThreshold", "cooldown"], &problems)
        var policy = CircuitBreakerPolicy()
        policy.failureThreshold = node["failureThreshold"].integer(&problems, in: ConfigRange.count) ?? policy.failureThreshold
        policy.cooldown = node["cooldown"].duration(&problems) ?? policy.cooldown
        return policy
    }

    /// A mapping of header names to values, in name order.
    static func decodeHeaderMap(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [(name: String, value: String)] {
        guard node.isPresent else { return [] }
        guard case .map(let map)? = node.value else {
            problems.append(ConfigProblem(node.path, "must be a mapping of header names to values"))
            return []
        }
        return map.keys.sorted().compactMap { name in
            node[name].requiredString(&problems).map { (name, $0) }
        }
    }

    /// Every destination a source names must be configured.
    static func checkDestinationNames(_ sources: [(node: ConfigNode, source: SourceConfig)],
                                      destinations: [DestinationConfig], _ problems: inout [ConfigProblem]) {
        let known = Set(destinations.map(\.name))
        let list = known.sorted().joined(separator: ", ")
        for (node, source) in sources {
            for (index, name) in source.destinations.enumerated() where !known.contains(name) {
                problems.append(ConfigProblem(node["destinations"].path + "[\(index)]",
                    "no destination is named \"\(name)\" (configured: \(list.isEmpty ? "none" : list))"))
            }
            if let upstream = source.respond?.upstream, !known.contains(upstream) {
                problems.append(ConfigProblem(node["respond"]["upstream"].path,
                    "no destination is named \"\(upstream)\" (configured: \(list.isEmpty ? "none" : list))"))
            }
            if let upstream = source.respond?.upstream, destinations.contains(where: { $0.name == upstream && $0.genesys != nil }) {
                problems.append(ConfigProblem(node["respond"]["upstream"].path,
                    "must be an HTTP destination: a genesys destination does not answer fulfillment requests"))
            }
        }
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return false
        }
        return scheme == "http" || scheme == "https"
    }
}

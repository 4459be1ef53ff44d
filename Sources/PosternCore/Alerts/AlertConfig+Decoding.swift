/// The `alerts` section: targets, rules, and the destinations that deliver the targets' notifications.
extension GatewayConfig {
    static let alertConditions = ["deadLetters", "circuitOpen", "refusals", "oldestPending", "genesysAuth"]

    static func decodeAlerts(_ node: ConfigNode, destinations: [DestinationConfig], sources: [SourceConfig],
                             _ problems: inout [ConfigProblem]) -> AlertConfig? {
        guard node.isPresent else { return nil }
        node.rejectUnknownKeys(["targets", "rules", "evaluateEvery"], &problems)
        let targets = node["targets"].elements(&problems).compactMap { element in
            decodeAlertTarget(element, &problems).map { (node: element, target: $0) }
        }
        reportRepeats(targets.map { ($0.node["name"].path, $0.target.name) }, &problems)
        if targets.isEmpty { problems.append(ConfigProblem(node["targets"].path, "needs at least one target")) }
        let names = Set(targets.map(\.target.name))
        let rules = node["rules"].elements(&problems).compactMap { element in
            decodeAlertRule(element, targets: names, destinations: destinations, sources: sources, &problems)
                .map { (node: element, rule: $0) }
        }
        reportRepeats(rules.map { ($0.node["name"].path, $0.rule.name) }, &problems)
        let every = node["evaluateEvery"].duration(&problems) ?? .seconds(5)
        return AlertConfig(targets: targets.map(\.target), rules: rules.map(\.rule), evaluateEvery: every)
    }

    static func decodeAlertTarget(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> AlertTarget? {
        node.rejectUnknownKeys(["name", "type", "url", "headers"], &problems)
        let name = node["name"].requiredString(&problems)
        let kind = node["type"].choice(default: AlertTarget.Kind.webhook, &problems)
        let url = node["url"].requiredString(&problems)
        if let url, !isHTTPURL(url) {
            problems.append(ConfigProblem(node["url"].path, "must be an absolute http:// or https:// URL, found \"\(url)\""))
        }
        guard let name, let url else { return nil }
        return AlertTarget(name: name, kind: kind, url: url, headers: decodeHeaderMap(node["headers"], &problems))
    }

    static func decodeAlertRule(_ node: ConfigNode, targets: Set<String>, destinations: [DestinationConfig],
                                sources: [SourceConfig], _ problems: inout [ConfigProblem]) -> AlertRule? {
        let name = node["name"].requiredString(&problems)
        let given = alertConditions.filter { node[$0].isPresent }
        guard given.count == 1, let key = given.first else {
            node.rejectUnknownKeys(Set(alertConditions + ["name", "destination", "source", "notify"]), &problems)
            problems.append(ConfigProblem(node.path, "needs exactly one condition: \(alertConditions.joined(separator: ", "))"))
            return nil
        }
        let condition: AlertRule.Condition
        let settings = node[key]
        switch key {
        case "deadLetters":
            settings.rejectUnknownKeys(["above", "within"], &problems)
            condition = .deadLetters(above: settings["above"].integer(&problems, in: ConfigRange.count) ?? 0,
                                     within: settings["within"].duration(&problems) ?? .seconds(300))
        case "refusals":
            settings.rejectUnknownKeys(["reason", "above", "within"], &problems)
            let reason = settings["reason"].string(&problems)
            if let reason, ReasonCode(rawValue: reason) == nil || ReasonCode(rawValue: reason)?.isSuccess == true {
                problems.append(ConfigProblem(settings["reason"].path, "\"\(reason)\" is not a refusal's reason code"))
            }
            condition = .refusals(reason: reason, above: settings["above"].integer(&problems, in: ConfigRange.count) ?? 0,
                                  within: settings["within"].duration(&problems) ?? .seconds(60))
        case "oldestPending":
            settings.rejectUnknownKeys(["olderThan"], &problems)
            guard let age = settings["olderThan"].duration(&problems, in: ConfigRange.age) else {
                problems.append(ConfigProblem(settings["olderThan"].path, "is required: seconds"))
                return nil
            }
            condition = .oldestPending(olderThan: age)
        case "circuitOpen":
            condition = .circuitOpen
        default:
            condition = .genesysAuth
        }
        let subjectKey = condition.watchesSources ? "source" : "destination"
        node.rejectUnknownKeys(Set(alertConditions + ["name", subjectKey, "notify"]), &problems)
        let subject = node[subjectKey].string(&problems)
        let known = condition.watchesSources ? Set(sources.map(\.name)) : Set(destinations.map(\.name))
        if let subject, !known.contains(subject) {
            problems.append(ConfigProblem(node[subjectKey].path, "no \(subjectKey) is named \"\(subject)\""))
        }
        if condition == .genesysAuth, let subject, destinations.contains(where: { $0.name == subject && $0.genesys == nil }) {
            problems.append(ConfigProblem(node["destination"].path, "must be a genesys destination"))
        }
        let notify = node["notify"].isPresent ? node["notify"].strings(&problems) : targets.sorted()
        for (index, target) in notify.enumerated() where !targets.contains(target) {
            problems.append(ConfigProblem(node["notify"].path + "[\(index)]", "no alert target is named \"\(target)\""))
        }
        guard let name else { return nil }
        return AlertRule(name: name, condition: condition, subject: subject, notify: notify)
    }

    /// The destinations that deliver the targets' notifications, each in the shape its incoming webhook takes, ordered
    /// per rule.
    public static func alertDestinations(_ alerts: AlertConfig) -> [DestinationConfig] {
        alerts.targets.map { target in
            var destination = DestinationConfig(name: AlertConfig.destinationName(target.name), url: target.url,
                                                headers: target.headers, forwardHeaders: [])
            destination.body = AlertBodies.template(target.kind)
            // A rule's notices arrive in the order raised: a resolution never overtakes its firing's retries.
            destination.ordering = DeliveryOrdering(key: .body(["/alert"]))
            return destination
        }
    }
}

/// `alerts:`: where notifications go (a generic webhook, Slack- or Microsoft Teams-compatible incoming webhooks) and
/// the rules that raise them. Each target is delivered like a destination (durable, retried), named `alert:<name>`.
public struct AlertConfig: Sendable {
    public var targets: [AlertTarget]
    public var rules: [AlertRule]
    /// How often the rules are evaluated.
    public var evaluateEvery: Duration

    public init(targets: [AlertTarget], rules: [AlertRule], evaluateEvery: Duration = .seconds(5)) {
        self.targets = targets
        self.rules = rules
        self.evaluateEvery = evaluateEvery
    }

    /// The destination name of a target's deliveries; no rule watches these, so alerts never alert about themselves.
    public static func destinationName(_ target: String) -> String { "alert:\(target)" }

    public static func isAlertDestination(_ name: String) -> Bool { name.hasPrefix("alert:") }

    /// The events alerts are stored as.
    public static let source = "postern.alerts"
}

/// One notification target.
public struct AlertTarget: Sendable {
    /// What the target's incoming webhook takes.
    public enum Kind: String, Sendable, CaseIterable {
        /// The alert as Postern's JSON document.
        case webhook
        /// `{"text": …}`.
        case slack
        /// A message with one Adaptive Card.
        case teams
    }

    public var name: String
    public var kind: Kind
    public var url: String
    public var headers: [(name: String, value: String)]

    public init(name: String, kind: Kind, url: String, headers: [(name: String, value: String)] = []) {
        self.name = name
        self.kind = kind
        self.url = url
        self.headers = headers
    }
}

/// One alert rule: a condition, per destination or per source (one episode each), and the targets it notifies.
public struct AlertRule: Sendable, Equatable {
    /// What raises the alert.
    public enum Condition: Sendable, Equatable {
        /// More than `above` dead letters within `within`, per destination.
        case deadLetters(above: Int, within: Duration)
        /// A destination's circuit is open.
        case circuitOpen
        /// More than `above` refusals (of `reason`, or any) within `within`, per source.
        case refusals(reason: String?, above: Int, within: Duration)
        /// A destination's oldest pending delivery was enqueued more than `olderThan` ago.
        case oldestPending(olderThan: Duration)
        /// A Genesys destination's OAuth client is refused by the login host.
        case genesysAuth

        /// Whether it watches sources (else destinations).
        public var watchesSources: Bool {
            if case .refusals = self { true } else { false }
        }
    }

    public var name: String
    public var condition: Condition
    /// The destination (or, for refusals, the source) watched; nil watches every one.
    public var subject: String?
    /// The targets notified.
    public var notify: [String]

    public init(name: String, condition: Condition, subject: String? = nil, notify: [String]) {
        self.name = name
        self.condition = condition
        self.subject = subject
        self.notify = notify
    }
}

import Foundation
import Logging
import PosternCore
import PosternDelivery
import PosternStore
import ServiceLifecycle

/// Evaluates the alert rules every `evaluateEvery` against what `AlertSignals` recorded and the store's backlog, and
/// raises one notice when an alert starts firing for a destination or source and one when it resolves — an episode
/// never floods. A notice is stored as an event of `postern.alerts` with one delivery per target, so it is durable and
/// retried like any delivery; with a metric and an audit line each.
public actor AlertMonitor: Service {
    /// An alert firing for one subject: since when, and the tag that names its episode.
    struct Episode {
        var since: Date
        var tag: String
        var detail: String
    }

    /// One subject's state under a rule, as measured now.
    struct Reading {
        var subject: String
        var breaching: Bool
        var detail: String
        /// Names the episode the same way on every instance, when the reading allows it (the oldest delivery's id).
        var tag: String?
    }

    private let store: any EventStore & DeliveryQueue
    private let signals: AlertSignals
    private let config: @Sendable () -> GatewayConfig
    private let doorbell: Doorbell
    private let metrics: Metrics
    private let audit: AuditLog
    private let logger: Logger
    private let clock: WallClock
    private var firing: [String: Episode] = [:]

    public init(store: any EventStore & DeliveryQueue, signals: AlertSignals, config: @escaping @Sendable () -> GatewayConfig,
                doorbell: Doorbell, metrics: Metrics, audit: AuditLog, logger: Logger, clock: WallClock = .system) {
        self.store = store
        self.signals = signals
        self.config = config
        self.doorbell = doorbell
        self.metrics = metrics
        self.audit = audit
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.evaluate()
                try await Task.sleep(for: self.config().alerts?.evaluateEvery ?? .seconds(5))
            }
        }
    }

    /// One evaluation of every rule; returns the notices raised.
    @discardableResult
    public func evaluate() async -> Int {
        let config = config()
        guard let alerts = config.alerts else { return 0 }
        let now = clock.now
        let watched = config.destinations.filter { !AlertConfig.isAlertDestination($0.name) }
        var backlog: [OldestPending]?
        var raised = 0
        for rule in alerts.rules {
            let readings: [Reading]
            switch rule.condition {
            case .deadLetters(let above, let within):
                let counts = signals.deadLetters(within: within, now: now)
                readings = subjects(rule, watched.map(\.name)).map { name in
                    let count = counts[name] ?? 0
                    return Reading(subject: name, breaching: count > above,
                                   detail: "\(count) dead letters to \(name) in the last \(Self.seconds(within)) (more than \(above) raises it)")
                }
            case .circuitOpen:
                let open = signals.openCircuits
                readings = subjects(rule, watched.map(\.name)).map { name in
                    Reading(subject: name, breaching: open.contains(name), detail: "the circuit of \(name) is \(open.contains(name) ? "open" : "closed")")
                }
            case .refusals(let reason, let above, let within):
                let counts = signals.refusals(reason: reason, within: within, now: now)
                let what = reason.map { "\($0) refusals" } ?? "refusals"
                readings = subjects(rule, config.sources.map(\.name)).map { name in
                    let count = counts[name] ?? 0
                    return Reading(subject: name, breaching: count > above,
                                   detail: "\(count) \(what) of \(name) in the last \(Self.seconds(within)) (more than \(above) raises it)")
                }
            case .oldestPending(let olderThan):
                if backlog == nil {
                    do {
                        backlog = try await store.oldestPending()
                    } catch {
                        logger.warning("reading the backlog for alerts failed", metadata: ["error": "\(error)"])
                        continue
                    }
                }
                let oldest = Dictionary((backlog ?? []).map { ($0.destination, $0) }, uniquingKeysWith: { first, _ in first })
                readings = subjects(rule, watched.map(\.name)).map { name in
                    let age = oldest[name].map { now.timeIntervalSince($0.enqueuedAt) } ?? 0
                    return Reading(subject: name, breaching: age > olderThan.seconds,
                                   detail: "the oldest pending delivery to \(name) waits for \(Int(age)) s (over \(Self.seconds(olderThan)) raises it)",
                                   tag: oldest[name].map { "delivery-\($0.id)" })
                }
            case .genesysAuth:
                let refused = signals.refusedLogins
                readings = subjects(rule, watched.filter { $0.genesys != nil }.map(\.name)).map { name in
                    Reading(subject: name, breaching: refused.contains(name),
                            detail: refused.contains(name) ? "the Genesys login host refuses the OAuth client of \(name)"
                                : "the OAuth client of \(name) gets tokens again")
                }
            }
            for reading in readings {
                raised += await transition(rule, reading, now: now) ? 1 : 0
            }
        }
        return raised
    }

    private func subjects(_ rule: AlertRule, _ all: [String]) -> [String] {
        rule.subject.map { [$0] } ?? all
    }

    /// Raises a notice when the reading starts or ends an episode; returns whether it did.
    private func transition(_ rule: AlertRule, _ reading: Reading, now: Date) async -> Bool {
        let key = "\(rule.name)|\(reading.subject)"
        let episode = firing[key]
        switch (reading.breaching, episode) {
        case (true, nil):
            let started = Episode(since: now, tag: reading.tag ?? "\(now.millisecondsSince1970)", detail: reading.detail)
            guard await raise(.firing, rule, reading.subject, detail: reading.detail, episode: started, now: now) else { return false }
            firing[key] = started
            return true
        case (false, let episode?):
            guard await raise(.resolved, rule, reading.subject, detail: reading.detail, episode: episode, now: now) else { return false }
            firing[key] = nil
            return true
        default:
            return false
        }
    }

    /// Stores the notice with one delivery per target, then counts and audits it; false when it could not be stored
    /// (the transition is tried again at the next evaluation).
    private func raise(_ state: AlertNotice.State, _ rule: AlertRule, _ subject: String, detail: String, episode: Episode,
                       now: Date) async -> Bool {
        let watchesSources = rule.condition.watchesSources
        let notice = AlertNotice(alert: rule.name, state: state, condition: Self.name(rule.condition),
                                 destination: watchesSources ? nil : subject, source: watchesSources ? subject : nil,
                                 detail: detail, since: episode.since, at: now)
        let event = IncomingEvent(
            source: AlertConfig.source, idempotencyKey: "\(rule.name):\(subject):\(episode.tag):\(state.rawValue)",
            correlationID: "\(rule.name):\(subject):\(episode.tag)", receivedAt: now,
            headers: [("Content-Type", "application/json")], body: notice.json, verification: Verification(scheme: "alert"),
            callerAddress: nil, destinations: rule.notify.map(AlertConfig.destinationName),
            orderingKeys: Dictionary(rule.notify.map { (AlertConfig.destinationName($0), rule.name) }, uniquingKeysWith: { first, _ in first }))
        let id: String
        do {
            switch try await store.insert(event) {
            case .stored(let stored), .duplicate(let stored): id = stored
            }
        } catch {
            logger.error("storing an alert failed; will try again", metadata: ["alert": "\(rule.name)", "error": "\(error)"])
            return false
        }
        doorbell.ring()
        metrics.alerts(rule: rule.name, state: state.rawValue).increment()
        metrics.alertFiring(rule: rule.name, subject: subject).set(to: state == .firing ? 1 : 0)
        audit.write(DeliveryAuditRecord(time: now, decision: "alert_\(state.rawValue)", source: notice.source,
                                        destination: notice.destination, eventId: id, reason: "\(rule.name): \(detail)"))
        return true
    }

    static func name(_ condition: AlertRule.Condition) -> String {
        switch condition {
        case .deadLetters: "deadLetters"
        case .circuitOpen: "circuitOpen"
        case .refusals: "refusals"
        case .oldestPending: "oldestPending"
        case .genesysAuth: "genesysAuth"
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let seconds = duration.seconds
        return seconds.rounded() == seconds ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}

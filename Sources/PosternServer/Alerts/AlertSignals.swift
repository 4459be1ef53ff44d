import Foundation
import PosternCore
import PosternDelivery
import Synchronization

/// What the alert rules watch, recorded as it happens: dead letters and refusals with their times, each destination's
/// circuit, and whether a Genesys destination's OAuth client was last refused. Alert destinations are not recorded,
/// so alerts never alert about themselves.
public final class AlertSignals: Sendable {
    struct State {
        var deadLetters: [String: [Date]] = [:]
        var refusals: [String: [(reason: String, time: Date)]] = [:]
        var openCircuits: Set<String> = []
        var refusedLogins: Set<String> = []
    }

    /// The longest window kept: older times are dropped as new ones come.
    static let horizon: TimeInterval = 86_400
    /// The most times kept per destination or source, so a flood costs bounded memory.
    static let maxTimes = 10_000
    private let state = Mutex(State())

    public init() {}

    func deadLettered(_ destination: String, at time: Date) {
        guard !AlertConfig.isAlertDestination(destination) else { return }
        state.withLock { Self.append(time, to: &$0.deadLetters[destination, default: []], time: { $0 }) }
    }

    func refused(_ source: String, reason: ReasonCode, at time: Date) {
        state.withLock { Self.append((reason.rawValue, time), to: &$0.refusals[source, default: []], time: { $0.time }) }
    }

    func circuitChanged(_ destination: String, open: Bool) {
        guard !AlertConfig.isAlertDestination(destination) else { return }
        state.withLock { if open { $0.openCircuits.insert(destination) } else { $0.openCircuits.remove(destination) } }
    }

    func login(_ destination: String, refused: Bool) {
        state.withLock { if refused { $0.refusedLogins.insert(destination) } else { $0.refusedLogins.remove(destination) } }
    }

    /// Dead letters per destination within `window` before `now`.
    func deadLetters(within window: Duration, now: Date) -> [String: Int] {
        let since = now.addingTimeInterval(-window.seconds)
        return state.withLock { $0.deadLetters.mapValues { $0.count { $0 > since } } }
    }

    /// Refusals (of `reason`, or any) per source within `window` before `now`.
    func refusals(reason: String?, within window: Duration, now: Date) -> [String: Int] {
        let since = now.addingTimeInterval(-window.seconds)
        return state.withLock { $0.refusals.mapValues { $0.count { $0.time > since && (reason == nil || $0.reason == reason) } } }
    }

    var openCircuits: Set<String> { state.withLock { $0.openCircuits } }
    var refusedLogins: Set<String> { state.withLock { $0.refusedLogins } }

    /// Appends one, dropping those past the horizon; past the cap, the older half goes at once, so that a flood of
    /// refusals costs a shift of the array once per `maxTimes / 2` requests rather than on each (a count that high is
    /// over any threshold either way).
    private static func append<Item>(_ item: Item, to items: inout [Item], time: (Item) -> Date) {
        items.append(item)
        let now = time(item)
        if let oldest = items.first, now.timeIntervalSince(time(oldest)) > horizon {
            items.removeFirst(items.prefix { now.timeIntervalSince(time($0)) > horizon }.count)
        }
        if items.count > maxTimes { items.removeFirst(items.count - maxTimes / 2) }
    }
}

import Foundation
import PosternCore
import PosternDelivery
import PosternStore

/// Everything the admin listener serves from: the live configuration (its tokens included), the decisions made,
/// readiness, the reloaders, and the store with what the dispatcher saw of each destination. `AdminRouter` makes
/// the routes; the console reads the same parts as the API.
public struct AdminServices: Sendable {
    public var live: LiveConfiguration
    public var observer: DecisionObserver
    public var readiness: Readiness
    public var tlsReloader: TLSReloader?
    public var configReloader: ConfigReloader?
    public var store: (any EventStore & DeliveryQueue)?
    public var health: DestinationHealth
    public var clock: WallClock
    /// Signs bulk replays' confirmation tokens and the console's sessions, with a key made at start.
    let confirmations = ReplayConfirmation()
    /// The console's signed-in sessions.
    let consoleSessions = ConsoleSessions()

    public init(live: LiveConfiguration, observer: DecisionObserver, readiness: Readiness, tlsReloader: TLSReloader? = nil,
                configReloader: ConfigReloader? = nil, store: (any EventStore & DeliveryQueue)? = nil,
                health: DestinationHealth = DestinationHealth(), clock: WallClock = .system) {
        self.live = live
        self.observer = observer
        self.readiness = readiness
        self.tlsReloader = tlsReloader
        self.configReloader = configReloader
        self.store = store
        self.health = health
        self.clock = clock
    }

    var audit: AuditLog { observer.audit }
    var tokens: AdminTokens { AdminTokens(live.current.config.admin.tokens) }
}

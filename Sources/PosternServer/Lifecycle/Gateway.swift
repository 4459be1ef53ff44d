import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOPosix
import Logging
import PosternCore
import PosternDelivery
import PosternStore
import ServiceLifecycle
import UnixSignals

/// The running gateway: the webhook listeners and the admin listener over one store, until SIGTERM or SIGINT.
public struct Gateway {
    public let plan: GatewayPlan
    /// The file the plan was loaded from, which SIGHUP and `POST /admin/reload` read again; nil for none.
    public let configPath: String?
    public let logger: Logger

    public init(plan: GatewayPlan, configPath: String? = nil, logger: Logger) {
        self.plan = plan
        self.configPath = configPath
        self.logger = logger
    }

    /// The configuration the process started with; what a reload can change is in `LiveConfiguration`.
    private var config: GatewayConfig { plan.config }

    /// Opens the store, serves and delivers until SIGTERM or SIGINT, lets in-flight requests and delivery attempts
    /// finish, then closes the store.
    public func run() async throws {
        FileDescriptorLimit.raise(maxConnections: config.connections.maxConnections, listeners: config.listeners.count + 1,
                                 logger: logger)
        try await ListenerCheck.requireBindable(config.listeners.map(\.address) + [config.admin.listen])
        // The identity providers' keys before anything else is opened: a start without them fails here, cleanly.
        let keyProblems = await IssuerKeys.loadAll(plan.issuers, sources: config.sources)
        guard keyProblems.isEmpty else { throw ConfigProblems(keyProblems) }
        let gate = StartGate(listeners: config.listeners.count + 1)
        let metrics = Metrics()
        let readiness = Readiness()
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let reloader = TLSReloader(stores: plan.tlsStores, metrics: metrics, logger: logger)
        let notifier = SystemdNotifier()
        let doorbell = Doorbell()
        let store = try await openStore(metrics: metrics, doorbell: doorbell)
        let audit = try AuditLog(config.audit)
        let signals = AlertSignals()
        let observer = DecisionObserver(audit: audit, metrics: metrics, summary: AuditSummary(), logger: logger, alerts: signals)
        let client = DeliveryClient()
        let live = LiveConfiguration(ServingConfiguration(
            plan, sha256: configPath.flatMap { FileManager.default.contents(atPath: $0) }.map(ConfigReloader.sha256), client: client))
        let health = DestinationHealth()
        let dispatcher = Dispatcher(queue: store, destinations: config.destinations, client: client,
                                    observer: DeliveryMonitor(metrics: metrics, audit: audit, health: health, alerts: signals),
                                    doorbell: doorbell,
                                    logger: logger)
        let configReloader = ConfigReloader(path: configPath ?? "", live: live, dispatcher: dispatcher, client: client,
                                            metrics: metrics, audit: audit, logger: logger, notifier: notifier)
        let ingest = Ingest(live: live, store: store, observer: observer)
        let alerts = AlertMonitor(store: store, signals: signals, config: { live.current.config }, doorbell: doorbell,
                                  metrics: metrics, audit: audit, logger: logger)
        let listeners = config.listeners.map { listener in
            Server(childChannelSetup: IngestChannel(ingest: ingest, limits: config.connections,
                                                    tls: reloader.stores[listener.address.description]),
                   configuration: .init(address: .hostname(listener.address.host, port: listener.address.port),
                                        availableConnectionsDelegate: MaximumAvailableConnections(config.connections.maxConnections)),
                   onServerRunning: { _ in gate.arrive() },
                   eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                   logger: logger)
        }
        let admin = Application(
            router: AdminRouter.make(AdminServices(
                live: live, observer: observer, readiness: readiness, tlsReloader: reloader,
                configReloader: configPath == nil ? nil : configReloader, store: store, health: health)),
            // The admin listener is held to the same deadlines and connection cap as the webhook listeners, so
            // slow or idle admin clients can neither hold connections for ever nor use up the descriptors.
            server: .timedHTTP1(config.connections),
            configuration: .init(address: .hostname(config.admin.listen.host, port: config.admin.listen.port), serverName: nil,
                                 availableConnectionsDelegate: MaximumAvailableConnections(config.connections.maxConnections)),
            onServerRunning: { _ in gate.arrive() },
            logger: logger)
        // Shut down in reverse: readiness turns false first, then the webhook listeners drain, then the dispatcher
        // finishes its attempts, then admin stops.
        // Delivery and pruning wait for every listener to be bound.
        let retention: [any Service] = config.retention.map {
            [GatedService(gate: gate, service: RetentionService(store: store, retention: $0, logger: logger))]
        } ?? []
        // The store's own service (PostgreSQL's pool) comes first, so it stops last, after everything that writes.
        let hangup = HangupService(hangups: hangups, configReloader: configPath == nil ? nil : configReloader,
                                   reloader: reloader, audit: audit, logger: logger)
        // The exporter runs first and so stops last, after the spans of the last requests and attempts ended.
        let tracing = try config.tracing.map { [try TracingBootstrap.start($0, logger: logger)] } ?? []
        let services: [any Service] = tracing + (store.service.map { [$0] } ?? [])
            + [admin, reloader, hangup, GatedService(gate: gate, service: dispatcher), GatedService(gate: gate, service: alerts)]
            + retention + listeners
            + [ReadinessService(readiness: readiness, feed: observer.feed), SystemdNoticeService(gate: gate, notifier: notifier)]
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await client.shutdown()
            try? await store.close()
            throw error
        }
        await client.shutdown()
        try await store.close()
        logger.info("postern stopped; store closed")
    }

    private func openStore(metrics: Metrics, doorbell: Doorbell) async throws -> any EventStore & DeliveryQueue {
        let onCommit: @Sendable (CommitReport) -> Void = { report in
            if report.batchSize > 0 {
                metrics.storeCommitDuration.record(report.duration)
                metrics.storeCommitBatchSize.record(Double(report.batchSize))
            }
            if report.queuedDeliveries > 0 { doorbell.ring() }
        }
        return try await StoreOpener.open(config.store, runsItsService: false, logger: logger, onCommit: onCommit)
    }
}

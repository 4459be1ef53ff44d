import Foundation
import Hummingbird
import Logging
import PosternCore
import PosternStore
import ServiceLifecycle

/// The running gateway: the webhook listener and the admin listener over one store, until SIGTERM or SIGINT.
public struct Gateway {
    public let config: GatewayConfig
    public let sources: SourceTable
    public let logger: Logger

    /// Checks the configuration completely (sources, verifiers, schemas) without opening anything.
    public init(config: GatewayConfig, logger: Logger) throws(ConfigProblems) {
        self.config = config
        self.sources = try SourceTable(config)
        self.logger = logger
    }

    /// Opens the store, serves until SIGTERM or SIGINT, lets in-flight requests finish, then closes the store.
    public func run() async throws {
        let metrics = Metrics()
        let readiness = Readiness()
        let store = try await openStore(metrics: metrics)
        let observer = DecisionObserver(audit: try AuditLog(config.audit), metrics: metrics, summary: AuditSummary(),
                                        logger: logger)

        let ingest = Application(
            responder: IngestResponder(sources: sources, store: store, observer: observer,
                                       callers: CallerResolver(trustedProxies: config.trustedProxies)),
            configuration: .init(address: .hostname(config.listen.host, port: config.listen.port), serverName: nil),
            logger: logger)
        let admin = Application(
            router: AdminRouter.make(sources: sources, observer: observer, readiness: readiness, token: config.admin.token),
            configuration: .init(address: .hostname(config.admin.listen.host, port: config.admin.listen.port), serverName: nil),
            logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [admin, ingest, ReadinessService(readiness: readiness)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        logger.info("postern stopped; store closed")
    }

    private func openStore(metrics: Metrics) async throws -> any EventStore {
        switch config.store {
        case .sqlite(let path):
            return try await SQLiteEventStore.open(path: path, logger: logger) { report in
                metrics.recordCommit(batchSize: report.batchSize, seconds: Double(report.duration.components.seconds)
                    + Double(report.duration.components.attoseconds) / 1e18)
            }
        }
    }
}

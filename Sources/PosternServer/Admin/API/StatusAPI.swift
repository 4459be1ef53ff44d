import Foundation
import Hummingbird
import PosternCore
import PosternDelivery
import PosternStore

/// `/admin/v1/sources` (each source's accepted and refused requests, by reason, over the last hour and day) and
/// `/admin/v1/destinations` (each destination's backlog, dead letters, circuit and last error): the console's
/// overview, as JSON. Neither shows a secret, a URL's credentials or a header value.
struct StatusAPI: Sendable {
    let store: any EventStore & DeliveryQueue
    let live: LiveConfiguration
    let history: DecisionHistory
    let health: DestinationHealth

    struct SourceStatus: Encodable {
        var name: String
        var path: String
        var scheme: String
        var destinations: [String]
        var lastHour: DecisionHistory.Counts
        var lastDay: DecisionHistory.Counts
        /// Accepted and refused requests in each of the last 60 minutes, oldest first.
        var perMinute: [[Int]]
    }

    struct DestinationStatus: Encodable {
        var name: String
        var type: String
        var pending: Int
        var dead: Int
        var circuit: String
        @AlwaysWritten var lastAttemptAt: Date?
        @AlwaysWritten var lastDeliveredAt: Date?
        @AlwaysWritten var lastError: DestinationHealth.LastError?
    }

    func addRoutes(to v1: RouterGroup<AdminRequestContext>) {
        v1.get("/sources") { _, _ in JSONResponse.encoded(status: 200, ["sources": sources(now: Date())]) }
        v1.get("/destinations") { _, _ in JSONResponse.encoded(status: 200, ["destinations": try await destinations()]) }
    }

    func sources(now: Date) -> [SourceStatus] {
        live.current.sources.sources.map { source in
            SourceStatus(name: source.name, path: source.config.path, scheme: source.verifier.presetName,
                         destinations: source.config.destinations,
                         lastHour: history.counts(source: source.name, lastMinutes: 60, now: now),
                         lastDay: history.counts(source: source.name, lastMinutes: 1440, now: now),
                         perMinute: history.perMinute(source: source.name, lastMinutes: 60, now: now).map { [$0.accepted, $0.refused] })
        }
    }

    func destinations() async throws -> [DestinationStatus] {
        let depths = Dictionary(try await store.depth().map { ($0.destination, $0) }, uniquingKeysWith: { a, _ in a })
        return live.current.config.destinations.map { destination in
            let status = health.status(destination.name)
            return DestinationStatus(name: destination.name, type: destination.genesys == nil ? "http" : "genesys",
                                     pending: depths[destination.name]?.pending ?? 0, dead: depths[destination.name]?.dead ?? 0,
                                     circuit: status.circuit, lastAttemptAt: status.lastAttemptAt,
                                     lastDeliveredAt: status.lastDeliveredAt, lastError: status.lastError)
        }
    }
}

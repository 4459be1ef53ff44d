import Foundation
import PosternCore
import PosternStore

/// Replays events for the command line and the admin API alike: checks what is asked against the configuration,
/// queues the deliveries again (same event id, so the same Idempotency-Key), and writes an audit line.
public struct Replayer: Sendable {
    /// What an operator asks to replay: one event, or a source's events since a time (until another).
    public struct Request: Sendable {
        public var event: String?
        public var source: String?
        public var since: String?
        public var until: String?
        /// Only this destination; otherwise the source's destinations as configured now, except those with a routing
        /// filter (which an event may not have matched).
        public var destination: String?

        public init(event: String? = nil, source: String? = nil, since: String? = nil, until: String? = nil,
                    destination: String? = nil) {
            self.event = event
            self.source = source
            self.since = since
            self.until = until
            self.destination = destination
        }
    }

    /// Why a replay request cannot be carried out, in words for the operator.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    let queue: any DeliveryQueue
    let view: StoreView
    let audit: AuditLog

    public init(queue: any DeliveryQueue, view: StoreView, audit: AuditLog) {
        self.queue = queue
        self.view = view
        self.audit = audit
    }

    /// Queues the selected events' deliveries again; returns how many. `progress(done, total)` counts events.
    /// `by` names the admin token that asked, for the audit line.
    public func replay(_ request: Request, now: Date = Date(), by: String? = nil,
                       progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        let selection = try Self.selection(request)
        let destinations = try destinationRule(request, selection)
        let queued = try await queue.replay(selection, destinations: destinations, orderings: view.orderings, now: now,
                                            progress: progress)
        audit.write(DeliveryAuditRecord(time: now, decision: "replayed", source: request.source,
                                        destination: request.destination, eventId: request.event,
                                        selection: Self.describe(selection), queued: queued, by: by))
        return queued
    }

    static func selection(_ request: Request) throws(Problem) -> ReplaySelection {
        switch (request.event, request.source) {
        case (let event?, nil):
            guard request.since == nil, request.until == nil else {
                throw Problem(description: "--since and --until go with --source, not with --event")
            }
            return .event(id: event)
        case (nil, let source?):
            guard let since = request.since else { throw Problem(description: "--source needs --since (RFC 3339 time or Unix seconds)") }
            var until: Date?
            if let text = request.until { until = try time(text, "until") }
            return .source(name: source, since: try time(since, "since"), until: until)
        default:
            throw Problem(description: "give either --event ID, or --source NAME --since TIME [--until TIME]")
        }
    }

    private func destinationRule(_ request: Request, _ selection: ReplaySelection) throws(Problem) -> @Sendable (String) -> [String] {
        if request.destination == nil, case .source(let name, _, _) = selection, let problem = view.unknownSource(name) {
            throw Problem(description: problem)
        }
        return try Self.destinations(request.destination, in: view)
    }

    /// Where a replay sends each source's events: only `destination` when one is named (it must be configured),
    /// else the source's destinations as configured now that have no routing filter.
    static func destinations(_ destination: String?, in view: StoreView) throws(Problem) -> @Sendable (String) -> [String] {
        if let destination {
            guard view.destinations.contains(destination) else {
                let known = view.destinations.joined(separator: ", ")
                throw Problem(description: "no destination is named \"\(destination)\" (configured: \(known.isEmpty ? "none" : known))")
            }
            return { _ in [destination] }
        }
        let bySource = view.sourceDestinations
        return { bySource[$0] ?? [] }
    }

    /// An RFC 3339 time (fractional seconds allowed) or Unix seconds.
    public static func time(_ text: String, _ name: String) throws(Problem) -> Date {
        if text.allSatisfy({ $0.isASCIIDigitCharacter || $0 == "." }), let seconds = Double(text), seconds < 1e11 {
            return Date(timeIntervalSince1970: seconds)
        }
        if let date = RFC3339.parse(text) { return date }
        throw Problem(description: "--\(name) \"\(text)\" is neither an RFC 3339 time (2026-11-25T10:00:00Z) nor Unix seconds")
    }

    static func describe(_ selection: ReplaySelection) -> String {
        switch selection {
        case .event(let id): "event \(id)"
        case .source(let name, let since, let until):
            "source \(name) since \(since.formatted(.iso8601))" + (until.map { " until \($0.formatted(.iso8601))" } ?? "")
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdCore
import PosternCore
import PosternStore

/// Replay from the admin API: one event (`POST /admin/v1/events/{id}/replay`), or everything a search matches in two
/// steps — `POST /admin/v1/replays/preview?<search>` says how many events it would replay and hands out a
/// confirmation token; `POST /admin/v1/replays` with that token replays exactly those, provided the search still
/// matches as many. Optionally one destination only, and optionally dead letters only. Each replay is audited
/// with the token's name.
struct ReplaysAPI: Sendable {
    let store: any EventStore & DeliveryQueue
    let config: @Sendable () -> GatewayConfig
    let audit: AuditLog
    let confirmations: ReplayConfirmation

    /// The most events one bulk replay takes: narrow the search beyond it.
    static let maxEvents = 10_000

    /// What a preview found, and the token that confirms it.
    struct PreviewAnswer: Encodable {
        var events: Int
        @AlwaysWritten var destination: String?
        var onlyDead: Bool
        var token: String
        var expiresAt: Date
    }

    /// What a replay did.
    struct ReplayedAnswer: Encodable {
        var status = "replayed"
        var events: Int
        var queued: Int
    }

    /// A replay's target: which destinations, and whether only dead letters.
    struct Target {
        var destination: String?
        var onlyDead: Bool

        /// Nil when `onlyDead` is neither `true` nor `false`.
        init?(_ parameters: Hummingbird.Parameters) {
            destination = parameters["destination"].map(String.init)
            switch parameters["onlyDead"] {
            case nil, "false": onlyDead = false
            case "true": onlyDead = true
            default: return nil
            }
        }

        /// The target a query string asks for.
        static func parse(_ parameters: Hummingbird.Parameters) throws(AdminProblem) -> Target {
            guard let target = Target(parameters) else { throw .invalid("onlyDead must be true or false") }
            return target
        }

        var query: String {
            (destination.map { "&destination=\($0.percentEncoded)" } ?? "") + (onlyDead ? "&onlyDead=true" : "")
        }
    }

    func addRoutes(to v1: RouterGroup<AdminRequestContext>) {
        v1.post("/events/:id/replay") { request, context in
            try await AdminProblem.answering {
                try await replay(event: context.parameters.get("id") ?? "", request.uri.queryParameters, by: context.identity)
            }
        }
        v1.post("/replays/preview") { request, _ in
            try await AdminProblem.answering { try await preview(request.uri.queryParameters, now: Date()) }
        }
        v1.post("/replays") { request, context in
            let parameters = try await Self.formOrQuery(request)
            return try await AdminProblem.answering {
                try await confirm(token: parameters["token"].map(String.init) ?? "", by: context.identity)
            }
        }
    }

    func replay(event id: String, _ parameters: Hummingbird.Parameters, by identity: AdminIdentity?) async throws -> ReplayedAnswer {
        let target = try Target.parse(parameters)
        guard let detail = try await store.event(id: id) else { throw AdminProblem.notFound("no event has the id \(id)") }
        return try await replay([(detail.event.id, detail.event.source)], target, selection: "event \(id)", by: identity)
    }

    func preview(_ parameters: Hummingbird.Parameters, now: Date) async throws -> PreviewAnswer {
        var query: EventQuery
        switch EventsAPI.query(parameters, now: now) {
        case .success(let parsed): query = parsed
        case .failure(let problem): throw AdminProblem.invalid(problem.description)
        }
        let target = try Target.parse(parameters)
        _ = try rule(target)
        // Pinned at the preview's time, so events received later are not replayed by its token.
        query.until = min(query.until ?? now, now)
        let matched = try await matches(query).count
        guard matched <= Self.maxEvents else {
            throw AdminProblem(status: 422, code: "too_many_events",
                message: "the search matches more than \(Self.maxEvents) events; one replay takes at most \(Self.maxEvents): narrow it")
        }
        let expires = now.addingTimeInterval(ReplayConfirmation.lifetime)
        let search = EventsAPI.searchParameters(query) + target.query
        return PreviewAnswer(events: matched, destination: target.destination, onlyDead: target.onlyDead,
                             token: confirmations.token(for: .init(search: search, events: matched, expires: expires)),
                             expiresAt: expires)
    }

    func confirm(token: String, by identity: AdminIdentity?) async throws -> ReplayedAnswer {
        guard let preview = confirmations.preview(token, now: Date()) else {
            throw AdminProblem(status: 403, code: "invalid_confirmation",
                message: "token must be the one a preview (POST /admin/v1/replays/preview) gave, within \(Int(ReplayConfirmation.lifetime)) s")
        }
        let parameters = URI("/?" + preview.search).queryParameters
        guard case .success(let query) = EventsAPI.query(parameters, now: Date()), let target = Target(parameters) else {
            throw AdminProblem.invalid("the token's search no longer reads")
        }
        let events = try await matches(query)
        guard events.count == preview.events else {
            throw AdminProblem(status: 409, code: "search_changed",
                message: "the search matched \(preview.events) events at the preview and matches \(events.count) now: preview it again")
        }
        return try await replay(events, target, selection: "search \(preview.search)", by: identity)
    }

    private func replay(_ events: [(id: String, source: String)], _ target: Target, selection: String,
                        by identity: AdminIdentity?) async throws -> ReplayedAnswer {
        let destinations = try rule(target)
        let now = Date()
        let queued = try await store.requeue(events, destinations: destinations, orderings: StoreView(config()).orderings,
                                             onlyDead: target.onlyDead, now: now)
        audit.write(DeliveryAuditRecord(time: now, decision: "replayed", destination: target.destination,
                                        eventId: events.count == 1 ? events[0].id : nil,
                                        selection: selection + (target.onlyDead ? ", dead letters only" : ""),
                                        queued: queued, by: identity?.name))
        return ReplayedAnswer(events: events.count, queued: queued)
    }

    /// Where the replay sends each source's events; a 404 when it names a destination the configuration does not have.
    private func rule(_ target: Target) throws(AdminProblem) -> @Sendable (String) -> [String] {
        guard let rule = try? Replayer.destinations(target.destination, in: StoreView(config())) else {
            let known = config().destinations.map(\.name).joined(separator: ", ")
            throw .notFound("no destination is named \"\(target.destination ?? "")\" (configured: \(known.isEmpty ? "none" : known))")
        }
        return rule
    }

    /// Every event the search matches, oldest first, up to one more than `maxEvents`.
    private func matches(_ search: EventQuery) async throws -> [(id: String, source: String)] {
        var query = search
        query.newestFirst = false
        query.limit = 500
        query.after = nil
        var found: [(id: String, source: String)] = []
        while found.count <= Self.maxEvents {
            let page = try await store.events(matching: query)
            found += page.map { ($0.id, $0.source) }
            guard page.count == query.limit, let last = page.last else { break }
            query.after = EventCursor(after: last)
        }
        return found
    }

    /// A POST's parameters: its form body (the console's), else its query string.
    static func formOrQuery(_ request: Request) async throws -> Hummingbird.Parameters {
        let body = try await request.body.collect(upTo: 65_536)
        let text = String(buffer: body)
        return text.isEmpty ? request.uri.queryParameters : URI("/?" + text).queryParameters
    }
}

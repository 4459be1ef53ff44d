import Foundation
import Hummingbird
import PosternCore
import PosternStore

/// The web console at `/console/`, served by the admin listener: server-rendered pages over the same parts the admin
/// API answers from (the store's events and deliveries, the decision history and feed, each destination's health),
/// with a small script for the live tail. No external asset: it works offline. `ConsoleAccess` guards it.
struct Console: Sendable {
    let services: AdminServices
    let store: any EventStore & DeliveryQueue
    let sessions: ConsoleSessions

    var events: EventsAPI { EventsAPI(store: store) }
    var deliveries: DeliveriesAPI { DeliveriesAPI(store: store) }
    var status: StatusAPI {
        StatusAPI(store: store, live: services.live, history: services.observer.history, health: services.health)
    }
    var replays: ReplaysAPI {
        ReplaysAPI(store: store, config: { services.live.current.config }, audit: services.audit, confirmations: services.confirmations)
    }

    func addRoutes(to router: Router<AdminRequestContext>) {
        let console = router.group("/console")
            .add(middleware: ConsoleAccess(sessions: sessions, tokens: { services.tokens }, audit: services.audit))
        ConsoleAssets.addRoutes(to: console)
        console.get("/login") { request, _ in loginPage(request) }
        console.post("/login") { request, _ in try await logIn(request) }
        console.post("/logout") { request, context in logOut(context) }
        console.get("/") { _, context in try await overview(session(context)) }
        console.get("/events") { request, context in try await eventsPage(request.uri.queryParameters, session(context)) }
        console.get("/events/:id") { request, context in
            try await eventPage(context.parameters.get("id") ?? "", request.uri.queryParameters, session(context))
        }
        console.post("/events/:id/replay") { _, context in try await replayEvent(context.parameters.get("id") ?? "", context) }
        console.get("/dead-letters") { request, context in try await deadLettersPage(request.uri.queryParameters, session(context)) }
        console.post("/dead-letters/preview") { _, context in try await previewDeadLetters(context) }
        console.post("/dead-letters/replay") { _, context in try await replayDeadLetters(context) }
        console.get("/live") { _, context in livePage(session(context)) }
        console.get("/live/stream") { request, _ in
            let parameters = request.uri.queryParameters
            return DecisionsAPI(feed: services.observer.feed).stream(
                source: parameters["source"].flatMap { $0.isEmpty ? nil : String($0) },
                outcome: parameters["outcome"].flatMap { $0.isEmpty ? nil : String($0) },
                lastEventID: request.headers[.init("Last-Event-ID")!])
        }
    }

    /// The session `ConsoleAccess` found: every route but the log-in form has one.
    func session(_ context: AdminRequestContext) -> ConsoleSessions.Session? {
        context.console?.session
    }

    func page(_ title: String, _ session: ConsoleSessions.Session?, _ body: String) -> Response {
        ConsolePage(title: title, session: session, body: body).response
    }

    /// The names of the configured sources, for the search forms' choices.
    var sourceNames: [String] { services.live.current.sources.sources.map(\.name) }
    var destinationNames: [String] { services.live.current.config.destinations.map(\.name) }
}

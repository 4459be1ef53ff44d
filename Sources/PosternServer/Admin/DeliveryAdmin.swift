import Foundation
import Hummingbird
import PosternCore
import PosternStore

/// The admin API over the store: deliveries by state or event, an event's attempt history, replay, and whether the
/// store answers (for `/readyz`).
public struct DeliveryAdmin: Sendable {
    let store: any EventStore & DeliveryQueue
    /// The configuration that names the sources and destinations a replay may take; read when asked, so a reload shows.
    let config: @Sendable () -> GatewayConfig
    let audit: AuditLog

    public init(store: any EventStore & DeliveryQueue, config: @escaping @Sendable () -> GatewayConfig, audit: AuditLog) {
        self.store = store
        self.config = config
        self.audit = audit
    }

    var destinations: [DestinationConfig] { config().destinations }

    /// `GET /admin/deliveries?state=&event=&limit=`, `GET /admin/events/{id}/attempts`, `POST /admin/replay`.
    func addRoutes(to admin: RouterGroup<AdminRequestContext>) {
        admin.get("/deliveries") { request, _ in
            let query = request.uri.queryParameters
            var state: DeliveryState?
            if let text = query["state"].map(String.init) {
                guard let parsed = DeliveryState(rawValue: text) else {
                    return Self.invalid("state must be pending, delivered or dead")
                }
                state = parsed
            }
            let limit = query["limit"].flatMap { Int(String($0)) } ?? 1000
            let records = try await store.deliveries(state: state, event: query["event"].map(String.init), limit: limit)
            return JSONResponse.encoded(status: 200, ["deliveries": records])
        }
        admin.get("/events/:id/attempts") { _, context in
            let id = context.parameters.get("id") ?? ""
            return JSONResponse.encoded(status: 200, ["attempts": try await store.attempts(event: id)])
        }
        admin.post("/replay") { request, context in
            let bytes = Array(try await request.body.collect(upTo: 65_536).readableBytesView)
            guard case .object(let fields)? = try? JSONParser.parse(bytes) else {
                return Self.invalid("send {\"event\": ID} or {\"source\": NAME, \"since\": TIME, \"until\": TIME}, optionally with \"destination\"")
            }
            func text(_ key: String) -> String? { if case .string(let value)? = fields[JSONKey(key)] { value } else { nil } }
            let asked = Replayer.Request(event: text("event"), source: text("source"), since: text("since"),
                                         until: text("until"), destination: text("destination"))
            do {
                let queued = try await Replayer(queue: store, view: StoreView(config()), audit: audit).replay(asked, by: context.identity?.name)
                return JSONResponse.encoded(status: 200, ReplayAnswer(queued: queued))
            } catch let problem as Replayer.Problem {
                return Self.invalid(problem.description)
            }
        }
    }

    static func invalid(_ message: String) -> Response {
        JSONResponse.encoded(status: 400, AdminError(message: message))
    }
}

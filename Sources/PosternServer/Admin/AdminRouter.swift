import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PosternCore
import PosternStore
import PosternVerify

/// The admin listener's routes: health, readiness and metrics (open), the OpenAPI document, and the token-guarded
/// `/admin/*` API — `/admin/v1/…` as the document describes it, and the first unversioned paths, kept as aliases.
public enum AdminRouter {
    public static func make(_ services: AdminServices) -> Router<AdminRequestContext> {
        let router = Router(context: AdminRequestContext.self)
        router.add(middleware: MethodGuard<AdminRequestContext>(resources: v1Resources))
        addProbes(to: router, services)
        router.get("/admin/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: AdminOpenAPI.document)))
        }
        let admin = router.group("/admin").add(middleware: AdminAccess(tokens: { services.tokens }, audit: services.audit))
        addOperations(to: admin, services)
        let v1 = admin.group("/v1").add(middleware: NULGuard<AdminRequestContext>())
        if let store = services.store {
            DeliveryAdmin(store: store, config: { services.live.current.config }, audit: services.audit).addRoutes(to: admin)
            EventsAPI(store: store).addRoutes(to: v1)
            DeliveriesAPI(store: store).addRoutes(to: v1)
            ReplaysAPI(store: store, config: { services.live.current.config }, audit: services.audit,
                       confirmations: services.confirmations).addRoutes(to: v1)
            StatusAPI(store: store, live: services.live, history: services.observer.history, health: services.health)
                .addRoutes(to: v1)
            Console(services: services, store: store, sessions: services.consoleSessions).addRoutes(to: router)
        }
        DecisionsAPI(feed: services.observer.feed).addRoutes(to: v1)
        return router
    }

    /// Every `/admin/v1` resource and the methods it takes: the OpenAPI document's paths (a test holds the two in
    /// lock-step), and what `MethodGuard` answers 405 for.
    static let v1Resources: [(pattern: String, methods: [HTTPRequest.Method])] = [
        ("/admin/v1/events", [.get, .head]), ("/admin/v1/events/*", [.get, .head]), ("/admin/v1/events/*/replay", [.post]),
        ("/admin/v1/replays", [.post]), ("/admin/v1/replays/preview", [.post]),
        ("/admin/v1/deliveries", [.get, .head]), ("/admin/v1/dead-letters", [.get, .head]), ("/admin/v1/sources", [.get, .head]),
        ("/admin/v1/destinations", [.get, .head]), ("/admin/v1/decisions", [.get, .head]),
    ]

    /// `/healthz`, `/readyz` and `/metrics`: open, for load balancers and scrapers.
    static func addProbes(to router: Router<AdminRequestContext>, _ services: AdminServices) {
        let live = services.live
        router.get("/healthz") { _, _ in JSONResponse.encoded(status: 200, StatusAnswer(status: "ok")) }
        router.get("/readyz") { _, _ in
            if let store = services.store, !(await store.isAvailable()) {
                return JSONResponse.encoded(status: 503, StatusAnswer(status: "store_unavailable",
                    message: "the store cannot commit now: its last commit failed or it does not answer"))
            }
            guard services.readiness.isReady else {
                return JSONResponse.encoded(status: 503, StatusAnswer(status: "not_ready", message: "the store is not open, or shutdown has begun"))
            }
            if let failures = services.tlsReloader?.failures, !failures.isEmpty {
                return JSONResponse.encoded(status: 503, ReloadAnswer(status: "tls_reload_failed", failures: failures))
            }
            return JSONResponse.encoded(status: 200, StatusAnswer(status: "ready", configSHA256: live.current.sha256))
        }
        router.get("/metrics") { _, _ in
            let metrics = services.observer.metrics
            if let store = services.store {
                await DeliveryMonitor.recordDepth(store, destinations: live.current.config.destinations, into: metrics)
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
    }

    /// Reload, reopen, the audit summary and the dry-run verify endpoint.
    static func addOperations(to admin: RouterGroup<AdminRequestContext>, _ services: AdminServices) {
        let live = services.live
        admin.post("/reload") { _, _ in
            let outcome = await services.configReloader?.reload(cause: "POST /admin/reload")
            let failures = services.tlsReloader?.reload(force: true, cause: "POST /admin/reload") ?? [:]
            let refused = outcome?.status == "refused"
            let answer = ReloadAnswer(status: refused ? "refused" : failures.isEmpty ? outcome?.status ?? "reloaded" : "failed",
                                      configSHA256: outcome?.configSHA256 ?? live.current.sha256,
                                      needsRestart: outcome?.needsRestart, problems: outcome?.problems, failures: failures)
            return JSONResponse.encoded(status: refused ? 422 : failures.isEmpty ? 200 : 500, answer)
        }
        admin.post("/reopen") { _, _ in
            if let error = AuditReopening.reopen(services.audit, cause: "POST /admin/reopen", logger: Logger(label: "postern")) {
                return JSONResponse.encoded(status: 500, StatusAnswer(status: "reopen_failed", message: "\(error)"))
            }
            return JSONResponse.encoded(status: 200, StatusAnswer(status: "reopened"))
        }
        admin.get("/audit/summary") { _, _ in
            JSONResponse.encoded(status: 200, services.observer.summary.document(for: live.current.sources.sources))
        }
        admin.post("/sources/:name/verify") { request, context in
            guard let name = context.parameters.get("name"), let source = live.current.sources.source(named: name) else {
                return JSONResponse.refusal(Refusal(.unknownSource, "no source has that name"))
            }
            return try await verify(request, source: source, now: services.clock.now)
        }
    }

    /// Runs a sample request — `{"headers": {...}, "body": "..."}`, optionally with `method`, `path` and `query` —
    /// through the source's checks, storing nothing.
    static func verify(_ request: Request, source: Source, now: Date) async throws -> Response {
        let bytes = Array(try await request.body.collect(upTo: source.maxBodyBytes + 65_536).readableBytesView)
        guard case .object(let sample)? = try? JSONParser.parse(bytes), case .string(let body)? = sample["body"] else {
            return JSONResponse.refusal(Refusal(.malformedJSON, "send {\"headers\": {\"Name\": \"value\"}, \"body\": \"<raw body>\"}"))
        }
        var headers = RequestHeaders()
        if case .object(let fields)? = sample["headers"] {
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
                if case .string(let text) = value { headers.append(name.name, text) }
            }
        }
        func text(_ key: String) -> String? { if case .string(let value)? = sample[JSONKey(key)] { value } else { nil } }
        let received = WebhookRequest(method: text("method") ?? "POST", path: text("path") ?? source.config.path,
                                      query: text("query"), headers: headers, body: Array(body.utf8))
        switch Intake.check(source, received, now: now) {
        case .success(let checked):
            return JSONResponse.encoded(status: 200, VerifiedSample(
                source: source.name, scheme: checked.verification.scheme, secretIndex: checked.verification.secretIndex,
                idempotencyKey: checked.idempotencyKey))
        case .failure(let refusal):
            return JSONResponse.encoded(status: 200, RefusedSample(
                source: source.name, reason: refusal.reason.rawValue, status: refusal.reason.status, message: refusal.message))
        }
    }
}

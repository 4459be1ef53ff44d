import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PosternCore
import PosternStore
import PosternVerify

/// The admin listener's routes: health, readiness, metrics, and the token-guarded `/admin/*` API.
public enum AdminRouter {
    public static func make(live: LiveConfiguration, observer: DecisionObserver, readiness: Readiness,
                            reloader: TLSReloader? = nil, configReloader: ConfigReloader? = nil, audit: AuditLog? = nil,
                            token: String?, deliveries: DeliveryAdmin? = nil,
                            clock: WallClock = .system) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: MethodGuard(resources: [("/admin/v1/events", [.get, .head])]))
        router.get("/healthz") { _, _ in JSONResponse.encoded(status: 200, StatusAnswer(status: "ok")) }
        router.get("/readyz") { _, _ in
            if let store = deliveries?.store, !(await store.isAvailable()) {
                return JSONResponse.encoded(status: 503, StatusAnswer(status: "store_unavailable",
                    message: "the store cannot commit now: its last commit failed or it does not answer"))
            }
            guard readiness.isReady else {
                return JSONResponse.encoded(status: 503, StatusAnswer(status: "not_ready", message: "the store is not open, or shutdown has begun"))
            }
            if let failures = reloader?.failures, !failures.isEmpty {
                return JSONResponse.encoded(status: 503, ReloadAnswer(status: "tls_reload_failed", failures: failures))
            }
            return JSONResponse.encoded(status: 200, StatusAnswer(status: "ready", configSHA256: live.current.sha256))
        }
        router.get("/metrics") { _, _ in
            if let deliveries {
                await DeliveryMonitor.recordDepth(deliveries.store, destinations: deliveries.destinations, into: observer.metrics)
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: observer.metrics.exposition())))
        }
        let admin = router.group("/admin").add(middleware: AdminTokenMiddleware(token: token))
        admin.post("/reload") { _, _ in
            let outcome = await configReloader?.reload(cause: "POST /admin/reload")
            let failures = reloader?.reload(force: true, cause: "POST /admin/reload") ?? [:]
            let refused = outcome?.status == "refused"
            let answer = ReloadAnswer(status: refused ? "refused" : failures.isEmpty ? outcome?.status ?? "reloaded" : "failed",
                                      configSHA256: outcome?.configSHA256 ?? live.current.sha256,
                                      needsRestart: outcome?.needsRestart, problems: outcome?.problems, failures: failures)
            return JSONResponse.encoded(status: refused ? 422 : failures.isEmpty ? 200 : 500, answer)
        }
        if let audit {
            admin.post("/reopen") { _, _ in
                if let error = AuditReopening.reopen(audit, cause: "POST /admin/reopen", logger: Logger(label: "postern")) {
                    return JSONResponse.encoded(status: 500, StatusAnswer(status: "reopen_failed", message: "\(error)"))
                }
                return JSONResponse.encoded(status: 200, StatusAnswer(status: "reopened"))
            }
        }
        admin.get("/audit/summary") { _, _ in
            JSONResponse.encoded(status: 200, observer.summary.document(for: live.current.sources.sources))
        }
        if let deliveries {
            deliveries.addRoutes(to: admin)
            EventsAPI(store: deliveries.store).addRoutes(to: admin.group("/v1"))
        }
        router.get("/admin/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: AdminOpenAPI.document)))
        }
        admin.post("/sources/:name/verify") { request, context in
            guard let name = context.parameters.get("name"), let source = live.current.sources.source(named: name) else {
                return JSONResponse.refusal(Refusal(.unknownSource, "no source has that name"))
            }
            return try await verify(request, source: source, now: clock.now)
        }
        return router
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

/// Guards `/admin/*` with the configured bearer token, compared in constant time.
struct AdminTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let verifier: CredentialVerifier?

    init(token: String?) {
        self.verifier = token.map { CredentialVerifier(kind: .bearer(scheme: "Bearer"), accepted: [$0]) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let verifier else { return try await next(request, context) }
        let headers = RequestHeaders(request)
        guard case .verified = verifier.verify(body: [], headers: headers, now: Date()) else {
            return JSONResponse.refusal(Refusal(.invalidCredentials, "the admin API needs Authorization: Bearer <admin token>"))
        }
        return try await next(request, context)
    }
}

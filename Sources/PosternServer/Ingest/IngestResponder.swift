import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PosternCore
import PosternDelivery
import PosternStore
import Tracing

/// The webhook listener: finds the source by path, applies its guards (client certificate, allowed addresses, a caller
/// flooding refused requests, body limit), runs the intake checks with the rate limit spent once verification passes,
/// stores the event, answers, and records the decision in the audit log and the metrics.
public struct IngestResponder: HTTPResponder {
    public typealias Context = GatewayContext

    /// The sources and everything else a reload changes; each request reads it once, when it starts.
    let live: LiveConfiguration
    let store: any EventStore
    let observer: DecisionObserver
    /// Whether connections carry TLS, so a client certificate is worth asking the connection for.
    let isTLS: Bool
    let clock: WallClock

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    public init(live: LiveConfiguration, store: any EventStore, observer: DecisionObserver, isTLS: Bool = false,
                clock: WallClock = .system) {
        self.live = live
        self.store = store
        self.observer = observer
        self.isTLS = isTLS
        self.clock = clock
    }

    public func respond(to request: Request, context: GatewayContext) async throws -> Response {
        let started = ContinuousClock.now
        // In flight to the end under the configuration it started with, whatever a reload swaps in meanwhile.
        let serving = live.current
        let caller = serving.callers.caller(peer: context.peer, forwardedFor: request.headers[values: Self.forwardedFor])
        var decision = Decision(time: clock.now, method: request.method.rawValue, path: request.uri.path,
                                caller: caller?.description)
        if isTLS { decision.clientIdentity = await context.clientIdentity() }
        // One server span per request, continuing the caller's `traceparent` (a no-op unless `tracing:` is set).
        let response = await withSpan(request.method.rawValue, context: Self.traceContext(request.headers), ofKind: .server) { span in
            let response = await answer(request, caller: caller, serving, &decision)
            Self.describe(decision, in: span, route: decision.source.flatMap { serving.sources.source(named: $0)?.config.path })
            return response
        }
        decision.latency = ContinuousClock.now - started
        observer.record(decision)
        return response
    }

    /// The caller's trace context, from its `traceparent` and `tracestate` headers.
    static func traceContext(_ headers: HTTPFields) -> ServiceContext {
        TraceHeaders.context(from: traceFields.compactMap { field in headers[field].map { (field.canonicalName, $0) } })
    }

    static let traceFields = TraceHeaders.names.sorted().map { HTTPField.Name($0)! }

    /// What the span records of a decision: never a secret, a signature, a header's value or the body.
    static func describe(_ decision: Decision, in span: any Span, route: String?) {
        if let route { span.operationName = "\(decision.method) \(route)" }
        span.attributes["http.request.method"] = decision.method
        span.attributes["http.response.status_code"] = decision.status
        if let route { span.attributes["http.route"] = route }
        if let source = decision.source { span.attributes["postern.source"] = source }
        span.attributes["postern.reason"] = decision.reason.rawValue
        if let id = decision.eventID { span.attributes["postern.event_id"] = id }
        if let caller = decision.caller { span.attributes["client.address"] = caller }
        if decision.status >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }

    private func answer(_ request: Request, caller: IPAddress?, _ serving: ServingConfiguration,
                        _ decision: inout Decision) async -> Response {
        let rateLimiter = serving.rateLimiter
        let source: Source
        switch serving.guards.check(path: request.uri.path, method: request.method.rawValue, caller: caller,
                            identity: decision.clientIdentity, contentLength: request.headers[.contentLength]) {
        case .admitted(let admitted):
            source = admitted
            decision.source = source.name
        case .refused(let refusal, let named):
            decision.source = named?.name
            if refusal.reason == .bodyTooLarge, let named { rateLimiter.recordRefusal(named.name, caller: caller) }
            return refuse(refusal, &decision)
        }
        let body: [UInt8]
        switch await readBody(request, source: source) {
        case .success(let bytes): body = bytes
        case .failure(let refusal):
            rateLimiter.recordRefusal(source.name, caller: caller)
            return refuse(refusal, &decision)
        }
        let headers = RequestHeaders(request)
        let received = WebhookRequest(method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                                      headers: headers, body: body)
        let verified = withSpan("verify") { _ in Intake.verify(source, received, now: decision.time) }
        let intake = verified.flatMap { verification in
            withSpan("parse") { _ in Intake.parse(source, received, verification: verification) }
        }
        if case .failure(let refusal) = intake, refusal.isVerificationFailure {
            rateLimiter.recordRefusal(source.name, caller: caller)
            return refuse(refusal, &decision)
        }
        // Verified: only now does the request spend the source's budget.
        if let limited = rateLimiter.admit(source.name) { return refuse(limited, &decision) }
        let checked: CheckedRequest
        switch intake {
        case .success(let request): checked = request
        case .failure(let refusal): return refuse(refusal, &decision)
        }
        decision.correlationID = checked.correlationID
        decision.verification = checked.verification
        let event = IncomingEvent(
            source: source.name, idempotencyKey: checked.idempotencyKey, correlationID: checked.correlationID,
            receivedAt: decision.time, headers: Self.storedHeaders(source.keptHeaders(headers)), body: body,
            verification: checked.verification, callerAddress: decision.caller,
            clientSubject: decision.clientIdentity?.subject, destinations: source.queuedDestinations)
        return await store(event, source: source, document: checked.document, fulfiller: serving.fulfiller, &decision)
    }

    /// The headers kept with the event, its trace context replaced by this request's span's, so that deliveries
    /// continue the request's trace (as they are, when tracing is off).
    static func storedHeaders(_ kept: [(name: String, value: String)]) -> [(name: String, value: String)] {
        let propagated = TraceHeaders.headers(for: ServiceContext.current ?? .topLevel)
        guard !propagated.isEmpty else { return kept }
        return kept.filter { !TraceHeaders.names.contains($0.name.lowercased()) } + propagated
    }

    private func store(_ event: IncomingEvent, source: Source, document: JSONValue?, fulfiller: Fulfiller,
                       _ decision: inout Decision) async -> Response {
        let outcome: StoreOutcome
        do {
            outcome = try await withSpan("commit") { _ in try await store.insert(event) }
        } catch {
            observer.logger.error("store insert failed", metadata: ["source": "\(source.name)", "error": "\(error)"])
            return refuse(Refusal(.storeUnavailable, "the event could not be stored; retry later", retryAfter: 5), &decision)
        }
        switch outcome {
        case .stored(let id):
            decision.reason = .accepted
            decision.status = 200
            decision.eventID = id
            if let respond = source.config.respond {
                let (response, how) = await fulfiller.answer(event, id: id, document: document ?? .object([:]), respond: respond, now: clock.now)
                decision.answer = how
                return response
            }
            if let answer = source.config.answer { return configured(answer, id: id, event: event, document: document, &decision) }
            return JSONResponse.status(200, "accepted", id: id)
        case .duplicate(let id):
            decision.reason = .duplicate
            decision.status = source.config.onDuplicate.rawValue
            decision.eventID = id
            if source.config.onDuplicate == .ok, let answer = source.config.answer {
                return configured(answer, id: id, event: event, document: document, &decision)
            }
            return JSONResponse.status(source.config.onDuplicate.rawValue, "duplicate", id: id)
        }
    }

    /// The source's `answer`, its placeholders filled for this event (a duplicate's id is the stored event's).
    private func configured(_ answer: AnswerConfig, id: String, event: IncomingEvent, document: JSONValue?,
                            _ decision: inout Decision) -> Response {
        decision.status = answer.status
        guard answer.status != 204 else { return Response(status: .noContent) }
        let values = AnswerTemplate.Values(id: id, correlationID: event.correlationID ?? "", receivedAt: event.receivedAt,
                                           document: document)
        return Response(status: .init(code: answer.status), headers: [.contentType: answer.contentType],
                        body: .init(byteBuffer: ByteBuffer(string: answer.body.render(values, escaping: answer.escaping))))
    }

    /// Reads the body, refusing as soon as it passes the limit while counting (a declared length is a guard).
    private func readBody(_ request: Request, source: Source) async -> Result<[UInt8], Refusal> {
        do {
            let buffer = try await request.body.collect(upTo: source.maxBodyBytes)
            return .success(Array(buffer.readableBytesView))
        } catch is NIOTooManyBytesError {
            return .failure(RequestGuards.tooLarge(source))
        } catch {
            return .failure(Refusal(.bodyUnreadable, "the body could not be read to its end"))
        }
    }

    private func refuse(_ refusal: Refusal, _ decision: inout Decision) -> Response {
        decision.reason = refusal.reason
        decision.status = refusal.reason.status
        return JSONResponse.refusal(refusal)
    }
}

import Foundation
import HTTPTypes
import NIOCore
import PosternCore
import PosternDelivery
import PosternStore
import PosternVerify
import Tracing

/// The webhook listener's work, apart from the transport: `begin` takes a request's head and applies the source's
/// guards (path, method, client certificate, allowed addresses, a caller flooding refused requests, a declared body
/// too large); `check` takes the body and runs the intake checks with the rate limit spent once verification
/// passes; `store` stores the event and answers. Each decision is recorded in the audit log, the metrics and the
/// live feed.
public struct Ingest: Sendable {
    /// The sources and everything else a reload changes; each request reads it once, when it starts.
    let live: LiveConfiguration
    let store: any EventStore
    let observer: DecisionObserver
    let clock: WallClock

    public init(live: LiveConfiguration, store: any EventStore, observer: DecisionObserver, clock: WallClock = .system) {
        self.live = live
        self.store = store
        self.observer = observer
        self.clock = clock
    }

    /// A request whose head passed its source's guards, waiting for its body. A class: the connection's state holds
    /// it while the body arrives, and the store's callback after, each with one reference instead of a copy.
    public final class Admitted: Sendable {
        let serving: ServingConfiguration
        public let source: Source
        let head: HTTPRequest
        let path: String
        let query: String?
        let caller: IPAddress?
        let decision: Decision
        let started: ContinuousClock.Instant
        let span: any Span

        init(serving: ServingConfiguration, source: Source, head: HTTPRequest, path: String, query: String?,
             caller: IPAddress?, decision: Decision, started: ContinuousClock.Instant, span: any Span) {
            (self.serving, self.source, self.head, self.path, self.query) = (serving, source, head, path, query)
            (self.caller, self.decision, self.started, self.span) = (caller, decision, started, span)
        }
    }

    /// What the head led to: a refusal answered at once, a request admitted to send its body, or a request to the
    /// OAuth token endpoint, which sends its body too.
    public enum Begun: Sendable {
        case answered(HTTPAnswer)
        case admitted(Admitted)
        case tokenRequest(TokenCall)
    }

    /// A request to the token endpoint, waiting for its body.
    public struct TokenCall: Sendable {
        let tokens: TokenAuthority
        let limiter: TokenRequestLimiter
        let head: HTTPRequest
        let caller: IPAddress?
        let started: ContinuousClock.Instant
    }

    /// The connection a request came on: the peer's address, and the verified client certificate (TLS only).
    public struct Connection: Sendable {
        public var peer: IPAddress?
        public var identity: ClientIdentity?

        public init(peer: IPAddress?, identity: ClientIdentity?) {
            self.peer = peer
            self.identity = identity
        }
    }

    public func begin(_ head: HTTPRequest, on connection: Connection) -> Begun {
        let started = ContinuousClock.now
        // In flight to the end under the configuration it started with, whatever a reload swaps in meanwhile.
        let serving = live.current
        let (path, query) = Self.split(head.path ?? "/")
        let caller = serving.callers.caller(peer: connection.peer, forwardedFor: head.headerFields[values: Self.forwardedFor])
        var decision = Decision(time: clock.now, method: head.method.rawValue, path: path, caller: caller?.description)
        decision.clientIdentity = connection.identity
        if let tokens = serving.tokens, let begun = oauth(path, head, tokens, serving, caller, started) { return begun }
        // One server span per request, continuing the caller's `traceparent` (a no-op unless `tracing:` is set).
        let span = InstrumentationSystem.tracer.startSpan(head.method.rawValue, context: Self.traceContext(head.headerFields),
                                                          ofKind: .server)
        switch serving.guards.check(path: path, method: head.method.rawValue, caller: caller,
                                    identity: decision.clientIdentity, contentLength: head.headerFields[.contentLength]) {
        case .admitted(let source):
            decision.source = source.name
            return .admitted(Admitted(serving: serving, source: source, head: head, path: path, query: query, caller: caller,
                                      decision: decision, started: started, span: span))
        case .refused(let refusal, let named):
            decision.source = named?.name
            if refusal.reason == .bodyTooLarge, let named { serving.rateLimiter.recordRefusal(named.name, caller: caller) }
            let answer = Self.refuse(refusal, &decision)
            record(decision, span: span, started: started, route: named?.config.path)
            return .answered(answer)
        }
    }

    /// The token endpoint, the JWKS and the authorization server's metadata, when the configuration has `oauth`.
    private func oauth(_ path: String, _ head: HTTPRequest, _ tokens: TokenAuthority, _ serving: ServingConfiguration,
                       _ caller: IPAddress?, _ started: ContinuousClock.Instant) -> Begun? {
        switch path {
        case tokens.config.tokenPath:
            return .tokenRequest(TokenCall(tokens: tokens, limiter: serving.tokenLimiter, head: head, caller: caller, started: started))
        case TokenEndpoint.jwksPath where head.method == .get:
            return .answered(TokenEndpoint.jwks(tokens, now: clock.now))
        case TokenEndpoint.metadataPath where head.method == .get:
            return .answered(TokenEndpoint.metadata(tokens))
        default:
            return nil
        }
    }

    /// Answers a token request once its body is in (or over the limit), and records it.
    public func answer(_ call: TokenCall, body: [UInt8]?) -> HTTPAnswer {
        let (answer, outcome): (HTTPAnswer, TokenEndpoint.Outcome)
        if let body {
            let request = TokenEndpoint.Request(method: call.head.method, headers: call.head.headerFields, body: body, caller: call.caller)
            (answer, outcome) = TokenEndpoint.answer(request, authority: call.tokens, limiter: call.limiter, now: clock.now)
        } else {
            let failure = TokenEndpoint.Failure(code: "invalid_request", status: 413,
                                                description: "the body is larger than \(TokenEndpoint.maxBodyBytes) bytes")
            (answer, outcome) = (TokenEndpoint.failed(failure), TokenEndpoint.Outcome(outcome: failure.code, status: 413))
        }
        observer.recordToken(outcome, known: outcome.client.flatMap(call.tokens.client(id:)) != nil, caller: call.caller,
                             time: clock.now, latency: ContinuousClock.now - call.started)
        return answer
    }

    /// A request checked whole and to be stored: its event, the parsed body, and the decision so far.
    public struct Storing: Sendable {
        let admitted: Admitted
        let event: IncomingEvent
        let document: JSONValue?
        var decision: Decision
    }

    /// What the whole request led to: a refusal answered at once, or an event to store.
    public enum Checked: Sendable {
        case answered(HTTPAnswer)
        case storing(Storing)
        /// The token names a key the source's identity provider may have published since: its JWKS is fetched, then
        /// the request is checked once more (`finish`).
        case refreshingKeys(IssuerKeys)
    }

    /// The body read whole, or the refusal that ended reading it (too large, cut short), checked on the spot:
    /// verification, the body's kind and schema, the rate limit. A refusal is recorded and answered here, with no
    /// task and no store.
    public func check(_ admitted: Admitted, body: Result<[UInt8], Refusal>, refreshingKeys: Bool = true) -> Checked {
        var decision = admitted.decision
        // Looked up only where a jwt source exists: the common request pays no hash of its source's name.
        let issuers = admitted.serving.issuers
        let issuer = refreshingKeys && !issuers.isEmpty ? issuers[admitted.source.name] : nil
        let checked = ServiceContext.withValue(admitted.span.context) {
            intake(admitted, body: body, refreshingKeys: issuer != nil, &decision)
        }
        if case .failure(let refusal) = checked, refusal.wantsKeyRefresh, let issuer { return .refreshingKeys(issuer) }
        switch checked {
        case .success(let (event, document)):
            return .storing(Storing(admitted: admitted, event: event, document: document, decision: decision))
        case .failure(let refusal):
            let answer = Self.refuse(refusal, &decision)
            record(decision, admitted)
            return .answered(answer)
        }
    }

    /// Stores a checked request's event and hands its answer to `answer`, recording the decision: by callback from
    /// the store's writer, with no task of its own, unless a fulfillment source asks its upstream (in a task then).
    public func store(_ storing: Storing, answer: @escaping @Sendable (HTTPAnswer) -> Void) {
        let admitted = storing.admitted
        if let respond = admitted.source.config.respond, admitted.serving.fulfiller.callsUpstream(respond) {
            Task { answer(await storeAskingUpstream(storing, respond)) }
            return
        }
        let commit = InstrumentationSystem.tracer.startSpan("commit", context: admitted.span.context)
        store.insert(storing.event) { stored in
            commit.end()
            var decision = storing.decision
            let reply = self.answer(stored, storing, &decision)
            self.record(decision, admitted)
            answer(reply)
        }
    }

    /// `store(_:answer:)`, awaited.
    public func store(_ storing: Storing) async -> HTTPAnswer {
        await withCheckedContinuation { continuation in store(storing) { continuation.resume(returning: $0) } }
    }

    /// `check`, then `store` when the request passed (after fetching the identity provider's keys when it names one
    /// not known yet).
    public func finish(_ admitted: Admitted, body: Result<[UInt8], Refusal>, refreshingKeys: Bool = true) async -> HTTPAnswer {
        switch check(admitted, body: body, refreshingKeys: refreshingKeys) {
        case .answered(let answer): return answer
        case .storing(let storing): return await store(storing)
        case .refreshingKeys(let issuer):
            _ = await issuer.refresh()
            return await finish(admitted, body: body, refreshingKeys: false)
        }
    }

    private func record(_ decision: Decision, _ admitted: Admitted) {
        record(decision, span: admitted.span, started: admitted.started, route: admitted.source.config.path)
    }

    private func record(_ decision: Decision, span: any Span, started: ContinuousClock.Instant, route: String?) {
        var decision = decision
        Self.describe(decision, in: span, route: route)
        span.end()
        decision.latency = ContinuousClock.now - started
        observer.record(decision)
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// A request target's path and query.
    static func split(_ target: String) -> (path: String, query: String?) {
        guard let mark = target.firstIndex(of: "?") else { return (target, nil) }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
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

    /// The event a request makes once it passed every check, or the first refusal.
    /// `refreshingKeys`: an unknown key is not counted as the caller's refusal yet, since it is checked again.
    private func intake(_ admitted: Admitted, body: Result<[UInt8], Refusal>, refreshingKeys: Bool,
                        _ decision: inout Decision) -> Result<(IncomingEvent, JSONValue?), Refusal> {
        let (source, caller, rateLimiter) = (admitted.source, admitted.caller, admitted.serving.rateLimiter)
        let bytes: [UInt8]
        switch body {
        case .success(let read): bytes = read
        case .failure(let refusal):
            rateLimiter.recordRefusal(source.name, caller: caller)
            return .failure(refusal)
        }
        let headers = RequestHeaders(admitted.head)
        let received = WebhookRequest(method: admitted.head.method.rawValue, path: admitted.path, query: admitted.query,
                                      headers: headers, body: bytes)
        let verified = withSpan("verify") { _ in Intake.verify(source, received, now: decision.time) }
        let intake = verified.flatMap { verification in
            withSpan("parse") { _ in Intake.parse(source, received, verification: verification) }
        }
        if case .failure(let refusal) = intake, refusal.isVerificationFailure {
            if !(refreshingKeys && refusal.wantsKeyRefresh) { rateLimiter.recordRefusal(source.name, caller: caller) }
            return .failure(refusal)
        }
        // Verified: only now does the request spend the source's budget.
        if let limited = rateLimiter.admit(source.name) { return .failure(limited) }
        let checked: CheckedRequest
        switch intake {
        case .success(let request): checked = request
        case .failure(let refusal): return .failure(refusal)
        }
        decision.correlationID = checked.correlationID
        decision.verification = checked.verification
        let kept = source.keptHeaders(headers)
        let destinations = source.config.routedDestinations(source.queuedDestinations, document: checked.document, headers: kept)
        decision.routed = source.config.routes.isEmpty ? nil : destinations
        let event = IncomingEvent(
            source: source.name, idempotencyKey: checked.idempotencyKey, correlationID: checked.correlationID,
            receivedAt: decision.time, headers: Self.storedHeaders(kept), body: bytes,
            verification: checked.verification, callerAddress: decision.caller,
            clientSubject: decision.clientIdentity?.subject, destinations: destinations,
            orderingKeys: source.orderingKeys(destinations, document: checked.document, headers: headers))
        return .success((event, checked.document))
    }

    /// The headers kept with the event, its trace context replaced by this request's span's, so that deliveries
    /// continue the request's trace (as they are, when tracing is off).
    static func storedHeaders(_ kept: [(name: String, value: String)]) -> [(name: String, value: String)] {
        let propagated = TraceHeaders.headers(for: ServiceContext.current ?? .topLevel)
        guard !propagated.isEmpty else { return kept }
        return kept.filter { !TraceHeaders.names.contains($0.name.lowercased()) } + propagated
    }

    /// A fulfillment source's event stored, then its answer asked of the upstream (the fallback when it fails).
    private func storeAskingUpstream(_ storing: Storing, _ respond: RespondConfig) async -> HTTPAnswer {
        let admitted = storing.admitted
        return await ServiceContext.withValue(admitted.span.context) { () async -> HTTPAnswer in
            var decision = storing.decision
            let stored: Result<StoreOutcome, any Error>
            do {
                stored = .success(try await withSpan("commit") { _ in try await store.insert(storing.event) })
            } catch {
                stored = .failure(error)
            }
            var reply = answer(stored, storing, &decision)
            if case .success(.stored(let id)) = stored {
                let (answer, how) = await admitted.serving.fulfiller.answer(storing.event, id: id, document: storing.document ?? .object([:]),
                                                                            respond: respond, now: clock.now)
                (reply, decision.answer) = (answer, how)
            }
            record(decision, admitted)
            return reply
        }
    }

    /// The answer to a stored (or duplicate) event, or to a store that failed; a fulfillment source's is its
    /// fallback here (`storeAskingUpstream` asks the upstream).
    private func answer(_ stored: Result<StoreOutcome, any Error>, _ storing: Storing, _ decision: inout Decision) -> HTTPAnswer {
        let (event, source, document) = (storing.event, storing.admitted.source, storing.document)
        switch stored {
        case .failure(let error):
            observer.logger.error("store insert failed", metadata: ["source": "\(source.name)", "error": "\(error)"])
            decision.routed = nil
            return Self.refuse(Refusal(.storeUnavailable, "the event could not be stored; retry later", retryAfter: 5), &decision)
        case .success(.stored(let id)):
            decision.reason = .accepted
            decision.status = 200
            decision.eventID = id
            if let respond = source.config.respond {
                decision.answer = Fulfiller.noUpstream
                return Fulfiller.fallback(document ?? .object([:]), respond)
            }
            if let answer = source.config.answer { return configured(answer, id: id, event: event, document: document, &decision) }
            return HTTPAnswer.status(200, "accepted", id: id)
        case .success(.duplicate(let id)):
            decision.routed = nil  // routed when it was stored
            decision.reason = .duplicate
            decision.status = source.config.onDuplicate.rawValue
            decision.eventID = id
            if source.config.onDuplicate == .ok, let answer = source.config.answer {
                return configured(answer, id: id, event: event, document: document, &decision)
            }
            return HTTPAnswer.status(source.config.onDuplicate.rawValue, "duplicate", id: id)
        }
    }

    /// The source's `answer`, its placeholders filled for this event (a duplicate's id is the stored event's).
    private func configured(_ answer: AnswerConfig, id: String, event: IncomingEvent, document: JSONValue?,
                            _ decision: inout Decision) -> HTTPAnswer {
        decision.status = answer.status
        guard answer.status != 204 else { return HTTPAnswer(status: 204) }
        let values = AnswerTemplate.Values(id: id, correlationID: event.correlationID ?? "", receivedAt: event.receivedAt,
                                           document: document)
        return HTTPAnswer(status: answer.status, headers: [.contentType: answer.contentType],
                          body: ByteBuffer(string: answer.body.render(values, escaping: answer.escaping)))
    }

    static func refuse(_ refusal: Refusal, _ decision: inout Decision) -> HTTPAnswer {
        decision.reason = refusal.reason
        decision.status = refusal.reason.status
        return HTTPAnswer.refusal(refusal)
    }
}

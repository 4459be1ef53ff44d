import Foundation
import NIOCore
import PosternCore
import PosternDelivery

/// Answers fulfillment sources in the same request (Cognigy bot fulfillment, jambonz hooks): the upstream
/// destination's JSON answer of any shape, or the fallback when there is no upstream, or it fails or takes longer
/// than `respond.timeout`: `fallbackAnswer` as it is, else `{"requestId", "payload": <fallback actions>, "context"}`.
public struct Fulfiller: Sendable {
    let client: DeliveryClient?
    let destinations: [String: DestinationConfig]

    /// Without a client, every answer is the fallback.
    public init(client: DeliveryClient? = nil, destinations: [DestinationConfig] = []) {
        self.client = client
        self.destinations = Dictionary(destinations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// How the audit line names an answer made without an upstream.
    static let noUpstream = "fallback: no upstream"

    /// Whether answering `respond` calls an upstream; else the answer is the fallback, made at once.
    func callsUpstream(_ respond: RespondConfig) -> Bool {
        client != nil && respond.upstream.map { destinations[$0] != nil } == true
    }

    /// The answer, and how it was made (`upstream`, or `fallback: <why>`) for the audit line.
    func answer(_ event: IncomingEvent, id: String, document: JSONValue, respond: RespondConfig,
                now: Date) async -> (answer: HTTPAnswer, how: String) {
        guard let name = respond.upstream, let upstream = destinations[name], let client else {
            return (Self.fallback(document, respond), Self.noUpstream)
        }
        let delivery = DueDelivery(id: 0, eventID: id, source: event.source, destination: name,
                                   correlationID: event.correlationID, headers: event.headers, body: event.body,
                                   attempts: 0, enqueuedAt: now)
        switch await UpstreamCall.answer(delivery, upstream: upstream, within: respond.timeout, client: client, now: now) {
        case .success(let body):
            return (HTTPAnswer.json(status: 200, ByteBuffer(bytes: body)), "upstream")
        case .failure(let failure):
            return (Self.fallback(document, respond), "fallback: upstream \(failure.reason)")
        }
    }

    /// The configured `fallbackAnswer`, or the request's `requestId`, the configured fallback actions, and the
    /// request's `context` echoed.
    static func fallback(_ document: JSONValue, _ respond: RespondConfig) -> HTTPAnswer {
        if let whole = respond.fallbackAnswer { return HTTPAnswer.json(status: 200, ByteBuffer(string: whole.jsonText)) }
        var answer: [JSONKey: JSONValue] = ["payload": .array(respond.fallback)]
        answer["requestId"] = document.value(at: "/requestId") ?? .null
        if let context = document.value(at: "/context") { answer["context"] = context }
        return HTTPAnswer.json(status: 200, ByteBuffer(string: JSONValue.object(answer).jsonText))
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PosternCore

/// `GET /admin/v1/decisions`: every decision as it is made, as Server-Sent Events (`id`, `event: decision`, JSON
/// `data`), optionally only one source's or one outcome's. A client that reconnects with `Last-Event-ID` gets what
/// it missed while the feed still keeps it; when some is gone, an `event: gap` says so first. A comment line every
/// 15 s keeps proxies from closing a quiet stream. Never a secret or a body: the feed holds neither.
struct DecisionsAPI: Sendable {
    let feed: DecisionFeed
    static let heartbeat: Duration = .seconds(15)

    /// Which decisions a stream shows.
    struct Filter: Sendable {
        var source: String?
        var outcome: String?

        func admits(_ entry: DecisionFeed.Entry) -> Bool {
            (source == nil || entry.source == source) && (outcome == nil || entry.outcome == outcome)
        }
    }

    func addRoutes(to v1: RouterGroup<AdminRequestContext>) {
        v1.get("/decisions") { request, _ in
            let parameters = request.uri.queryParameters
            return stream(source: parameters["source"].map(String.init), outcome: parameters["outcome"].map(String.init),
                          lastEventID: request.headers[HTTPField.Name("Last-Event-ID")!] ?? parameters["lastEventId"].map(String.init))
        }
    }

    /// The stream's answer, for the API and the console's live tail alike.
    func stream(source: String?, outcome: String?, lastEventID: String?) -> Response {
        if let outcome, outcome != "accepted" && outcome != "refused" {
            return DeliveryAdmin.invalid("outcome must be accepted or refused")
        }
        guard let (backlog, entries) = feed.subscribe(after: lastEventID) else {
            return JSONResponse.encoded(status: 503, AdminError(error: "too_many_streams",
                message: "\(feed.maxSubscribers) decision streams are open already"))
        }
        let filter = Filter(source: source, outcome: outcome)
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                        body: ResponseBody { writer in try await Self.stream(backlog, entries, filter, to: &writer) })
    }

    private enum Message: Sendable {
        case entry(DecisionFeed.Entry)
        case heartbeat
    }

    private static func stream(_ backlog: DecisionFeed.Backlog, _ entries: AsyncStream<DecisionFeed.Entry>, _ filter: Filter,
                               to writer: inout any ResponseBodyWriter) async throws {
        try await writer.write(ByteBuffer(string: "retry: 2000\n" + (backlog.gap ? "event: gap\ndata: {\"missed\":true}\n\n" : "")))
        for entry in backlog.entries where filter.admits(entry) { try await writer.write(event(entry)) }
        let (messages, continuation) = AsyncStream.makeStream(of: Message.self)
        let pump = Task {
            for await entry in entries { continuation.yield(.entry(entry)) }
            continuation.finish()
        }
        let beat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeat)
                continuation.yield(.heartbeat)
            }
        }
        defer {
            pump.cancel()
            beat.cancel()
        }
        for await message in messages {
            switch message {
            case .entry(let entry) where filter.admits(entry): try await writer.write(event(entry))
            case .entry: continue
            case .heartbeat: try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
            }
        }
        try await writer.finish(nil)
    }

    private static func event(_ entry: DecisionFeed.Entry) -> ByteBuffer {
        var text = "id: \(entry.id)\nevent: decision\ndata: "
        text += String(decoding: JSONOutput.encode(entry), as: UTF8.self)
        text += "\n\n"
        return ByteBuffer(string: text)
    }
}

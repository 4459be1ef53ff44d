import Foundation
import Hummingbird
import PosternCore
import PosternStore

/// `/admin/v1/events`: stored events by source, time, state, correlation id, idempotency key and a body's field (JSON or form),
/// newest first (or oldest first), a page at a time with a cursor; and `/admin/v1/events/{id}`: one event whole. As
/// `AdminOpenAPI` describes them.
struct EventsAPI: Sendable {
    let store: any EventStore & DeliveryQueue

    static let defaultLimit = 50
    static let maxLimit = 500
    /// How far back a search by body field reaches when `since` is not given: every body in the range is read.
    static let bodySearchWindow: TimeInterval = 86_400

    /// A page of events, the cursor of the next one (null on the last page), and how many the search matches in
    /// all where that is cheap to count (null otherwise).
    struct Page: Encodable {
        var events: [StoredEvent]
        @AlwaysWritten var nextCursor: String?
        @AlwaysWritten var total: Int?
    }

    func addRoutes(to v1: RouterGroup<AdminRequestContext>) {
        v1.get("/events") { request, _ in
            switch Self.query(request.uri.queryParameters, now: Date()) {
            case .success(let query): return JSONResponse.encoded(status: 200, try await page(query))
            case .failure(let problem): return DeliveryAdmin.invalid(problem.description)
            }
        }
        v1.get("/events/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let document = try await document(id) else { return Self.notFound(id) }
            return JSONResponse.encoded(status: 200, document)
        }
    }

    func page(_ query: EventQuery) async throws -> Page {
        let events = try await store.events(matching: query)
        let next = events.count == query.limit ? events.last.map { EventCursor(after: $0).text } : nil
        let total = next == nil && query.after == nil ? events.count : Self.isCheapToCount(query) ? try await store.count(matching: query) : nil
        return Page(events: events, nextCursor: next, total: total)
    }

    /// Whether counting every match reads few rows: an index finds them by conversation or idempotency key, and no
    /// body needs reading.
    static func isCheapToCount(_ query: EventQuery) -> Bool {
        (query.correlationID != nil || query.idempotencyKey != nil) && query.bodyField == nil
    }

    /// One event with its deliveries and attempts; nil when no event has the id.
    func document(_ id: String) async throws -> EventDocument? {
        guard let detail = try await store.event(id: id) else { return nil }
        return EventDocument(detail, deliveries: try await store.deliveries(matching: DeliveryQuery(event: id, limit: 1000)),
                             attempts: try await store.attempts(event: id))
    }

    static func notFound(_ id: String) -> Response {
        JSONResponse.encoded(status: 404, AdminError(error: "not_found", message: "no event has the id \(id)"))
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// The search a query string asks for; newest first unless `order=oldest`.
    static func query(_ parameters: Hummingbird.Parameters, now: Date) -> Result<EventQuery, Problem> {
        var query = EventQuery(newestFirst: true, limit: defaultLimit)
        // The console's search comes here without the admin API's guard.
        if NULGuard<AdminRequestContext>.holdsNUL(parameters) {
            return .failure(Problem(description: NULGuard<AdminRequestContext>.message))
        }
        // Given empty, a parameter is still given: `state=` is not a state, and `source=` a source no event has.
        func text(_ name: String) -> String? { parameters[Substring(name)].map(String.init) }
        do throws(Replayer.Problem) {
            query.source = text("source")
            query.correlationID = text("correlationId")
            query.idempotencyKey = text("idempotencyKey")
            if let since = text("since") { query.since = try Replayer.time(since, "since") }
            if let until = text("until") { query.until = try Replayer.time(until, "until") }
        } catch {
            return .failure(Problem(description: error.description.replacingOccurrences(of: "--", with: "")))
        }
        if let state = text("state") {
            guard let parsed = EventState(rawValue: state) else {
                return .failure(Problem(description: "state must be one of \(EventState.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            query.state = parsed
        }
        if let order = text("order") {
            guard order == "newest" || order == "oldest" else { return .failure(Problem(description: "order must be newest or oldest")) }
            query.newestFirst = order == "newest"
        }
        if let limit = text("limit") {
            guard let number = Int(limit), (1...maxLimit).contains(number) else {
                return .failure(Problem(description: "limit must be an integer from 1 to \(maxLimit)"))
            }
            query.limit = number
        }
        if let cursor = text("cursor") {
            guard let parsed = EventCursor(cursor) else { return .failure(Problem(description: "cursor is not one this API gave")) }
            query.after = parsed
        }
        switch (text("field"), text("value")) {
        case (nil, nil): break
        case (let field?, let value?):
            guard let match = BodyFieldMatch(pointer: field, value: value) else {
                return .failure(Problem(description: "field must be a JSON pointer such as /sessionId, without quotes or control characters"))
            }
            query.bodyField = match
            query.since = query.since ?? now.addingTimeInterval(-bodySearchWindow)
        default:
            return .failure(Problem(description: "field and value go together: field=/sessionId&value=abc"))
        }
        return .success(query)
    }

    /// The query string of a search's conditions (not its order, page size or cursor), times as Unix seconds with
    /// milliseconds: `query` reads it back to the same search. Bulk replay's confirmation carries it.
    static func searchParameters(_ query: EventQuery) -> String {
        func seconds(_ date: Date) -> String { String(format: "%.3f", date.timeIntervalSince1970) }
        var pairs: [(String, String?)] = [
            ("source", query.source), ("since", query.since.map(seconds)), ("until", query.until.map(seconds)),
            ("state", query.state?.rawValue), ("correlationId", query.correlationID), ("idempotencyKey", query.idempotencyKey),
        ]
        if let field = query.bodyField { pairs += [("field", field.pointer), ("value", field.value)] }
        return pairs.compactMap { name, value in value.map { "\(name)=\($0.percentEncoded)" } }.joined(separator: "&")
    }
}

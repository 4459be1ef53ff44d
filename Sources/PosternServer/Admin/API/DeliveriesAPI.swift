import Foundation
import Hummingbird
import PosternCore
import PosternStore

/// `/admin/v1/deliveries` (by state, destination and event) and `/admin/v1/dead-letters` (the dead ones), newest
/// first, a page at a time with a cursor.
struct DeliveriesAPI: Sendable {
    let store: any EventStore & DeliveryQueue

    /// A page of deliveries, and the cursor of the next one (null on the last page).
    struct Page: Encodable {
        var deliveries: [DeliveryRecord]
        @AlwaysWritten var nextCursor: String?
    }

    func addRoutes(to v1: RouterGroup<AdminRequestContext>) {
        v1.get("/deliveries") { request, _ in try await answer(request.uri.queryParameters, state: nil) }
        v1.get("/dead-letters") { request, _ in try await answer(request.uri.queryParameters, state: .dead) }
    }

    private func answer(_ parameters: Hummingbird.Parameters, state fixed: DeliveryState?) async throws -> Response {
        switch Self.query(parameters, state: fixed) {
        case .success(let query): JSONResponse.encoded(status: 200, try await page(query))
        case .failure(let problem): DeliveryAdmin.invalid(problem.description)
        }
    }

    func page(_ query: DeliveryQuery) async throws -> Page {
        let records = try await store.deliveries(matching: query)
        return Page(deliveries: records, nextCursor: records.count == query.limit ? records.last.map { String($0.id) } : nil)
    }

    static func query(_ parameters: Hummingbird.Parameters, state fixed: DeliveryState?) -> Result<DeliveryQuery, EventsAPI.Problem> {
        var query = DeliveryQuery(state: fixed, newestFirst: true, limit: EventsAPI.defaultLimit)
        func text(_ name: String) -> String? { parameters[Substring(name)].map(String.init) }
        query.event = text("event")
        query.destination = text("destination")
        if fixed == nil, let state = text("state") {
            guard let parsed = DeliveryState(rawValue: state) else {
                return .failure(.init(description: "state must be one of \(DeliveryState.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            query.state = parsed
        }
        if let limit = text("limit") {
            guard let number = Int(limit), (1...EventsAPI.maxLimit).contains(number) else {
                return .failure(.init(description: "limit must be an integer from 1 to \(EventsAPI.maxLimit)"))
            }
            query.limit = number
        }
        if let cursor = text("cursor") {
            guard cursor.count <= 19, let id = Int64(cursor), id > 0 else {
                return .failure(.init(description: "cursor is not one this API gave"))
            }
            query.after = id
        }
        return .success(query)
    }
}

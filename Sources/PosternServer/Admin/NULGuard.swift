import Foundation
import Hummingbird

/// Refuses, with a 400, an `/admin/v1` request whose path or query holds a NUL character: neither store can hold one
/// in text (PostgreSQL refuses it outright), so no event, delivery or destination can match it. The OpenAPI document
/// says as much: every free-text parameter is its `Text` schema.
struct NULGuard<Context: RequestContext>: RouterMiddleware {
    static var message: String { "a parameter holds a NUL character, which no stored text can" }

    /// Whether any name or value holds a NUL.
    static func holdsNUL(_ parameters: Hummingbird.Parameters) -> Bool {
        parameters.contains { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path.removingPercentEncoding ?? request.uri.path
        guard path.utf8.contains(0) || Self.holdsNUL(request.uri.queryParameters) else {
            return try await next(request, context)
        }
        return DeliveryAdmin.invalid(Self.message)
    }
}

import HTTPTypes
import Hummingbird

/// Answers 405 with `Allow` for a method a known resource does not take, before routing (the router alone would
/// answer 404, as for a resource that does not exist): any method, `QUERY` and `TRACE` included. Resources are
/// paths whose `*` segments stand for any one segment (`/admin/v1/events/*`).
struct MethodGuard<Context: RequestContext>: RouterMiddleware {
    /// Path patterns and the methods their resources take.
    let resources: [(pattern: String, methods: [HTTPRequest.Method])]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard let resource = resources.first(where: { Self.matches($0.pattern, segments) }),
              !resource.methods.contains(request.method) else {
            return try await next(request, context)
        }
        let allowed = resource.methods.map(\.rawValue).joined(separator: ", ")
        var response = JSONResponse.encoded(status: 405, AdminError(error: "method_not_allowed", message: "\(path) takes \(allowed)"))
        response.headers[.allow] = allowed
        return response
    }

    private static func matches(_ pattern: String, _ segments: [Substring]) -> Bool {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == segments.count && zip(parts, segments).allSatisfy { $0 == "*" ? !$1.isEmpty : $0 == $1 }
    }
}

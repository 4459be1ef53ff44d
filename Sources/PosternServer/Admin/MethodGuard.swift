import HTTPTypes
import Hummingbird

/// Answers 405 with `Allow` for a method a resource under one of `resources` does not take, before routing (the
/// router alone would answer 404, as for a resource that does not exist): any method, `QUERY` and `TRACE` included.
struct MethodGuard<Context: RequestContext>: RouterMiddleware {
    /// Path prefixes and the methods their resources take.
    let resources: [(prefix: String, methods: [HTTPRequest.Method])]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard let resource = resources.first(where: { path == $0.prefix || path.hasPrefix($0.prefix + "/") }),
              !resource.methods.contains(request.method) else {
            return try await next(request, context)
        }
        let allowed = resource.methods.map(\.rawValue).joined(separator: ", ")
        var response = JSONResponse.encoded(status: 405, AdminError(error: "method_not_allowed", message: "\(path) takes \(allowed)"))
        response.headers[.allow] = allowed
        return response
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import PosternCore

/// Guards the admin API: a call needs a configured token (`admin.token`, `admin.tokens`), read from the live
/// configuration so a reload revokes one; only an operator may change anything (any method but GET and HEAD). Every
/// call, refused or not, goes in the audit log with the token's name, never the token.
struct AdminAccess: RouterMiddleware {
    let tokens: @Sendable () -> AdminTokens
    let audit: AuditLog?

    func handle(_ request: Request, context: AdminRequestContext,
                next: (Request, AdminRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        let identity = tokens().identity(RequestHeaders(request.head))
        context.identity = identity
        let response: Response
        if identity == nil {
            response = Self.unauthorized
        } else if let identity, !Self.permits(identity.role, request.method) {
            response = Self.forbidden(identity)
        } else {
            response = try await next(request, context)
        }
        audit?.write(AdminAuditRecord(request, by: identity, status: response.status.code))
        return response
    }

    /// A viewer reads; everything else is an operator's.
    static func permits(_ role: AdminRole, _ method: HTTPRequest.Method) -> Bool {
        role == .operator || method == .get || method == .head
    }

    static var unauthorized: Response {
        var response = JSONResponse.refusal(Refusal(.invalidCredentials, "the admin API needs Authorization: Bearer <admin token>"))
        response.headers[.wwwAuthenticate] = #"Bearer realm="postern-admin""#
        return response
    }

    static func forbidden(_ identity: AdminIdentity) -> Response {
        JSONResponse.encoded(status: 403, AdminError(error: "forbidden",
            message: "the token \(identity.name) is a viewer's: replaying and reloading need an operator's"))
    }
}

/// One admin call as the audit log records it: who (the token's name), what, and the answer's status.
struct AdminAuditRecord: Encodable {
    var time = Date()
    var decision = "admin_call"
    var method: String
    var path: String
    var by: String?
    var role: String?
    var status: Int

    init(_ request: Request, by identity: AdminIdentity?, status: Int) {
        method = request.method.rawValue
        path = request.uri.path
        by = identity?.name
        role = identity?.role.rawValue
        self.status = status
    }
}

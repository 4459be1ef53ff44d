import Foundation
import HTTPTypes
import Hummingbird
import PosternCore
import PosternVerify

/// Guards the console: every answer carries `ConsolePage`'s security headers; every page but the log-in form needs
/// a session cookie; every POST needs its session's CSRF token in the form (compared in constant time), an
/// `Origin`, when the browser sends one, that is this listener's own, and an operator's role unless it only signs
/// out. Each request goes in the audit log with the token's name, as admin API calls do.
struct ConsoleAccess: RouterMiddleware {
    static let cookie = "postern_session"
    let sessions: ConsoleSessions
    let tokens: @Sendable () -> AdminTokens
    let audit: AuditLog?

    func handle(_ request: Request, context: AdminRequestContext,
                next: (Request, AdminRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        var response = try await decide(request, &context, next)
        ConsolePage.securityHeaders(&response.headers)
        if !request.uri.path.hasPrefix("/console/assets/") {
            audit?.write(AdminAuditRecord(request, by: context.identity, status: response.status.code))
        }
        return response
    }

    private func decide(_ request: Request, _ context: inout AdminRequestContext,
                        _ next: (Request, AdminRequestContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/console/login" || path.hasPrefix("/console/assets/") { return try await next(request, context) }
        guard let id = request.cookies[Self.cookie]?.value,
              let session = sessions.session(id, tokens: tokens(), now: Date()) else {
            if request.method == .get || request.method == .head {
                return ConsolePage.redirect("/console/login?next=" + (request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")).percentEncoded)
            }
            return Self.refused(.forbidden, "Your session has ended. Sign in again.")
        }
        context.identity = session.identity
        context.console = ConsoleCall(session: session)
        guard request.method == .post else { return try await next(request, context) }
        guard Self.sameOrigin(request) else { return Self.refused(.forbidden, "This form came from another site.") }
        let form = try await Self.form(request)
        guard let csrf = form["csrf"], ConstantTime.equals(csrf, session.csrf) else {
            return Self.refused(.forbidden, "This form has expired. Go back, reload the page and send it again.")
        }
        guard path == "/console/logout" || session.identity.role == .operator else {
            return Self.refused(.forbidden, "The token \(session.identity.name) is a viewer's: replaying needs an operator's.")
        }
        context.console?.form = form
        return try await next(request, context)
    }

    /// A form body's fields (the last value of a repeated one); at most 64 KiB.
    static func form(_ request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 65_536)
        guard case .object(let fields)? = try? FormBody.parse(Array(body.readableBytesView)) else { return [:] }
        var form: [String: String] = [:]
        for (name, value) in fields {
            switch value {
            case .string(let text): form[name.name] = text
            case .array(let values): if case .string(let text)? = values.last { form[name.name] = text }
            default: break
            }
        }
        return form
    }

    /// No `Origin` (an older browser, a form posted by a script on this page), or one naming this listener.
    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    static func refused(_ status: HTTPResponse.Status, _ message: String) -> Response {
        ConsolePage(title: "Not allowed", session: nil,
                    body: ConsolePage.message(message, problem: true) + "<p><a href=\"/console/\">Back to the console</a></p>")
            .response(status: status)
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import PosternCore
import PosternVerify

/// Signing in and out: an admin token is exchanged for a session cookie (HttpOnly, SameSite=Strict, Path=/console);
/// the log-in form carries a nonce that must match its own cookie, so another site cannot sign a browser in.
extension Console {
    static let loginCookie = "postern_login"

    func loginPage(_ request: Request, problem: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let nonce = ConsoleSessions.random()
        let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
        let body = (problem.map { ConsolePage.message($0, problem: true) } ?? "") + """
            <form method="post" action="/console/login" class="login">
            <input type="hidden" name="nonce" value="\(nonce.html)"><input type="hidden" name="next" value="\(next.html)">
            <label>Admin token <input type="password" name="token" id="token" autocomplete="current-password" required autofocus></label>
            <button type="submit" id="sign-in">Sign in</button></form>
            <p class="hint">\(services.tokens.isUnguarded
                ? "This admin listener is on loopback with no token configured: any text signs in, as an operator. Set admin.token or admin.tokens to guard it."
                : "A token from the configuration's admin.token or admin.tokens. It is exchanged for a session cookie and never stored in the browser.")</p>
            """
        var response = ConsolePage(title: "Sign in", session: nil, body: body).response(status: status)
        response.setCookie(Cookie(name: Self.loginCookie, value: nonce, maxAge: 600, path: "/console/login", httpOnly: true, sameSite: .strict))
        return response
    }

    func logIn(_ request: Request) async throws -> Response {
        let form = try await ConsoleAccess.form(request)
        guard ConsoleAccess.sameOrigin(request), let nonce = form["nonce"], let expected = request.cookies[Self.loginCookie]?.value,
              ConstantTime.equals(nonce, expected) else {
            return loginPage(request, problem: "The sign-in form expired. Try again.", status: .forbidden)
        }
        let tokens = services.tokens
        guard let token = form["token"], let identity = tokens.identity(token: token) else {
            return loginPage(request, problem: "That is not an admin token of this gateway.", status: .unauthorized)
        }
        let session = sessions.create(identity, token: token, now: Date())
        var response = ConsolePage.redirect(Self.safeNext(form["next"]))
        response.setCookie(Cookie(name: ConsoleAccess.cookie, value: session.id, maxAge: Int(ConsoleSessions.lifetime),
                                  path: "/console", httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(name: Self.loginCookie, value: "", maxAge: 0, path: "/console/login", httpOnly: true, sameSite: .strict))
        return response
    }

    func logOut(_ context: AdminRequestContext) -> Response {
        if let session = session(context) { sessions.end(session.id) }
        var response = ConsolePage.redirect("/console/login")
        response.setCookie(Cookie(name: ConsoleAccess.cookie, value: "", maxAge: 0, path: "/console", httpOnly: true, sameSite: .strict))
        return response
    }

    /// Where to go after signing in: a console path only, never another site (`//evil.example`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/console/"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return "/console/" }
        return next
    }
}

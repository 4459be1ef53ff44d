import Foundation
import HTTPTypes
import Hummingbird

/// One console page: the layout every page shares (navigation, who is signed in, the sign-out form), and the
/// headers every console answer carries — a Content-Security-Policy that allows only this listener's own
/// stylesheet and script (no inline script or style), no framing, no sniffing, no caching, and no referrer to
/// another site (`same-origin`: with `no-referrer` the browser sends `Origin: null` with the console's own forms,
/// which `ConsoleAccess` refuses).
struct ConsolePage {
    var title: String
    var session: ConsoleSessions.Session?
    var body: String

    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func securityHeaders(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[.cacheControl] = "no-store"
    }

    var response: Response { response(status: .ok) }

    func response(status: HTTPResponse.Status, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    var html: String {
        let navigation = session.map { session in
            """
            <nav><a href="/console/">Overview</a><a href="/console/events">Events</a>\
            <a href="/console/dead-letters">Dead letters</a><a href="/console/live">Live tail</a>\
            <span class="who">\(session.identity.name.html) (\(session.identity.role.rawValue))</span>\
            <form method="post" action="/console/logout" class="inline">\(Self.csrfField(session))\
            <button type="submit" id="logout">Sign out</button></form></nav>
            """
        } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title.html) · Postern</title><link rel="stylesheet" href="/console/assets/console.css"></head>
            <body><header><strong>Postern</strong>\(navigation)</header><main><h1>\(title.html)</h1>
            \(body)
            </main></body></html>
            """
    }

    static func csrfField(_ session: ConsoleSessions.Session) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(session.csrf.html)\">"
    }

    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    /// A message box: `notice` for what went well, `problem` for what did not.
    static func message(_ text: String, problem: Bool = false) -> String {
        "<p class=\"\(problem ? "problem" : "notice")\" role=\"status\">\(text.html)</p>"
    }

    /// A table of rows, each a list of cells already escaped.
    static func table(_ headings: [String], _ rows: [[String]], id: String? = nil) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">None.</p>" }
        let head = headings.map { "<th>\($0.html)</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>\(head)</tr></thead><tbody>\n\(body)\n</tbody></table>"
    }

    static func time(_ date: Date?) -> String {
        date.map { $0.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).dateTimeSeparator(.space)) + " UTC" } ?? "–"
    }
}

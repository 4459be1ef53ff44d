import Foundation
import Hummingbird
import PosternCore

/// The events page: `GET /admin/v1/events`'s search as a form whose URL is the search (shareable), newest first,
/// a page at a time; and one event whole, with a replay button for operators.
extension Console {
    func eventsPage(_ parameters: Hummingbird.Parameters, _ session: ConsoleSessions.Session?) async throws -> Response {
        // Empty fields of the form are not conditions.
        let given = parameters.filter { !$0.value.isEmpty }
        var fields: [String: String] = [:]
        for (name, value) in given { fields[String(name)] = String(value) }
        var results = ""
        switch EventsAPI.query(Hummingbird.Parameters(given.map { ($0.key, $0.value) }), now: Date()) {
        case .failure(let problem):
            results = ConsolePage.message(problem.description, problem: true)
        case .success(let query):
            let page = try await events.page(query)
            let rows = page.events.map { event -> [String] in
                [ConsolePage.time(event.receivedAt), "<a href=\"/console/events/\(event.id.percentEncoded)\">\(event.id.html)</a>",
                 event.source.html, event.correlationId.html, event.idempotencyKey.html]
            }
            results = (page.total.map { "<p id=\"total\">\($0) event\($0 == 1 ? "" : "s") match.</p>" } ?? "")
                + ConsolePage.table(["received", "event", "source", "correlation id", "idempotency key"], rows, id: "results")
            if let next = page.nextCursor {
                var query = given.filter { $0.key != "cursor" }.map { "\($0.key)=\(String($0.value).percentEncoded)" }
                query.append("cursor=\(next.percentEncoded)")
                results += "<p><a id=\"next-page\" href=\"/console/events?\(query.joined(separator: "&").html)\">Older events →</a></p>"
            }
        }
        return page("Events", session, searchForm(fields) + results)
    }

    private func searchForm(_ fields: [String: String]) -> String {
        func input(_ name: String, _ label: String, _ hint: String = "") -> String {
            "<label>\(label) <input name=\"\(name)\" value=\"\(fields[name]?.html ?? "")\" placeholder=\"\(hint.html)\"></label>"
        }
        func select(_ name: String, _ label: String, _ choices: [String]) -> String {
            let options = ([""] + choices).map { choice in
                "<option value=\"\(choice.html)\"\(fields[name] == choice ? " selected" : "")>\(choice.isEmpty ? "any" : choice.html)</option>"
            }.joined()
            return "<label>\(label) <select name=\"\(name)\">\(options)</select></label>"
        }
        return """
            <form method="get" action="/console/events" class="search" id="search">
            \(select("source", "Source", sourceNames))\(select("state", "State", EventState.allCases.map(\.rawValue)))
            \(input("since", "Since", "2026-12-01T10:00:00Z"))\(input("until", "Until", "RFC 3339 or Unix seconds"))
            \(input("correlationId", "Correlation id", "the conversation's session id"))\(input("idempotencyKey", "Idempotency key"))
            \(input("field", "Body field", "/sessionId"))\(input("value", "equals"))
            <button type="submit" id="search-button">Search</button></form>
            <p class="hint">A body field is a JSON pointer into JSON bodies, or a form field's name (/From); it searches the last day unless Since says otherwise. The page's address is the search: share it.</p>
            """
    }

    func eventPage(_ id: String, _ parameters: Hummingbird.Parameters, _ session: ConsoleSessions.Session?) async throws -> Response {
        guard let document = try await events.document(id), let detail = try await store.event(id: id) else {
            return ConsolePage(title: "No such event", session: session,
                               body: ConsolePage.message("No event has the id \(id).", problem: true)).response(status: .notFound)
        }
        let event = document.event
        var body = parameters["replayed"].map { ConsolePage.message("Queued \($0) deliveries again.") } ?? ""
        body += parameters["problem"].map { ConsolePage.message(String($0), problem: true) } ?? ""
        let verification = document.verification.map { verification in
            [verification.scheme.html, verification.secretIndex.map { "secret \($0)" }.html,
             verification.timestamp.map(ConsolePage.time) ?? "–", verification.messageID.html]
        }
        body += ConsolePage.table(["event", "source", "received", "correlation id", "idempotency key", "caller", "client certificate"], [[
            event.id.html, event.source.html, ConsolePage.time(event.receivedAt), event.correlationId.html, event.idempotencyKey.html,
            document.caller.html, document.clientSubject.html,
        ]], id: "summary")
        body += "<h2>Verification</h2>" + ConsolePage.table(["scheme", "secret", "signed at", "message id"], verification.map { [$0] } ?? [], id: "verification")
        body += "<h2>Headers</h2>" + ConsolePage.table(["name", "value"], document.headers.map { [$0[0].html, $0[1].html] }, id: "headers")
        let contentType = detail.headers.first { $0.name.lowercased() == "content-type" }?.value
        let shown = BodyPrinter.pretty(detail.body, contentType: contentType)
            ?? "(\(detail.body.count) bytes that are not UTF-8; the admin API has them in base64)"
        body += "<h2>Body</h2><pre id=\"body\">\(shown.html)</pre>"
        body += "<h2>Deliveries</h2>" + ConsolePage.table(["destination", "state", "attempts", "last status", "last error", "next attempt"],
            document.deliveries.map { delivery in
                [delivery.destination.html, "<span class=\"state \(delivery.state.rawValue)\">\(delivery.state.rawValue)</span>",
                 "\(delivery.attempts)", delivery.lastStatus.map(String.init).html, delivery.lastError.html, ConsolePage.time(delivery.nextAttemptAt)]
            }, id: "deliveries")
        body += "<h2>Attempts</h2>" + ConsolePage.table(["time", "destination", "status", "duration", "error, Retry-After"],
            document.attempts.map { attempt in
                [ConsolePage.time(attempt.time), attempt.destination.html, attempt.status.map(String.init).html,
                 String(format: "%.1f ms", attempt.latencyMs), attempt.error.html]
            }, id: "timeline")
        if let session, session.identity.role == .operator {
            body += """
                <form method="post" action="/console/events/\(event.id.percentEncoded)/replay" class="inline">\(ConsolePage.csrfField(session))
                <button type="submit" id="replay">Replay this event</button></form>
                """
        }
        return page("Event \(event.id)", session, body)
    }

    func replayEvent(_ id: String, _ context: AdminRequestContext) async throws -> Response {
        let location = "/console/events/\(id.percentEncoded)"
        do {
            let answer = try await replays.replay(event: id, Hummingbird.Parameters(), by: context.identity)
            return ConsolePage.redirect(location + "?replayed=\(answer.queued)")
        } catch let problem as AdminProblem {
            return ConsolePage.redirect(location + "?problem=\(problem.message.percentEncoded)")
        }
    }
}

import Foundation
import Hummingbird
import PosternCore

/// Dead letters: the dead deliveries newest first, by destination; replay one event, or preview how many events a
/// replay of every dead letter (of a destination, of a source) takes, then confirm with the preview's token.
extension Console {
    func deadLettersPage(_ parameters: Hummingbird.Parameters, _ session: ConsoleSessions.Session?,
                         notice: String? = nil) async throws -> Response {
        let destination = parameters["destination"].flatMap { $0.isEmpty ? nil : String($0) }
        var query = DeliveryQuery(state: .dead, destination: destination, newestFirst: true, limit: 100)
        if let cursor = parameters["cursor"].flatMap({ Int64(String($0)) }) { query.after = cursor }
        let found = try await deliveries.page(query)
        let isOperator = session?.identity.role == .operator
        let rows = found.deliveries.map { delivery -> [String] in
            var row = ["<a href=\"/console/events/\(delivery.event.percentEncoded)\">\(delivery.event.html)</a>", delivery.source.html,
                       delivery.destination.html, "\(delivery.attempts)", delivery.lastStatus.map(String.init).html, delivery.lastError.html]
            if let session, isOperator {
                row.append("""
                    <form method="post" action="/console/events/\(delivery.event.percentEncoded)/replay" class="inline">\(ConsolePage.csrfField(session))\
                    <button type="submit" class="replay-one">Replay</button></form>
                    """)
            }
            return row
        }
        let options = ([""] + destinationNames).map { name in
            "<option value=\"\(name.html)\"\(name == destination ? " selected" : "")>\(name.isEmpty ? "every destination" : name.html)</option>"
        }.joined()
        var body = (notice.map { ConsolePage.message($0) } ?? "") + """
            <form method="get" action="/console/dead-letters" class="search"><label>Destination <select name="destination">\(options)</select></label>
            <button type="submit">Show</button></form>
            """
        body += ConsolePage.table(["event", "source", "destination", "attempts", "last status", "last error"] + (isOperator ? [""] : []),
                                  rows, id: "dead-letters")
        if let next = found.nextCursor {
            body += "<p><a href=\"/console/dead-letters?\((destination.map { "destination=\($0.percentEncoded)&" } ?? "").html)cursor=\(next)\">Older →</a></p>"
        }
        if let session, isOperator, !found.deliveries.isEmpty {
            body += """
                <form method="post" action="/console/dead-letters/preview" class="inline">\(ConsolePage.csrfField(session))
                <input type="hidden" name="destination" value="\((destination ?? "").html)">
                <button type="submit" id="preview-all">Replay all dead letters\(destination.map { " of \($0.html)" } ?? "")…</button></form>
                """
        }
        return page("Dead letters", session, body)
    }

    func previewDeadLetters(_ context: AdminRequestContext) async throws -> Response {
        let form = context.console?.form ?? [:]
        let destination = form["destination"].flatMap { $0.isEmpty ? nil : $0 }
        var pairs = [("state", "dead"), ("onlyDead", "true"), ("since", "0")]
        if let destination { pairs.append(("destination", destination)) }
        do {
            let preview = try await replays.preview(Hummingbird.Parameters(pairs.map { (Substring($0.0), Substring($0.1)) }), now: Date())
            guard let session = session(context) else { return ConsolePage.redirect("/console/login") }
            let body = """
                <p id="preview-count">Replaying every dead letter\(destination.map { " of \($0.html)" } ?? "") takes <strong>\(preview.events)</strong> events received until now. Their dead deliveries are queued again; their other deliveries are left alone.</p>
                <form method="post" action="/console/dead-letters/replay" class="inline">\(ConsolePage.csrfField(session))
                <input type="hidden" name="token" value="\(preview.token.html)">
                <button type="submit" id="confirm-replay">Replay \(preview.events) events</button></form>
                <a href="/console/dead-letters">Cancel</a>
                <p class="hint">The confirmation holds until \(ConsolePage.time(preview.expiresAt)), and only while the search still matches \(preview.events) events.</p>
                """
            return page("Replay dead letters", session, body)
        } catch let problem as AdminProblem {
            return try await deadLettersPage(Hummingbird.Parameters(), session(context), notice: problem.message)
        }
    }

    func replayDeadLetters(_ context: AdminRequestContext) async throws -> Response {
        let token = context.console?.form["token"] ?? ""
        do {
            let answer = try await replays.confirm(token: token, by: context.identity)
            return try await deadLettersPage(Hummingbird.Parameters(), session(context),
                                             notice: "Replayed \(answer.events) events: \(answer.queued) deliveries queued again.")
        } catch let problem as AdminProblem {
            return try await deadLettersPage(Hummingbird.Parameters(), session(context), notice: problem.message)
        }
    }
}

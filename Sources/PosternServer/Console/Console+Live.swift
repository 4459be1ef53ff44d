import Hummingbird

/// The live tail: decisions as they happen, from the same stream as `GET /admin/v1/decisions`, drawn by
/// `/console/assets/console.js` (no inline script); pausable, and filtered by source and outcome.
extension Console {
    func livePage(_ session: ConsoleSessions.Session?) -> Response {
        let sources = ([""] + sourceNames).map { "<option value=\"\($0.html)\">\($0.isEmpty ? "every source" : $0.html)</option>" }.joined()
        return page("Live tail", session, """
            <form class="search" id="live-filter"><label>Source <select name="source" id="live-source">\(sources)</select></label>
            <label>Outcome <select name="outcome" id="live-outcome"><option value="">any</option><option value="accepted">accepted</option>\
            <option value="refused">refused</option></select></label>
            <button type="button" id="pause">Pause</button> <span id="live-state">connecting…</span></form>
            <table id="live"><thead><tr><th>time</th><th>outcome</th><th>status</th><th>reason</th><th>source</th><th>request</th>\
            <th>latency</th><th>caller</th><th>event</th></tr></thead><tbody></tbody></table>
            <script src="/console/assets/console.js"></script>
            """)
    }
}

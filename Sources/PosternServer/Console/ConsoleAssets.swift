import Hummingbird

/// The console's stylesheet and script, served from the binary (no CDN, no external file: the console works
/// offline), so the Content-Security-Policy can allow `'self'` and nothing inline.
enum ConsoleAssets {
    static func addRoutes(to console: RouterGroup<AdminRequestContext>) {
        console.get("/assets/console.css") { _, _ in asset(css, type: "text/css; charset=utf-8") }
        console.get("/assets/console.js") { _, _ in asset(script, type: "text/javascript; charset=utf-8") }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let css = """
        :root { font-family: system-ui, sans-serif; color: #1a202c; background: #f7fafc; }
        body { margin: 0; }
        header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem; background: #1a365d; color: #fff; }
        header nav { display: flex; gap: 1rem; align-items: center; flex: 1; }
        header a { color: #e2e8f0; text-decoration: none; }
        header a:hover { text-decoration: underline; }
        .who { margin-left: auto; color: #cbd5e0; }
        main { padding: 1rem 1.5rem; }
        h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
        table { border-collapse: collapse; background: #fff; width: 100%; font-size: .9rem; }
        th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
        th { background: #edf2f7; font-weight: 600; }
        pre { background: #fff; border: 1px solid #e2e8f0; padding: .8rem; overflow: auto; max-height: 30rem; }
        form.search, form.login { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; margin-bottom: 1rem; }
        form.login { flex-direction: column; align-items: start; max-width: 24rem; }
        label { display: flex; flex-direction: column; font-size: .8rem; color: #4a5568; gap: .2rem; }
        input, select, button { font: inherit; padding: .3rem .5rem; }
        button { background: #2b6cb0; color: #fff; border: 0; border-radius: 3px; cursor: pointer; }
        header button { background: #2c5282; }
        form.inline { display: inline; }
        .notice { background: #c6f6d5; padding: .5rem .8rem; } .problem { background: #fed7d7; padding: .5rem .8rem; }
        .hint, .empty { color: #718096; font-size: .85rem; }
        .circuit.open, .state.dead, .refused { color: #c53030; font-weight: 600; }
        .circuit.half_open { color: #b7791f; } .accepted, .state.delivered { color: #2f855a; }
        svg.chart { background: #f7fafc; }
        """

    static let script = """
        "use strict";
        (function () {
          const table = document.getElementById("live");
          if (!table) { return; }
          const body = table.tBodies[0];
          const state = document.getElementById("live-state");
          const pause = document.getElementById("pause");
          const source = document.getElementById("live-source");
          const outcome = document.getElementById("live-outcome");
          let stream = null, paused = false, held = [];

          function cell(row, text, className) {
            const td = row.insertCell();
            td.textContent = text === undefined || text === null ? "–" : String(text);
            if (className) { td.className = className; }
          }
          function show(decision) {
            const row = body.insertRow(0);
            row.className = "decision";
            cell(row, (decision.time || "").replace("T", " ").replace("Z", ""));
            cell(row, decision.outcome, decision.outcome);
            cell(row, decision.status);
            cell(row, decision.reason);
            cell(row, decision.source);
            cell(row, decision.method + " " + decision.path);
            cell(row, decision.latencyMs + " ms");
            cell(row, decision.caller);
            const td = row.insertCell();
            if (decision.eventId) {
              const link = document.createElement("a");
              link.href = "/console/events/" + encodeURIComponent(decision.eventId);
              link.textContent = decision.eventId;
              td.appendChild(link);
            } else { td.textContent = "–"; }
            while (body.rows.length > 500) { body.deleteRow(body.rows.length - 1); }
          }
          function connect() {
            if (stream) { stream.close(); }
            const query = new URLSearchParams();
            if (source.value) { query.set("source", source.value); }
            if (outcome.value) { query.set("outcome", outcome.value); }
            stream = new EventSource("/console/live/stream?" + query.toString());
            stream.onopen = function () { state.textContent = paused ? "paused" : "live"; };
            stream.onerror = function () { state.textContent = "reconnecting…"; };
            stream.addEventListener("gap", function () { state.textContent = "live (some decisions were missed)"; });
            stream.addEventListener("decision", function (message) {
              const decision = JSON.parse(message.data);
              if (paused) { held.push(decision); state.textContent = "paused, " + held.length + " new"; } else { show(decision); }
            });
          }
          pause.addEventListener("click", function () {
            paused = !paused;
            pause.textContent = paused ? "Resume" : "Pause";
            if (!paused) { held.forEach(show); held = []; }
            state.textContent = paused ? "paused" : "live";
          });
          source.addEventListener("change", connect);
          outcome.addEventListener("change", connect);
          connect();
        })();
        """
}

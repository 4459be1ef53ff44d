"""The admin API v1 against the running binary, on SQLite and PostgreSQL: searching events by conversation and by a
body field, newest first with cursor pages, one event whole; deliveries and dead letters; sources and destinations
with counts, backlog, circuit and last error; replay of one event and bulk replay through a preview's token; the live
decision stream with Last-Event-ID; viewer and operator tokens, audited by name; clear 400/401/403/404 answers; and
schemathesis against the served OpenAPI document (no 5xx, every answer as the document says, auth failures too)."""

import json
import shutil
import subprocess
import threading
import time

import pytest
import requests

from conftest import secret
from test_postgres import BASE_URL, fresh_database

TOKEN = secret("admin-api-source-token")
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
ADMIN_TOKEN = secret("admin-token-it")
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
VIEWER_TOKEN = secret("admin-viewer-token")
VIEWER = {"Authorization": f"Bearer {VIEWER_TOKEN}"}
OPS_TOKEN = secret("admin-ops-token")
OPS = {"Authorization": f"Bearer {OPS_TOKEN}"}
TOKENS = f"[{{name: dashboard, token: {VIEWER_TOKEN}, role: viewer}}, {{name: oncall, token: {OPS_TOKEN}, role: operator}}]"
STORES = ["sqlite"] + (["postgres"] if BASE_URL else [])

SOURCE = f"""
  - name: bot
    path: /bot
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/id
"""


def v1(gateway, path, params=None, headers=ADMIN):
    return requests.get(gateway.admin_url + "/admin/v1" + path, params=params, headers=headers, timeout=30)


def v1_post(gateway, path, params=None, data=None, headers=ADMIN):
    return requests.post(gateway.admin_url + "/admin/v1" + path, params=params, data=data, headers=headers, timeout=30)


def wait_until(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.mark.parametrize("kind", STORES)
def test_dead_letters_destinations_sources_and_a_bulk_replay_through_its_preview(gateway_factory, backend, kind):
    store = "sqlite:./events.db" if kind == "sqlite" else fresh_database()
    gateway = gateway_factory(SOURCE + "    destinations: [crm]\n", f"""destinations:
  - name: crm
    url: {backend.url}
    retry: {{maxAttempts: 1}}
""", store=store, admin_tokens=TOKENS)
    backend.set("status", 410)
    sent = [gateway.post("/bot", json.dumps({"id": f"d-{n}", "sessionId": "s-9"}), AUTH).json()["id"] for n in range(4)]
    assert gateway.post("/bot", "{}", {"Authorization": "Bearer wrong"}).status_code == 401
    wait_until(lambda: len(v1(gateway, "/dead-letters").json()["deliveries"]) == 4)

    pages, cursor = [], None
    while True:
        page = v1(gateway, "/dead-letters", {"limit": 3, **({"cursor": cursor} if cursor else {})}, VIEWER).json()
        pages.append([d["event"] for d in page["deliveries"]])
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert sum(pages, []) == sent[::-1], "newest first, in pages"
    assert v1(gateway, "/deliveries", {"state": "pending"}).json()["deliveries"] == []
    assert len(v1(gateway, "/deliveries", {"destination": "crm", "event": sent[0]}).json()["deliveries"]) == 1

    destination = v1(gateway, "/destinations", headers=VIEWER).json()["destinations"][0]
    assert destination["name"] == "crm" and destination["dead"] == 4 and destination["pending"] == 0
    assert destination["lastError"]["status"] == 410 and destination["circuit"] in ("closed", "open")
    source = v1(gateway, "/sources", headers=VIEWER).json()["sources"][0]
    assert source["lastHour"]["accepted"] == 4 and source["lastHour"]["refusedByReason"] == {"invalid_credentials": 1}
    assert source["lastDay"]["refused"] == 1 and sum(a for a, _ in source["perMinute"]) == 4

    assert v1_post(gateway, "/replays/preview", {"state": "dead"}, headers=VIEWER).status_code == 403
    preview = v1_post(gateway, "/replays/preview", {"state": "dead", "correlationId": "s-9", "onlyDead": "true"}, headers=OPS)
    assert preview.status_code == 200, preview.text
    assert preview.json()["events"] == 0, "the events carry no X-Correlation-Id"
    preview = v1_post(gateway, "/replays/preview", {"state": "dead", "field": "/sessionId", "value": "s-9",
                                                     "onlyDead": "true"}, headers=OPS).json()
    assert preview["events"] == 4 and preview["onlyDead"] is True
    token = preview["token"]
    forged = v1_post(gateway, "/replays", data={"token": token[:-2] + "xx"}, headers=OPS)
    assert forged.status_code == 403 and forged.json()["error"] == "invalid_confirmation"
    backend.set("ok", {})
    replayed = v1_post(gateway, "/replays", data={"token": token}, headers=OPS)
    assert replayed.status_code == 200 and replayed.json() == {"status": "replayed", "events": 4, "queued": 4}
    backend.wait_for(lambda got: len([r for r in got if r.get("answered") == 200]) == 4)
    again = v1_post(gateway, "/replays", data={"token": token}, headers=OPS)
    assert again.status_code == 409 and again.json()["error"] == "search_changed", "nothing is dead any more"

    one = v1_post(gateway, f"/events/{sent[0]}/replay", headers=OPS)
    assert one.status_code == 200 and one.json()["queued"] == 1
    assert v1_post(gateway, "/events/evt_nope/replay", headers=OPS).status_code == 404
    assert v1_post(gateway, f"/events/{sent[0]}/replay", {"destination": "nowhere"}, headers=OPS).status_code == 404
    backend.wait_for(lambda got: len([r for r in got if r.get("answered") == 200]) == 5)

    audit = gateway.audit_lines()
    replays = [line for line in audit if line.get("decision") == "replayed"]
    assert [line.get("by") for line in replays] == ["oncall", "oncall"]
    calls = [line for line in audit if line.get("decision") == "admin_call"]
    assert {line["by"] for line in calls} == {"admin", "dashboard", "oncall"}
    assert any(line["by"] == "dashboard" and line["status"] == 403 for line in calls)
    text = gateway.audit.read_text()
    assert VIEWER_TOKEN not in text and OPS_TOKEN not in text and ADMIN_TOKEN not in text


class Stream:
    """Reads a Server-Sent Events stream on a thread, so the test can send requests while it listens."""

    def __init__(self, url, headers):
        self.events, self.lock = [], threading.Lock()
        self.response = requests.get(url, headers=headers, stream=True, timeout=30)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        event = {}
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                if line == "":
                    if event:
                        with self.lock:
                            self.events.append(event)
                    event = {}
                elif not line.startswith(":") and ":" in line:
                    key, value = line.split(":", 1)
                    event[key] = value.strip()
        except (requests.RequestException, AttributeError):
            pass  # closed by the test: urllib3 drops its file object

    def wait(self, count):
        return wait_until(lambda: len(self.events) >= count and list(self.events))

    def close(self):
        self.response.close()


def test_the_decision_stream_filters_and_resumes_with_last_event_id(gateway_factory):
    gateway = gateway_factory(SOURCE)
    url = gateway.admin_url + "/admin/v1/decisions"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"outcome": "maybe"}, headers=ADMIN, timeout=10).status_code == 400
    everything = Stream(url, ADMIN)
    refused = Stream(url + "?outcome=refused", ADMIN)
    time.sleep(0.3)
    gateway.post("/bot", json.dumps({"id": "ok-1"}), AUTH)
    gateway.post("/bot", json.dumps({"id": "bad"}), {"Authorization": f"Bearer {TOKEN}x"})
    gateway.post("/bot", json.dumps({"id": "ok-2"}), AUTH)
    seen = everything.wait(3)
    decisions = [json.loads(event["data"]) for event in seen if event.get("event") == "decision"]
    assert [d["outcome"] for d in decisions] == ["accepted", "refused", "accepted"]
    assert decisions[1]["reason"] == "invalid_credentials" and decisions[1]["status"] == 401
    assert decisions[0]["source"] == "bot" and decisions[0]["eventId"].startswith("evt_") and decisions[0]["latencyMs"] >= 0
    only_refused = [json.loads(e["data"]) for e in refused.wait(1)]
    assert [d["reason"] for d in only_refused] == ["invalid_credentials"]
    everything.close()
    refused.close()

    gateway.post("/bot", json.dumps({"id": "ok-3"}), AUTH)
    resumed = Stream(url, {**ADMIN, "Last-Event-ID": seen[-1]["id"]})
    missed = resumed.wait(1)
    assert [json.loads(e["data"])["path"] for e in missed if e.get("event") == "decision"] == ["/bot"]
    assert "gap" not in [e.get("event") for e in missed]
    resumed.close()
    stale = Stream(url, {**ADMIN, "Last-Event-ID": "1-1"})
    assert stale.wait(1)[0]["event"] == "gap", "an id from another process is a gap"
    stale.close()
    text = json.dumps(everything.events)
    assert TOKEN not in text and "ok-1" not in text, "no credential and no body in the stream"


def test_events_by_conversation_and_body_field_with_cursor_pages(gateway_factory):
    gateway = gateway_factory(SOURCE)
    sent = []
    for n in range(7):
        body = {"id": f"m-{n}", "sessionId": "s-1" if n % 2 == 0 else "s-2", "payload": [{"type": "text"}]}
        answer = gateway.post("/bot", json.dumps(body), {**AUTH, "X-Correlation-Id": body["sessionId"]})
        assert answer.status_code == 200
        sent.append(answer.json()["id"])
        time.sleep(0.005)

    newest_first = sent[::-1]
    pages, cursor = [], None
    while True:
        page = v1(gateway, "/events", {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        pages.append([event["id"] for event in page["events"]])
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert sum(pages, []) == newest_first and [len(p) for p in pages] == [3, 3, 1]

    assert v1(gateway, "/events", {"limit": 3}).json()["total"] is None, "counting every event is not cheap"
    assert v1(gateway, "/events", {"correlationId": "s-1", "limit": 2}).json()["total"] == 4
    session = v1(gateway, "/events", {"correlationId": "s-1"}).json()["events"]
    assert [event["id"] for event in session] == newest_first[::2][::-1][::-1] == [sent[6], sent[4], sent[2], sent[0]]
    by_field = v1(gateway, "/events", {"field": "/sessionId", "value": "s-2"}).json()["events"]
    assert [event["id"] for event in by_field] == [sent[5], sent[3], sent[1]]
    assert v1(gateway, "/events", {"field": "/payload/0/type", "value": "text", "source": "bot"}).json()["events"][0]["id"] == sent[6]
    assert v1(gateway, "/events", {"idempotencyKey": "m-3"}).json()["events"][0]["id"] == sent[3]
    assert v1(gateway, "/events", {"state": "stored", "since": "2000-01-01T00:00:00Z"}).json()["nextCursor"] is None

    one = v1(gateway, f"/events/{sent[2]}").json()
    assert one["event"]["id"] == sent[2] and json.loads(one["body"])["id"] == "m-2"
    assert one["verification"]["scheme"] == "bearer" and one["deliveries"] == [] and one["attempts"] == []
    assert TOKEN not in json.dumps(one)


def test_clear_refusals(gateway_factory):
    gateway = gateway_factory(SOURCE)
    for params, words in [({"limit": 0}, "limit"), ({"limit": "x"}, "limit"), ({"state": "lost"}, "state"),
                          ({"since": "yesterday"}, "since"), ({"cursor": "nope"}, "cursor"),
                          ({"field": "/a"}, "field and value"), ({"field": "a", "value": "b"}, "JSON pointer")]:
        answer = v1(gateway, "/events", params)
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_request", (params, answer.text)
        assert words in answer.json()["message"], (params, answer.text)
    missing = v1(gateway, "/events/evt_missing")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert v1(gateway, "/events", headers={}).status_code == 401
    assert v1(gateway, "/events", headers={"Authorization": "Bearer wrong"}).status_code == 401
    document = requests.get(gateway.admin_url + "/admin/openapi.json", timeout=10).json()
    assert document["openapi"] == "3.1.0"
    assert {"/admin/v1/events", "/admin/v1/events/{id}", "/admin/v1/replays", "/admin/v1/decisions"} <= set(document["paths"])


@pytest.mark.parametrize("kind", STORES)
def test_a_nul_in_any_parameter_is_a_400_on_either_store(gateway_factory, kind):
    # PostgreSQL refuses a NUL in text outright, so without the guard these were 500s there.
    store = "sqlite:./events.db" if kind == "sqlite" else fresh_database()
    gateway = gateway_factory(SOURCE, store=store)
    sent = gateway.post("/bot", json.dumps({"id": "n-1", "sessionId": "s"}), AUTH).json()["id"]
    asks = [(v1, "/deliveries", {"destination": "crm\0"}), (v1, "/dead-letters", {"event": "evt\0"}),
            (v1, "/events", {"source": "bot\0"}), (v1, "/events/evt%00x", None),
            (v1_post, "/replays/preview", {"destination": "crm\0"}), (v1_post, f"/events/{sent}/replay", {"destination": "\0"}),
            (v1_post, "/events/evt%00/replay", None)]
    for call, path, params in asks:
        answer = call(gateway, path, params)
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_request", (path, params, answer.text)
        assert "NUL" in answer.json()["message"], (path, answer.text)
    assert v1(gateway, "/deliveries", {"destination": "crm\0"}, headers={}).status_code == 401
    assert v1(gateway, f"/events/{sent}").status_code == 200


def test_schemathesis_finds_no_5xx_and_nothing_the_document_does_not_say(gateway_factory, tmp_path):
    gateway = gateway_factory(SOURCE)
    for n in range(3):
        gateway.post("/bot", json.dumps({"id": f"s-{n}", "sessionId": "s"}), AUTH)
    command = [shutil.which("schemathesis") or "schemathesis", "run", gateway.admin_url + "/admin/openapi.json",
               "--url", gateway.admin_url, "--header", f"Authorization: Bearer {ADMIN_TOKEN}",
               "--exclude-path", "/admin/v1/decisions",  # a stream that ends only with the gateway
               "--checks", "all", "--max-examples", "40", "--request-timeout", "10",
               "--report", "junit", "--report-dir", str(tmp_path / "report")]
    result = subprocess.run(command, capture_output=True, timeout=600)
    output = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 0, output[-6000:]
    assert "No issues found" in output or "passed" in output, output[-3000:]

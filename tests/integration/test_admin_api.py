"""The admin API v1 (`/admin/v1/events`, `/admin/v1/events/{id}`) against the running binary: searching by
conversation and by a body field, newest first with cursor pages, one event whole, clear 400/401/404 answers, and
schemathesis against the served OpenAPI document (no 5xx, every answer as the document says, auth failures too)."""

import json
import shutil
import subprocess
import time

import requests

from conftest import secret

TOKEN = secret("admin-api-source-token")
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
ADMIN_TOKEN = secret("admin-token-it")
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}

SOURCE = f"""
  - name: bot
    path: /bot
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/id
"""


def v1(gateway, path, params=None, headers=ADMIN):
    return requests.get(gateway.admin_url + "/admin/v1" + path, params=params, headers=headers, timeout=30)


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
    assert document["openapi"] == "3.1.0" and set(document["paths"]) == {"/admin/v1/events", "/admin/v1/events/{id}"}


def test_schemathesis_finds_no_5xx_and_nothing_the_document_does_not_say(gateway_factory, tmp_path):
    gateway = gateway_factory(SOURCE)
    for n in range(3):
        gateway.post("/bot", json.dumps({"id": f"s-{n}", "sessionId": "s"}), AUTH)
    command = [shutil.which("schemathesis") or "schemathesis", "run", gateway.admin_url + "/admin/openapi.json",
               "--url", gateway.admin_url, "--header", f"Authorization: Bearer {ADMIN_TOKEN}",
               "--checks", "all", "--max-examples", "60", "--request-timeout", "10",
               "--report", "junit", "--report-dir", str(tmp_path / "report")]
    result = subprocess.run(command, capture_output=True, timeout=600)
    output = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 0, output[-6000:]
    assert "No issues found" in output or "passed" in output, output[-3000:]

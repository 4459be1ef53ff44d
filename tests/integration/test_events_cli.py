"""`postern events list` with its filters (time, state, correlation id, idempotency key, a body field, newest first) and
`postern events show ID` (headers, body, verification, deliveries and attempts), on SQLite and on PostgreSQL:
"where did session X's message go?" answered from the command line."""

import json
import time

import pytest

from conftest import postern, secret
from test_postgres import BASE_URL, fresh_database

TOKEN = secret("events-cli-token")
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
STORES = ["sqlite"] + (["postgres"] if BASE_URL else [])


def cognigy_like(destinations):
    # Keyed by the body's id, correlated by the X-Correlation-Id header (the conversation's session).
    return f"""
  - name: bot
    path: /bot
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/id
    destinations: {destinations}
"""


def events(gateway, *args):
    result = postern("events", "list", "--config", str(gateway.config), "--json", *args)
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


@pytest.mark.parametrize("kind", STORES)
def test_where_did_session_xs_message_go(gateway_factory, backend, tmp_path, kind):
    store = "sqlite:./events.db" if kind == "sqlite" else fresh_database()
    gateway = gateway_factory(cognigy_like("[crm]"), f"""destinations:
  - name: crm
    url: {backend.url}
    retry: {{maxAttempts: 1}}
""", store=store)

    def send(key, session):
        answer = gateway.post("/bot", json.dumps({"id": key, "text": "hello"}), {**AUTH, "X-Correlation-Id": session})
        assert answer.status_code == 200
        time.sleep(0.01)
        return answer.json()["id"]

    def settled():
        deadline = time.monotonic() + 20
        while events(gateway, "--state", "pending") and time.monotonic() < deadline:
            time.sleep(0.1)

    backend.set("status", 400)  # the first message's delivery is refused, and dead-lettered at once
    sent = [send("dead", "s-2")]
    settled()
    backend.set("ok", {})
    sent += [send("a", "s-1"), send("b", "s-1"), send("c", "s-3")]
    settled()

    assert [e["id"] for e in events(gateway)] == sent
    assert [e["id"] for e in events(gateway, "--newest", "--limit", "2")] == [sent[3], sent[2]]
    session = events(gateway, "--correlation-id", "s-1")
    assert [e["id"] for e in session] == [sent[1], sent[2]] and {e["correlationId"] for e in session} == {"s-1"}
    assert [e["id"] for e in events(gateway, "--state", "dead")] == [sent[0]]
    assert [e["id"] for e in events(gateway, "--state", "delivered")] == sent[1:]
    assert [e["id"] for e in events(gateway, "--idempotency-key", "c")] == [sent[3]]
    assert len(events(gateway, "--since", "10m")) == 4 and events(gateway, "--until", "10m") == []
    assert events(gateway, "--since", "2000-01-01T00:00:00Z", "--source", "bot", "--limit", "1")[0]["id"] == sent[0]
    assert events(gateway, "--state", "stored") == []
    # A body field, by JSON pointer: the last day unless --since says otherwise.
    assert [e["id"] for e in events(gateway, "--where", "/id=b")] == [sent[2]]
    assert [e["id"] for e in events(gateway, "--where", "/text=hello", "--since", "1h", "--newest")] == sent[::-1]
    assert events(gateway, "--where", "/text=goodbye") == []
    narrowed = postern("events", "list", "--config", str(gateway.config), "--where", "/id=b")
    assert "searching bodies of the last day" in narrowed.stderr.decode()

    shown = postern("events", "show", sent[0], "--config", str(gateway.config), "--json")
    assert shown.returncode == 0, shown.stderr.decode()
    detail = json.loads(shown.stdout)
    assert detail["event"]["id"] == sent[0] and detail["event"]["correlationId"] == "s-2"
    assert json.loads(detail["body"]) == {"id": "dead", "text": "hello"}
    assert ["X-Correlation-Id", "s-2"] in detail["headers"] or ["x-correlation-id", "s-2"] in detail["headers"]
    assert detail["verification"]["scheme"] == "bearer" and detail["verification"]["secretIndex"] == 0
    assert [(d["destination"], d["state"]) for d in detail["deliveries"]] == [("crm", "dead")]
    assert [a["status"] for a in detail["attempts"]] == [400]
    assert TOKEN not in shown.stdout.decode()  # never the credential

    text = postern("events", "show", sent[0], "--config", str(gateway.config)).stdout.decode()
    assert f"event       {sent[0]}" in text and "verified    bearer, secret 0" in text
    assert '"text" : "hello"' in text or '"text": "hello"' in text
    assert "→ crm  dead  attempts 1" in text and "  400  " in text


def test_events_show_and_list_refuse_what_is_not_there(gateway_factory):
    gateway = gateway_factory(cognigy_like("[]"))
    missing = postern("events", "show", "evt_nope", "--config", str(gateway.config))
    assert missing.returncode == 1 and "no event has the id evt_nope" in missing.stderr.decode()
    bad = postern("events", "list", "--config", str(gateway.config), "--since", "yesterday")
    assert bad.returncode == 64 and "--since" in bad.stderr.decode()
    state = postern("events", "list", "--config", str(gateway.config), "--state", "lost")
    assert state.returncode == 64 and "'stored', 'pending', 'delivered'" in state.stderr.decode()


def test_where_needs_a_pointer_and_a_value(gateway_factory):
    gateway = gateway_factory(cognigy_like("[]"))
    bad = postern("events", "list", "--config", str(gateway.config), "--where", "sessionId=abc")
    assert bad.returncode == 64 and "--where" in bad.stderr.decode()

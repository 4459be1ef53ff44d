"""Alerts against the real binary with local sinks: dead letters above N in a window, a circuit that opens, refusals
by reason above a rate, the oldest pending delivery older than T, and a Genesys OAuth failure — each fires once per
episode and once more when it resolves, with no flood; notices go to a generic webhook, a Slack-compatible and a
Teams-compatible sink, are durable and retried (the webhook sink fails the first), never alert about themselves,
and each has a metric and an audit line."""

import json
import signal
import time

import pytest
import requests

from backend import Backend, Sink
from conftest import orders_source, postern, secret
from fake_genesys import CLIENT_ID, CLIENT_SECRET, FakeGenesys
from test_postgres import BASE_URL, fresh_database

TOKEN = secret("alerts-bearer-token")
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


def episodes(notices, alert):
    return [(n["state"], n.get("destination") or n.get("source")) for n in notices if n["alert"] == alert]


def config(crm, genesys, sink, chat, room, client_secret):
    return f"""destinations:
  - name: crm
    url: {crm.url}
    circuit: {{failureThreshold: 2, cooldown: 1}}
    retry: {{maxAttempts: 20, minDelay: 0.1, maxDelay: 0.2}}
  - name: genesys
    type: genesys
    apiBase: {genesys.api_base}
    loginBase: {genesys.login_base}
    clientId: {CLIENT_ID}
    clientSecret: {client_secret}
    integrationId: integration-1
    retry: {{minDelay: 0.2, maxDelay: 0.4}}
alerts:
  evaluateEvery: 0.2
  targets:
    - {{name: pager, type: webhook, url: "{sink.url}"}}
    - {{name: chat, type: slack, url: "{chat.url}"}}
    - {{name: room, type: teams, url: "{room.url}"}}
  rules:
    - {{name: crm-dead, deadLetters: {{above: 2, within: 2}}, destination: crm, notify: [pager, chat]}}
    - {{name: crm-circuit, circuitOpen: true, destination: crm, notify: [pager, room]}}
    - {{name: bad-tokens, refusals: {{reason: invalid_credentials, above: 3, within: 2}}, source: orders, notify: [pager]}}
    - {{name: backlog, oldestPending: {{olderThan: 1.5}}, notify: [pager]}}
    - {{name: genesys-login, genesysAuth: true, notify: [pager]}}
    - {{name: any-circuit, circuitOpen: true, notify: [pager]}}
"""


def sources():
    return orders_source(TOKEN, "[crm]") + f"""
  - name: chat
    path: /chat
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/messageId
    destinations: [genesys]
"""


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_each_alert_fires_once_per_episode_and_once_when_it_resolves(gateway_factory, tmp_path, store):
    if store == "postgres" and not BASE_URL:
        pytest.skip("scripts/test starts PostgreSQL and sets POSTERN_TEST_POSTGRES_URL")
    crm, genesys = Backend(), FakeGenesys()
    sink, chat, room = Sink(failing=1), Sink(), Sink()
    try:
        gateway = gateway_factory(sources(), config(crm, genesys, sink, chat, room, "a-rotated-secret"),
                                  store=fresh_database() if store == "postgres" else "sqlite:./events.db")

        # Dead letters: four refused with a 4xx within the window, then the window passes.
        crm.set("status", 400)
        for n in range(4):
            assert gateway.post("/orders", json.dumps({"id": f"bad-{n}"}), HEADERS).status_code == 200
        sink.wait_for(lambda got: episodes(got, "crm-dead") == [("firing", "crm"), ("resolved", "crm")])

        # A circuit that opens: outage-like failures, then the backend is back and the probe closes it. The backlog
        # grows older than 1.5 s meanwhile and drains once the circuit closes.
        crm.set("status", 503)
        for n in range(3):
            assert gateway.post("/orders", json.dumps({"id": f"down-{n}"}), HEADERS).status_code == 200
        sink.wait_for(lambda got: ("firing", "crm") in episodes(got, "crm-circuit"))
        sink.wait_for(lambda got: ("firing", "crm") in episodes(got, "backlog"))
        crm.set("ok", {"ok": True})
        sink.wait_for(lambda got: episodes(got, "crm-circuit") == [("firing", "crm"), ("resolved", "crm")]
                      and episodes(got, "backlog") == [("firing", "crm"), ("resolved", "crm")])

        # Refusals by reason: a secret rotated on one side only.
        for n in range(5):
            wrong = {**HEADERS, "Authorization": "Bearer not-the-token"}
            assert gateway.post("/orders", json.dumps({"id": f"refused-{n}"}), wrong).status_code == 401
        sink.wait_for(lambda got: episodes(got, "bad-tokens") == [("firing", "orders"), ("resolved", "orders")])

        # A Genesys OAuth failure: the client secret is wrong until the configuration is fixed and reloaded, and the
        # message refused meanwhile is replayed.
        answer = gateway.post("/chat", json.dumps({"messageId": "m-1", "userId": "u-1", "text": "hello"}), HEADERS)
        assert answer.status_code == 200
        sink.wait_for(lambda got: ("firing", "genesys") in episodes(got, "genesys-login"))
        gateway.config.write_text(gateway.config.read_text().replace("a-rotated-secret", CLIENT_SECRET))
        gateway.process.send_signal(signal.SIGHUP)
        time.sleep(1)
        replayed = postern("replay", "--config", str(gateway.config), "--event", answer.json()["id"])
        assert replayed.returncode == 0, replayed.stderr.decode()
        sink.wait_for(lambda got: episodes(got, "genesys-login") == [("firing", "genesys"), ("resolved", "genesys")])
        genesys_messages = [m for m in genesys.messages if m[1].get("text") == "hello"]
        assert len(genesys_messages) == 1, "delivered once the secret was right"

        time.sleep(1)  # no flood: nothing more comes for the episodes that ended
        notices = sink.received()
        assert episodes(notices, "crm-dead") == [("firing", "crm"), ("resolved", "crm")]
        assert episodes(notices, "crm-circuit") == [("firing", "crm"), ("resolved", "crm")]
        assert episodes(notices, "any-circuit") == [("firing", "crm"), ("resolved", "crm")], \
            "every destination is watched, but the alert targets never: the pager's own 503 raised nothing"
        assert all(not (n.get("destination") or "").startswith("alert:") for n in notices)
        firing = next(n for n in notices if n["alert"] == "crm-dead" and n["state"] == "firing")
        assert "dead letters to crm" in firing["detail"] and firing["condition"] == "deadLetters" and firing["title"].startswith("FIRING")

        slack = chat.received()
        assert [s["text"] for s in slack][:1] and all(set(s) == {"text"} for s in slack) and len(slack) == 2
        teams = room.received()
        assert len(teams) == 2 and teams[0]["type"] == "message"
        card = teams[0]["attachments"][0]
        assert card["contentType"] == "application/vnd.microsoft.card.adaptive" and card["content"]["type"] == "AdaptiveCard"
        assert card["content"]["body"][0]["text"].startswith("FIRING: crm-circuit")

        metrics = requests.get(gateway.admin_url + "/metrics", timeout=5).text
        assert 'postern_alerts_total{rule="crm-dead",state="firing"} 1' in metrics
        assert 'postern_alerts_total{rule="crm-dead",state="resolved"} 1' in metrics
        assert 'postern_alert_firing{rule="crm-circuit",subject="crm"} 0' in metrics
        audited = [line for line in gateway.audit_lines() if line.get("decision", "").startswith("alert_")]
        assert sorted(line["decision"] for line in audited).count("alert_firing") == len([n for n in notices if n["state"] == "firing"])
        assert any(line["decision"] == "alert_resolved" and line.get("source") == "orders" for line in audited)
    finally:
        for server in (crm, genesys, sink, chat, room):
            server.close()

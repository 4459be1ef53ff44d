"""Delivery from the outbox, against the real binary: a crash between the 200 and the delivery, signed deliveries
checked by the standardwebhooks library, dead letters and replay from the command line and the admin API,
synchronous fulfillment, and the delivery metrics."""

import base64
import hashlib
import hmac
import json
import os
import signal
import time
import uuid

import pytest
import requests
import standardwebhooks

from backend import Backend
from conftest import free_port, orders_source, postern, secret
from test_postgres import BASE_URL, fresh_database

TOKEN = secret("delivery-bearer-token")
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


def sources(destinations="[backend]"):
    return orders_source(TOKEN, destinations)


def destination(url, extra=""):
    return f"""destinations:
  - name: backend
    url: {url}
    timeout: 5
    retry: {{minDelay: 0.2, maxDelay: 1}}
{extra}"""


def send(gateway, event_id, **fields):
    response = gateway.post("/orders", json.dumps({"id": event_id, **fields}), HEADERS)
    assert response.status_code == 200, response.text
    return response.json()["id"]


def deliveries(gateway, *args):
    result = postern("deliveries", "list", "--config", str(gateway.config), "--json", *args)
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.decode().splitlines() if line.strip()]


def test_an_event_acknowledged_before_a_crash_is_delivered_once_after_restart(gateway_factory, backend):
    backend.set("hang", 30)
    gateway = gateway_factory(sources(), destination(backend.url).replace("timeout: 5", "timeout: 60"))
    event = send(gateway, "crash-1", text="kept")
    backend.wait_for(lambda seen: len(seen) == 1)
    gateway.stop(signal.SIGKILL)

    backend.set("ok", {"ok": True})
    gateway.start()
    backend.wait_for(lambda seen: any(r.get("answered") == 200 for r in seen[1:]))
    time.sleep(1)
    seen = backend.received()
    assert {r["headers"]["idempotency-key"] for r in seen} == {event}, "every attempt carries the event id"
    assert all(r["body"] == b'{"id": "crash-1", "text": "kept"}' for r in seen)
    delivered = [r for r in seen[1:] if r.get("answered") == 200]
    assert len(delivered) == 1
    assert [(d["state"], d["event"]) for d in deliveries(gateway)] == [("delivered", event)]


def test_signed_deliveries_verify_with_the_standardwebhooks_library(gateway_factory):
    signing = secret("whsec_" + base64.b64encode(os.urandom(32)).decode())

    def verify(body, headers):
        try:
            standardwebhooks.Webhook(signing).verify(body, headers)
            return True
        except standardwebhooks.WebhookVerificationError:
            return False

    backend = Backend(verify=verify)
    try:
        gateway = gateway_factory(sources(), destination(backend.url, f"    signing: {{secret: {signing}}}\n"))
        event = send(gateway, "signed-1")
        seen = backend.wait_for(lambda seen: len(seen) == 1)
        assert seen[0]["verified"] is True
        assert seen[0]["headers"]["webhook-id"] == event
        assert seen[0]["headers"]["webhook-signature"].startswith("v1,")
    finally:
        backend.close()


def test_dead_letters_are_listed_and_replayed_from_the_command_line_and_the_admin_api(gateway_factory, backend):
    backend.set("status", 410)
    gateway = gateway_factory(sources(), destination(backend.url))
    first = send(gateway, "dead-1")
    second = send(gateway, "dead-2")
    backend.wait_for(lambda seen: len(seen) == 2)
    deadline = time.monotonic() + 10
    while len(dead := deliveries(gateway, "--state", "dead")) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert {d["event"] for d in dead} == {first, second}
    assert set(dead[0]) == {"event", "source", "destination", "state", "attempts", "lastStatus", "lastError", "nextAttemptAt", "orderingKey", "holdsKey"}
    assert (dead[0]["source"], dead[0]["destination"], dead[0]["attempts"], dead[0]["lastStatus"], dead[0]["nextAttemptAt"]) \
        == ("orders", "backend", 1, 410, None)
    assert "test backend says no" in dead[0]["lastError"]

    backend.set("ok", {"ok": True})
    result = postern("replay", "--config", str(gateway.config), "--event", first)
    assert result.returncode == 0, result.stderr.decode()
    assert b"queued 1 delivery\n" in result.stdout
    seen = backend.wait_for(lambda seen: any(r.get("answered") == 200 for r in seen))
    assert [r["headers"]["idempotency-key"] for r in seen if r.get("answered") == 200] == [first]

    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
    answer = requests.post(gateway.admin_url + "/admin/replay", json={"source": "orders", "since": since},
                           headers={"Authorization": "Bearer admin-token-it"}, timeout=10)
    assert answer.status_code == 200 and answer.json()["queued"] == 2
    backend.wait_for(lambda seen: sum(r.get("answered") == 200 for r in seen) == 3)
    deadline = time.monotonic() + 10
    while len(deliveries(gateway, "--state", "delivered")) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert {d["event"] for d in deliveries(gateway, "--state", "delivered")} == {first, second}

    attempts = postern("deliveries", "attempts", "--config", str(gateway.config), "--event", first, "--json")
    statuses = [json.loads(line)["status"] for line in attempts.stdout.decode().splitlines()]
    assert statuses == [410, 200, 200]

    decisions = [line["decision"] for line in gateway.audit_lines() if line.get("decision") in ("dead_lettered", "replayed")]
    assert decisions.count("dead_lettered") == 2 and decisions.count("replayed") == 2

    refused = requests.post(gateway.admin_url + "/admin/replay", json={"source": "orders"},
                            headers={"Authorization": "Bearer admin-token-it"}, timeout=10)
    assert refused.status_code == 400 and "--since" in refused.json()["message"]
    unknown = postern("replay", "--config", str(gateway.config), "--event", first, "--destination", "nowhere")
    assert unknown.returncode == 2 and b"no destination is named" in unknown.stderr


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_a_destination_rate_limit_paces_a_backlog_at_its_rate(gateway_factory, backend, store):
    if store == "postgres" and not BASE_URL:
        pytest.skip("scripts/test starts PostgreSQL and sets POSTERN_TEST_POSTGRES_URL")
    # 5 per second, one at a time: 14 events take about 13 / 5 = 2.6 s, where polling alone (every 0.5 s) would
    # start one per poll and take 6.5 s, and no pace would deliver them all at once.
    gateway = gateway_factory(sources(), destination(backend.url, "    concurrency: 8\n    rateLimit: {perSecond: 5, burst: 1}\n"),
                              store=fresh_database() if store == "postgres" else "sqlite:./events.db")
    for index in range(14):
        send(gateway, f"paced-{index}")
    seen = backend.wait_for(lambda seen: len(seen) == 14, timeout=20)
    times = sorted(r["at"] for r in seen)
    # Arrival times, not start times: one late arrival can land next to the one after it, so the pace is checked
    # over windows of a second (5 per second, plus the burst and one late arrival) rather than gap by gap.
    busiest = max(sum(1 for t in times if start <= t < start + 1) for start in times)
    assert busiest <= 7, f"{busiest} deliveries within one second, at 5 per second: {times}"
    assert 2.3 < times[-1] - times[0] < 4.5, f"14 deliveries over {times[-1] - times[0]:.2f} s, not about 2.6 s"
    assert all(d["state"] == "delivered" for d in deliveries(gateway))


def test_a_destination_rate_limit_is_checked_by_key_path(tmp_path):
    config = tmp_path / "postern.yaml"
    http = destination("http://127.0.0.1:9/hook", "    rateLimit: {burst: 3}\n")
    config.write_text(f"""listen: 127.0.0.1:{free_port()}
store: sqlite:./events.db
{http}
  - name: genesys
    type: genesys
    region: mypurecloud.com
    clientId: a
    clientSecret: b
    integrationId: c
    requestsPerMinute: 120
    rateLimit: {{perSecond: 2}}
sources:
{sources("[backend, genesys]")}""")
    result = postern("check", "--config", str(config))
    assert result.returncode != 0
    problems = result.stderr.decode() + result.stdout.decode()
    assert "destinations[0].rateLimit.perSecond: is required" in problems, problems
    assert "destinations[1].rateLimit: give requestsPerMinute or rateLimit, not both" in problems, problems


def test_metrics_count_attempts_and_show_the_queue(gateway_factory, backend):
    backend.set("status", 503)
    gateway = gateway_factory(sources(), destination(backend.url, "    circuit: {failureThreshold: 2, cooldown: 60}\n"))
    for index in range(3):
        send(gateway, f"metrics-{index}")
    backend.wait_for(lambda seen: len(seen) >= 2)
    time.sleep(0.5)
    metrics = requests.get(gateway.admin_url + "/metrics", timeout=5).text
    assert 'postern_delivery_attempts_total{destination="backend",outcome="retry"}' in metrics
    assert 'postern_delivery_circuit_state{destination="backend"} 2' in metrics
    assert 'postern_delivery_queue_depth{destination="backend",state="pending"} 3' in metrics
    assert "postern_delivery_duration_seconds_bucket" in metrics


FULFILLMENT_SECRET = secret("delivery-fulfillment-secret")
SYNC_TOKEN = secret("external-sync-token")


def fulfillment_sources():
    return f"""
  - name: bot
    path: /fulfillment
    mode: fulfillment
    verify: {{preset: cognigy-fulfillment, secrets: [{FULFILLMENT_SECRET}]}}
    schema: cognigy-fulfillment-request
    destinations: [upstream, sync]
    respond:
      upstream: upstream
      timeout: 1
      fallback: [{{type: text, value: "One moment please."}}]
"""


def fulfillment_destinations(upstream_url, sync_url):
    return f"""destinations:
  - name: upstream
    url: {upstream_url}
  - name: sync
    url: {sync_url}
    headers: {{Authorization: "Bearer {SYNC_TOKEN}"}}
"""


def fulfil(gateway, request_id):
    body = json.dumps({"requestId": request_id, "userId": "u1", "sessionId": "s1",
                       "payload": [{"type": "text", "value": "hi"}], "context": {"step": 3}})
    signature = base64.b64encode(hmac.new(FULFILLMENT_SECRET.encode(), body.encode(), hashlib.sha256).digest()).decode()
    started = time.monotonic()
    response = gateway.post("/fulfillment", body, {"X-Cognigy-Signature": signature,
                                                   "X-Cognigy-Timestamp": str(int(time.time()))})
    return response, time.monotonic() - started


FALLBACK = {"payload": [{"type": "text", "value": "One moment please."}], "context": {"step": 3}}


@pytest.mark.parametrize("upstream_state", ["fast", "slow", "down"])
def test_fulfillment_answers_from_the_upstream_or_the_fallback(gateway_factory, upstream_state):
    upstream, sync = Backend(), Backend()
    try:
        answer = {"requestId": "from-upstream", "payload": [{"type": "text", "value": "Your order ships today."}]}
        upstream.set("ok", answer)
        if upstream_state == "slow":
            upstream.set("hang", 3)
        url = upstream.url if upstream_state != "down" else f"http://127.0.0.1:{free_port()}/hook"
        gateway = gateway_factory(fulfillment_sources(), fulfillment_destinations(url, sync.url))
        request_id = f"req-{uuid.uuid4().hex}"
        response, elapsed = fulfil(gateway, request_id)
        assert response.status_code == 200
        if upstream_state == "fast":
            assert response.json() == answer
        else:
            assert response.json() == {"requestId": request_id, **FALLBACK}
            assert elapsed < 2.5, f"the fallback must come within respond.timeout, took {elapsed:.2f} s"
        synced = sync.wait_for(lambda seen: len(seen) == 1)[0]
        assert synced["headers"]["authorization"] == f"Bearer {SYNC_TOKEN}"
        assert synced["headers"]["idempotency-key"] == gateway.events()[0]["id"]
        assert json.loads(synced["body"])["requestId"] == request_id
        answer_line = [line for line in gateway.audit_lines() if line.get("source") == "bot"][-1]["answer"]
        expected = {"fast": "upstream", "slow": "fallback: upstream timed out", "down": "fallback: upstream connection failed"}
        assert answer_line.startswith(expected[upstream_state]), answer_line
    finally:
        upstream.close()
        sync.close()


def test_a_repeated_fulfillment_request_id_is_a_conflict(gateway_factory):
    upstream, sync = Backend(), Backend()
    try:
        gateway = gateway_factory(fulfillment_sources(), fulfillment_destinations(upstream.url, sync.url))
        first, _ = fulfil(gateway, "req-repeated")
        again, _ = fulfil(gateway, "req-repeated")
        assert first.status_code == 200
        assert again.status_code == 409 and again.json()["status"] == "duplicate"
        time.sleep(0.5)
        assert len(upstream.received()) == 1 and len(sync.received()) == 1
    finally:
        upstream.close()
        sync.close()

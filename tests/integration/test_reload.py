"""Reloading the configuration without a restart (SIGHUP and POST /admin/reload): a secret rotated under keep-alive
signed load with no failed request, sources added and removed, a bad file refused whole while the old configuration
serves on, what only a restart can change named instead of half applied, a request in flight finishing under the
configuration it started with, and every reload in the metrics, the audit log and /readyz."""

import hashlib
import hmac
import json
import signal
import sqlite3
import threading
import time
import uuid

import requests

from conftest import secret

OLD = secret("reload-old-secret")
NEW = secret("reload-new-secret")
ADMIN = {"Authorization": f"Bearer {secret('admin-token-it')}"}


def github_source(name, path, secrets):
    return f"""
  - name: {name}
    path: {path}
    verify: {{preset: github, secrets: [{', '.join(secrets)}]}}
"""


def signed(key, body):
    """GitHub's headers for `body`, signed with `key`, with a fresh delivery id."""
    digest = hmac.new(key.encode(), body.encode(), hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "X-GitHub-Delivery": str(uuid.uuid4()),
            "Content-Type": "application/json"}


def rewrite(gateway, sources_yaml):
    """Replaces the sources of the gateway's file; returns the new file's SHA-256."""
    text = gateway.config.read_text()
    text = text[: text.index("sources:\n")] + "sources:\n" + sources_yaml
    gateway.config.write_text(text)
    return hashlib.sha256(text.encode()).hexdigest()


def loaded(gateway):
    return requests.get(gateway.admin_url + "/readyz", timeout=10).json().get("configSHA256")


def wait_loaded(gateway, sha256):
    deadline = time.monotonic() + 20
    while loaded(gateway) != sha256:
        assert time.monotonic() < deadline, "the reload did not take effect"
        time.sleep(0.02)


def reload(gateway):
    return requests.post(gateway.admin_url + "/admin/reload", headers=ADMIN, timeout=30)


def metric(gateway, name):
    text = requests.get(gateway.admin_url + "/metrics", timeout=10).text
    return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(name))


def test_a_secret_rotates_under_keep_alive_load_without_a_failed_request(gateway_factory):
    gateway = gateway_factory(github_source("crm", "/crm", [OLD]))
    assert loaded(gateway) == hashlib.sha256(gateway.config.read_bytes()).hexdigest()
    key = {"current": OLD}
    answers = []
    stop = threading.Event()

    def load():
        session = requests.Session()  # keep-alive: the connections outlive every reload
        while not stop.is_set():
            body = json.dumps({"n": len(answers)})
            answers.append(session.post(gateway.url + "/crm", data=body, headers=signed(key["current"], body), timeout=30).status_code)

    workers = [threading.Thread(target=load) for _ in range(4)]
    for worker in workers:
        worker.start()
    time.sleep(1)
    # Add the new secret (SIGHUP), move the senders to it, then remove the old one (the admin API).
    both = rewrite(gateway, github_source("crm", "/crm", [OLD, NEW]))
    gateway.process.send_signal(signal.SIGHUP)
    wait_loaded(gateway, both)
    time.sleep(0.5)
    key["current"] = NEW
    time.sleep(0.5)
    only_new = rewrite(gateway, github_source("crm", "/crm", [NEW]))
    answer = reload(gateway)
    assert answer.status_code == 200 and answer.json()["status"] == "reloaded", answer.text
    assert answer.json()["configSHA256"] == only_new and loaded(gateway) == only_new
    time.sleep(1)
    stop.set()
    for worker in workers:
        worker.join()

    assert len(answers) > 100 and set(answers) == {200}, {code: answers.count(code) for code in set(answers)}
    body = '{"n": "old"}'
    refused = gateway.post("/crm", body, signed(OLD, body))
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_signature"
    assert metric(gateway, 'postern_config_reloads_total{result="reloaded"}') == 2
    reloads = [line for line in gateway.audit_lines() if line.get("decision") == "config_reload"]
    assert [(line["cause"], line["result"], line["configSHA256"]) for line in reloads] == [
        ("SIGHUP", "reloaded", both), ("POST /admin/reload", "reloaded", only_new)]
    # The audit line names the file's hash, never a secret.
    assert all(OLD not in json.dumps(line) and NEW not in json.dumps(line) for line in reloads)


def test_sources_are_added_and_removed(gateway_factory):
    gateway = gateway_factory(github_source("crm", "/crm", [OLD]))
    rewrite(gateway, github_source("crm", "/crm", [OLD]) + github_source("billing", "/billing", [NEW]))
    assert reload(gateway).status_code == 200
    body = '{"invoice": 1}'
    assert gateway.post("/billing", body, signed(NEW, body)).status_code == 200
    rewrite(gateway, github_source("billing", "/billing", [NEW]))
    assert reload(gateway).json()["status"] == "reloaded"
    gone = gateway.post("/crm", body, signed(OLD, body))
    assert gone.status_code == 404 and gone.json()["error"] == "unknown_source"
    assert {event["source"] for event in gateway.events()} == {"billing"}
    # The admin API sees the sources now configured.
    summary = requests.get(gateway.admin_url + "/admin/audit/summary", headers=ADMIN, timeout=10).json()
    assert "billing" in json.dumps(summary) and '"crm"' not in json.dumps(summary["sources"] if "sources" in summary else summary)


def test_a_bad_configuration_is_refused_whole_and_the_old_one_serves_on(gateway_factory):
    gateway = gateway_factory(github_source("crm", "/crm", [OLD]))
    running = loaded(gateway)
    # One good change and one bad: nothing of it is applied.
    rewrite(gateway, github_source("crm", "/crm", [NEW]) + """
  - name: broken
    path: /broken
    verify: {preset: no-such-preset, secrets: [x]}
""")
    answer = reload(gateway)
    assert answer.status_code == 422, answer.text
    assert answer.json()["status"] == "refused"
    assert [problem["path"] for problem in answer.json()["problems"]] == ["sources[1].verify.preset"]
    assert loaded(gateway) == running
    body = '{"still": "old"}'
    assert gateway.post("/crm", body, signed(OLD, body)).status_code == 200
    assert gateway.post("/crm", body, signed(NEW, body)).status_code == 401
    gateway.process.send_signal(signal.SIGHUP)  # the same through SIGHUP: logged, and the process serves on
    time.sleep(0.5)
    assert gateway.process.poll() is None and gateway.post("/crm", body, signed(OLD, body)).status_code == 200
    assert metric(gateway, 'postern_config_reloads_total{result="refused"}') == 2
    assert "sources[1].verify.preset" in gateway.log.read_text()
    refusals = [line for line in gateway.audit_lines() if line.get("decision") == "config_reload"]
    assert [line["result"] for line in refusals] == ["refused", "refused"]
    assert refusals[0]["problems"][0]["path"] == "sources[1].verify.preset"


def test_what_needs_a_restart_is_named_and_the_rest_applied(gateway_factory, tmp_path):
    gateway = gateway_factory(github_source("crm", "/crm", [OLD]))
    text = gateway.config.read_text().replace("store: sqlite:./events.db", "store: sqlite:./elsewhere.db")
    text = text.replace(f"listen: 127.0.0.1:{gateway.port}", "listen: 127.0.0.1:1")
    gateway.config.write_text(text + github_source("billing", "/billing", [NEW]))
    answer = reload(gateway).json()
    assert answer["status"] == "reloaded" and answer["needsRestart"] == ["listen", "store"], answer
    body = '{"n": 1}'
    assert gateway.post("/billing", body, signed(NEW, body)).status_code == 200  # on the old listener, the old store
    assert not (tmp_path / "elsewhere.db").exists()
    assert sqlite3.connect(tmp_path / "events.db").execute("SELECT source FROM events").fetchall() == [("billing",)]


def test_a_request_in_flight_finishes_under_the_configuration_it_started_with(gateway_factory):
    gateway = gateway_factory(github_source("crm", "/crm", [OLD]))
    body = json.dumps({"slow": "x" * 2000})
    headers = signed(OLD, body)
    sent = threading.Event()

    def slowly():
        yield body[:1000].encode()
        sent.set()
        time.sleep(1.5)  # the reload below lands meanwhile
        yield body[1000:].encode()

    result = {}
    worker = threading.Thread(target=lambda: result.update(answer=requests.post(
        gateway.url + "/crm", data=slowly(), headers=headers, timeout=30)))
    worker.start()
    assert sent.wait(10)
    time.sleep(0.2)
    rewrite(gateway, github_source("crm", "/crm", [NEW]))
    assert reload(gateway).json()["status"] == "reloaded"
    worker.join()
    assert result["answer"].status_code == 200, result["answer"].text
    later = gateway.post("/crm", body, signed(OLD, body))
    assert later.status_code == 401


def test_destinations_and_rate_limits_change_on_reload(gateway_factory, tmp_path):
    from backend import Backend

    first, second = Backend(), Backend()
    try:
        def config(url, per_second):
            return f"""
  - name: crm
    path: /crm
    verify: {{preset: github, secrets: [{OLD}]}}
    destinations: [backend]
    rateLimit: {{perSecond: {per_second}, burst: {per_second}}}
destinations:
  - name: backend
    url: {url}/events
"""
        gateway = gateway_factory(config(first.url, 1000))
        body = '{"n": 1}'
        assert gateway.post("/crm", body, signed(OLD, body)).status_code == 200
        deadline = time.monotonic() + 10
        while not first.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(first.requests) == 1
        # The destination moves to another URL, and the source's rate limit tightens to one request a second.
        rewrite(gateway, config(second.url, 1))
        assert reload(gateway).json()["status"] == "reloaded"
        bodies = [json.dumps({"n": n}) for n in range(2, 5)]  # GitHub deliveries are keyed by their signature
        codes = [gateway.post("/crm", later, signed(OLD, later)).status_code for later in bodies]
        assert codes[0] == 200 and 429 in codes[1:], codes
        deadline = time.monotonic() + 10
        while not second.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(second.requests) == 1 and len(first.requests) == 1
    finally:
        first.close()
        second.close()

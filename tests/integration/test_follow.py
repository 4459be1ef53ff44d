"""`postern tail` and `postern forward` against the running binary: the live decision stream in a terminal, and a
developer's machine following a gateway's accepted events into a local service — exactly once and in order, across
a gateway killed and restarted and a forwarder stopped and started again, signed with the standardwebhooks library's
own verifier."""

import json
import signal
import subprocess
import threading
import time

import pytest
import standardwebhooks

from conftest import BINARY, secret
from test_postgres import BASE_URL, fresh_database

TOKEN = secret("follow-source-token")
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json", "X-Correlation-Id": "s-7"}
ADMIN_TOKEN = secret("admin-token-it")
LOCAL_SECRET = secret("whsec_" + "Zm9yd2FyZC1sb2NhbC1zaWduaW5nLXNlY3JldC0x")
STORES = ["sqlite"] + (["postgres"] if BASE_URL else [])
SOURCES = f"""
  - name: bot
    path: /bot
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/id
  - name: other
    path: /other
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/id
"""


class Lines:
    """A command's standard output, read line by line on a thread."""

    def __init__(self, *args):
        self.process = subprocess.Popen([str(BINARY), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines, self.lock = [], threading.Lock()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.process.stdout:
            with self.lock:
                self.lines.append(line.decode().rstrip("\n"))

    def wait(self, predicate, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                lines = list(self.lines)
            if predicate(lines):
                return lines
            if self.process.poll() is not None:
                raise AssertionError(f"exited {self.process.returncode}: {self.process.stderr.read().decode()}")
            time.sleep(0.05)
        raise AssertionError(f"not seen in {timeout} s: {self.lines}")

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def test_tail_prints_decisions_from_the_configured_admin_api(gateway_factory):
    gateway = gateway_factory(SOURCES)
    everything = Lines("tail", "--config", str(gateway.config), "--json")
    refused = Lines("tail", "--config", str(gateway.config), "--refused", "--source", "bot")
    time.sleep(0.5)
    gateway.post("/bot", json.dumps({"id": "t-1"}), AUTH)
    gateway.post("/bot", "{}", {"Authorization": "Bearer wrong"})
    gateway.post("/other", "{}", {"Authorization": "Bearer wrong"})
    lines = everything.wait(lambda got: len(got) >= 3)
    decisions = [json.loads(line) for line in lines]
    assert [(d["source"], d["outcome"]) for d in decisions] == [("bot", "accepted"), ("bot", "refused"), ("other", "refused")]
    text = refused.wait(lambda got: len(got) >= 1)
    assert len(text) == 1 and "refused  401  invalid_credentials  bot  POST /bot" in text[0], text
    assert "\x1b[" not in text[0], "no colour into a pipe"
    everything.stop()
    refused.stop()
    wrong = subprocess.run([str(BINARY), "tail", "--admin-url", gateway.admin_url, "--token", "nope"],
                           capture_output=True, timeout=20)
    assert wrong.returncode == 1 and b"401" in wrong.stderr


@pytest.mark.parametrize("kind", STORES)
def test_forward_delivers_each_event_once_in_order_across_a_gateway_restart(gateway_factory, backend, tmp_path, kind):
    gateway = gateway_factory(SOURCES, store="sqlite:./events.db" if kind == "sqlite" else fresh_database())
    state = tmp_path / "forward.json"

    def forwarder():
        return Lines("forward", "--from", gateway.admin_url, "--token", ADMIN_TOKEN, "--to", backend.url,
                     "--source", "bot", "--secret", LOCAL_SECRET, "--state-file", str(state), "--since", "1m")

    def send(n):
        body = json.dumps({"id": f"f-{n}", "text": f"message {n}"})
        answer = gateway.post("/bot", body, {**AUTH, "User-Agent": "cognigy-flow/1"})
        assert answer.status_code == 200
        return answer.json()["id"], body

    sent = [send(n) for n in range(3)]
    gateway.post("/other", json.dumps({"id": "not-mine"}), AUTH)
    forward = forwarder()
    backend.wait_for(lambda got: len(got) == 3)
    sent += [send(n) for n in range(3, 6)]
    backend.wait_for(lambda got: len(got) == 6)

    gateway.stop(signal.SIGKILL)  # the stream and the polls drop mid-way
    time.sleep(1.5)
    gateway.start()
    sent += [send(n) for n in range(6, 9)]
    backend.wait_for(lambda got: len(got) == 9)

    forward.stop()  # the forwarder itself stops; events arrive meanwhile
    sent += [send(n) for n in range(9, 12)]
    forward = forwarder()
    received = backend.wait_for(lambda got: len(got) >= 12)
    time.sleep(2.5)  # another poll or two: nothing comes twice
    received = backend.received()
    forward.stop()

    assert [r["headers"]["idempotency-key"] for r in received] == [event_id for event_id, _ in sent]
    assert [r["body"].decode() for r in received] == [body for _, body in sent]
    verifier = standardwebhooks.Webhook(LOCAL_SECRET)
    for request in received:
        assert request["headers"]["webhook-id"] == request["headers"]["idempotency-key"]
        verifier.verify(request["body"], request["headers"])
        assert request["headers"]["user-agent"] == "cognigy-flow/1" and request["headers"]["x-correlation-id"] == "s-7"
        assert "authorization" not in request["headers"]
    saved = json.loads(state.read_text())
    assert saved["source"] == "bot" and sent[-1][0] in saved["forwarded"]

"""What a 200 promises: the event is committed, once, and survives kill -9; shutdown drains; a full disk says 503."""

import base64
import concurrent.futures
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import threading
import time
import uuid

import pytest
import requests

from conftest import secret

SECRET = secret("durability-fulfillment-secret")
SOURCES = f"""
  - name: fulfil
    path: /fulfil
    verify: {{preset: cognigy-fulfillment, secrets: [{SECRET}]}}
    schema: cognigy-fulfillment-request
    idempotencyKey: body:/requestId
"""


def fulfillment(request_id):
    """A fulfillment request signed as Cognigy does: base64 HMAC-SHA256 of the body, unix-seconds timestamp."""
    body = json.dumps({"requestId": request_id, "payload": [{"type": "text", "value": "hello"}]})
    signature = base64.b64encode(hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).digest()).decode()
    return body, {"X-Cognigy-Signature": signature, "X-Cognigy-Timestamp": str(int(time.time()))}


def test_concurrent_copies_of_one_event_store_one_row(gateway_factory):
    gateway = gateway_factory(SOURCES)
    body, headers = fulfillment("same-request")
    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        responses = list(pool.map(lambda _: gateway.post("/fulfil", body, headers), range(64)))
    statuses = [r.json()["status"] for r in responses]
    assert all(r.status_code == 200 for r in responses)
    assert statuses.count("accepted") == 1
    assert statuses.count("duplicate") == 63
    assert len({r.json()["id"] for r in responses}) == 1
    assert [e["idempotencyKey"] for e in gateway.events()] == ["same-request"]


def test_every_acknowledged_event_survives_kill_9(gateway_factory, tmp_path):
    gateway = gateway_factory(SOURCES)
    acknowledged = set()
    lock = threading.Lock()
    stop = threading.Event()
    prepared = [fulfillment(f"kill9-{uuid.uuid4().hex}") for _ in range(4000)]
    cursor = iter(prepared)

    def sender():
        session = requests.Session()
        while not stop.is_set():
            with lock:
                item = next(cursor, None)
            if item is None:
                return
            body, headers = item
            try:
                response = session.post(gateway.url + "/fulfil", data=body, headers=headers, timeout=5)
            except requests.RequestException:
                continue
            if response.status_code == 200:
                with lock:
                    acknowledged.add(json.loads(body)["requestId"])

    threads = [threading.Thread(target=sender) for _ in range(16)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(acknowledged) < 1000:
        time.sleep(0.05)
    gateway.process.send_signal(signal.SIGKILL)
    gateway.process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)

    assert len(acknowledged) >= 1000, "the load did not get going before the kill"
    stored = {e["idempotencyKey"] for e in gateway.events()}
    lost = acknowledged - stored
    assert not lost, f"{len(lost)} acknowledged events were lost"

    gateway.start()
    body, headers = fulfillment(sorted(acknowledged)[0])
    assert gateway.post("/fulfil", body, headers).json()["status"] == "duplicate"


def test_sigterm_turns_not_ready_finishes_in_flight_requests_and_exits_0(gateway_factory):
    gateway = gateway_factory(SOURCES)
    body, headers = fulfillment("in-flight")
    raw = body.encode()
    head = f"POST /fulfil HTTP/1.1\r\nHost: x\r\nContent-Length: {len(raw)}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=10) as connection:
        connection.sendall(head.encode() + raw[:10])
        time.sleep(0.3)
        gateway.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert requests.get(gateway.admin_url + "/readyz", timeout=5).status_code == 503
        connection.sendall(raw[10:])
        answer = connection.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 200"), answer
    assert gateway.process.wait(timeout=30) == 0
    assert [e["idempotencyKey"] for e in gateway.events()] == ["in-flight"]


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small filesystem needs root")
def test_a_full_disk_answers_503_never_2xx_and_recovers(gateway_factory, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], check=True)
    try:
        gateway = gateway_factory(SOURCES, directory=disk)
        body, headers = fulfillment("before-full")
        assert gateway.post("/fulfil", body, headers).status_code == 200
        filler = disk / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
        refused = []
        for index in range(20):
            body, headers = fulfillment(f"while-full-{index}")
            response = gateway.post("/fulfil", body, headers)
            assert response.status_code in (200, 503), response.text
            if response.status_code == 503:
                assert response.json()["error"] == "store_unavailable"
                assert response.headers["Retry-After"]
                refused.append(index)
        assert refused, "a full disk never refused an event"
        filler.unlink()
        body, headers = fulfillment("after-full")
        assert gateway.post("/fulfil", body, headers).status_code == 200
        gateway.stop()
        stored = {e["idempotencyKey"] for e in gateway.events()}
        assert {"before-full", "after-full"} <= stored
        assert not {f"while-full-{i}" for i in refused} & stored
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)

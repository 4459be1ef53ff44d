"""Running Postern as a service: systemd's notify protocol read from a socket the test creates, the shipped unit
verified by systemd-analyze, the audit file reopened after logrotate renames it (SIGHUP and POST /admin/reopen)
with no line lost, and `postern backup` under load holding every event acknowledged before it began."""

import json
import pathlib
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time

import pytest
import requests

from conftest import ROOT, BINARY, orders_source, postern, secret

TOKEN = secret("operations-bearer-token")
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ADMIN = {"Authorization": f"Bearer {secret('admin-token-it')}"}


def notify_socket(path_or_name):
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(path_or_name)
    receiver.settimeout(20)
    return receiver


def messages(receiver, until):
    """Datagrams received until one holds `until`."""
    seen = []
    while not any(until in message for message in seen):
        seen.append(receiver.recv(4096).decode())
    return seen


@pytest.mark.parametrize("abstract", [False, True])
def test_the_notify_protocol(gateway_factory, tmp_path, abstract):
    name = f"\0postern-notify-{time.monotonic_ns()}" if abstract else str(tmp_path / "notify.sock")
    receiver = notify_socket(name)
    gateway = gateway_factory(orders_source(TOKEN), env={"NOTIFY_SOCKET": "@" + name[1:] if abstract else name})
    ready = messages(receiver, "READY=1")
    assert ready[-1].startswith("READY=1")
    # Ready means serving: the listener answers and the store is open.
    assert gateway.post("/orders", '{"id": "n-1"}', AUTH).status_code == 200

    gateway.process.send_signal(signal.SIGHUP)
    reload = messages(receiver, "READY=1")
    assert reload[0].startswith("RELOADING=1\nMONOTONIC_USEC=") and reload[-1].startswith("READY=1")
    assert gateway.post("/orders", '{"id": "n-2"}', AUTH).status_code == 200  # a hang-up never ends the process
    # A reload through the admin API is announced the same way.
    assert requests.post(gateway.admin_url + "/admin/reload", headers=ADMIN, timeout=10).status_code == 200
    reload = messages(receiver, "READY=1")
    assert reload[0].startswith("RELOADING=1\nMONOTONIC_USEC=") and reload[-1].startswith("READY=1")

    gateway.process.send_signal(signal.SIGTERM)
    assert "STOPPING=1" in messages(receiver, "STOPPING=1")[-1]
    assert gateway.process.wait(timeout=30) == 0


def test_without_notify_socket_nothing_is_sent_and_nothing_breaks(gateway_factory):
    gateway = gateway_factory(orders_source(TOKEN), env={"NOTIFY_SOCKET": "/nonexistent/notify.sock"})
    gateway.process.send_signal(signal.SIGHUP)
    assert gateway.post("/orders", '{"id": "n-3"}', AUTH).status_code == 200
    assert gateway.stop() == 0


def test_the_shipped_unit_verifies(tmp_path):
    # systemd-analyze checks the unit's syntax, every directive, and that its commands exist: the unit is verified as
    # shipped but for the binary's path, which points at the binary under test.
    unit = ROOT / "packaging" / "postern.service"
    copy = tmp_path / "postern.service"
    copy.write_text(unit.read_text().replace("/usr/local/bin/postern", str(BINARY)))
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, timeout=60)
    assert result.returncode == 0 and not result.stderr, result.stderr.decode()
    text = unit.read_text()
    for directive in ["Type=notify", "User=postern", "ProtectSystem=strict", "ReadWritePaths=/var/lib/postern /var/log/postern",
                      "NoNewPrivileges=yes", "PrivateTmp=yes", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
                      "LimitNOFILE=", "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID"]:
        assert directive in text


@pytest.mark.parametrize("trigger", ["SIGHUP", "POST /admin/reopen"])
def test_the_audit_file_reopens_after_rotation_with_nothing_lost(gateway_factory, tmp_path, trigger):
    audit = tmp_path / "audit.jsonl"
    gateway = gateway_factory(orders_source(TOKEN), extra_yaml="")
    # The factory's audit path is its own; point a second gateway's audit at a file we rotate.
    gateway.stop()
    gateway.config.write_text(gateway.config.read_text().replace(f"output: {gateway.audit}", f"output: {audit}"))
    gateway.start()
    sent = []
    stop = threading.Event()

    def load():
        session = requests.Session()
        while not stop.is_set():
            key = f"r-{len(sent)}"
            if session.post(gateway.url + "/orders", data=json.dumps({"id": key}), headers=AUTH, timeout=30).status_code == 200:
                sent.append(key)

    worker = threading.Thread(target=load)
    worker.start()
    time.sleep(1)
    audit.rename(tmp_path / "audit.jsonl.1")
    time.sleep(0.3)  # lines written meanwhile go on into the renamed file
    if trigger == "SIGHUP":
        gateway.process.send_signal(signal.SIGHUP)
    else:
        assert requests.post(gateway.admin_url + "/admin/reopen", headers=ADMIN, timeout=10).json() == {"status": "reopened"}
    deadline = time.monotonic() + 10
    while not audit.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1)
    stop.set()
    worker.join()
    assert gateway.stop() == 0

    def accepted(path):
        return [line for line in map(json.loads, path.read_text().splitlines()) if line.get("path") == "/orders"]

    old, new = accepted(tmp_path / "audit.jsonl.1"), accepted(audit)
    assert old and new, (len(old), len(new))
    assert len(old) + len(new) == len(sent)  # every request's line, in one file or the other
    assert len({line["eventId"] for line in old + new}) == len(sent)


def test_a_secret_from_a_systemd_credential(gateway_factory, tmp_path):
    # systemd passes LoadCredential= files in CREDENTIALS_DIRECTORY; ${credential:NAME} reads one.
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "orders-token").write_text(TOKEN + "\n")
    gateway = gateway_factory("""
  - name: orders
    path: /orders
    verify: {preset: bearer, secrets: ["${credential:orders-token}"]}
    idempotencyKey: body:/id
""", env={"CREDENTIALS_DIRECTORY": str(credentials)})
    assert gateway.post("/orders", '{"id": "c-1"}', AUTH).status_code == 200
    assert gateway.post("/orders", '{"id": "c-2"}', {"Authorization": "Bearer wrong"}).status_code == 401
    # A rotated credential file takes effect on reload, though the YAML did not change.
    rotated = secret("operations-rotated-token")
    (credentials / "orders-token").write_text(rotated + "\n")
    assert requests.post(gateway.admin_url + "/admin/reload", headers=ADMIN, timeout=10).json()["status"] == "reloaded"
    assert gateway.post("/orders", '{"id": "c-3"}', {"Authorization": f"Bearer {rotated}"}).status_code == 200
    assert gateway.post("/orders", '{"id": "c-4"}', AUTH).status_code == 401
    gateway.stop()
    result = postern("check", "--config", str(gateway.config))
    assert result.returncode == 2 and "CREDENTIALS_DIRECTORY is not set" in result.stderr.decode()


def test_reopen_needs_the_admin_token(gateway_factory):
    gateway = gateway_factory(orders_source(TOKEN))
    assert requests.post(gateway.admin_url + "/admin/reopen", timeout=10).status_code == 401


def test_a_backup_under_load_holds_every_event_acknowledged_before_it(gateway_factory, tmp_path):
    gateway = gateway_factory(orders_source(TOKEN))
    acknowledged = []  # (time answered, event id)
    stop = threading.Event()

    def load(worker):
        session = requests.Session()
        count = 0
        while not stop.is_set():
            answer = session.post(gateway.url + "/orders", data=json.dumps({"id": f"b-{worker}-{count}"}), headers=AUTH,
                                  timeout=30)
            if answer.status_code == 200:
                acknowledged.append((time.monotonic(), answer.json()["id"]))
            count += 1

    workers = [threading.Thread(target=load, args=(n,)) for n in range(4)]
    for worker in workers:
        worker.start()
    time.sleep(2)
    began = time.monotonic()
    result = postern("backup", "--config", str(gateway.config), "--to", str(tmp_path / "copy.db"))
    time.sleep(0.5)
    stop.set()
    for worker in workers:
        worker.join()
    assert result.returncode == 0, result.stderr.decode()
    before = {event for at, event in acknowledged if at < began}
    assert len(before) > 50
    copy = sqlite3.connect(tmp_path / "copy.db")
    stored = {row[0] for row in copy.execute("SELECT id FROM events")}
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert before <= stored
    assert f": {len(stored)} events" in result.stdout.decode()
    # The load went on while the backup ran: the gateway acknowledged events the copy does not need to hold.
    assert len(acknowledged) > len(before)


def test_a_backup_never_overwrites_and_postgres_is_pointed_to_pg_dump(gateway_factory, tmp_path):
    gateway = gateway_factory(orders_source(TOKEN))
    existing = tmp_path / "exists.db"
    existing.write_text("keep me")
    result = postern("backup", "--config", str(gateway.config), "--to", str(existing))
    assert result.returncode == 1 and "never overwrites" in result.stderr.decode()
    assert existing.read_text() == "keep me"
    config = tmp_path / "pg.yaml"
    config.write_text(gateway.config.read_text().replace("store: sqlite:./events.db", "store: postgres://u@127.0.0.1:1/db"))
    result = postern("backup", "--config", str(config), "--to", str(tmp_path / "x.db"))
    assert result.returncode == 1 and "pg_dump" in result.stderr.decode()

"""Several gateway instances on one real PostgreSQL 15 (started by scripts/test): one row for an event sent to all
at once, deliveries shared and each made once, a killed instance's deliveries finished by another after its lease,
and PostgreSQL stopped under load: 503s while it is down, nothing acknowledged lost."""

import concurrent.futures
import glob
import json
import os
import signal
import subprocess
import threading
import time
import urllib.parse
import uuid

import pytest
import requests

from conftest import orders_source, postern, secret

BASE_URL = os.environ.get("POSTERN_TEST_POSTGRES_URL")
PG_DIR = os.environ.get("POSTERN_TEST_POSTGRES_DIR")
pytestmark = pytest.mark.skipif(not BASE_URL, reason="scripts/test starts PostgreSQL and sets POSTERN_TEST_POSTGRES_URL")

TOKEN = secret("postgres-source-token")
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1] if glob.glob("/usr/lib/postgresql/*/bin") else ""


def fresh_database():
    """A new empty database on the test cluster; its URL."""
    url = urllib.parse.urlparse(BASE_URL)
    name = "it_" + uuid.uuid4().hex
    subprocess.run([os.path.join(PG_BIN, "createdb"), "-h", url.hostname, "-p", str(url.port), "-U", url.username, name],
                   check=True)
    return url._replace(path="/" + name).geturl()


def instances(gateway_factory, tmp_path, count, database, destinations="", lease=None):
    """`count` gateways on one database; given `destinations` (YAML), the source delivers to `backend`; `lease` is
    the store's claim lease in seconds."""
    store = f'{{url: "{database}", lease: {lease}}}' if lease else database
    started = []
    for index in range(count):
        directory = tmp_path / f"instance-{index}"
        directory.mkdir(parents=True)
        started.append(gateway_factory(orders_source(TOKEN, "[backend]" if destinations else "[]"), destinations,
                                       directory=directory, store=store))
    return started


def destination(url, timeout=2):
    return f"""destinations:
  - name: backend
    url: {url}
    timeout: {timeout}
    retry: {{minDelay: 0.2, maxDelay: 1}}
"""


def post(gateway, event_id):
    return gateway.post("/orders", json.dumps({"id": event_id}), HEADERS)


def test_the_same_event_sent_to_three_instances_at_once_is_stored_once(gateway_factory, tmp_path):
    database = fresh_database()
    gateways = instances(gateway_factory, tmp_path, 3, database)
    with concurrent.futures.ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(lambda i: post(gateways[i % 3], "same-event"), range(30)))
    assert all(a.status_code == 200 for a in answers)
    assert [a.json()["status"] for a in answers].count("accepted") == 1
    assert len({a.json()["id"] for a in answers}) == 1
    assert [e["idempotencyKey"] for e in gateways[0].events()] == ["same-event"]


def test_deliveries_are_shared_by_the_instances_and_each_made_once(gateway_factory, tmp_path, backend):
    backend.set("hang", 0.05)
    database = fresh_database()
    gateways = instances(gateway_factory, tmp_path, 3, database, destination(backend.url))
    ids = []
    for index in range(90):
        answer = post(gateways[index % 3], f"shared-{index}")
        ids.append(answer.json()["id"])
    seen = backend.wait_for(lambda seen: len({r["headers"]["idempotency-key"] for r in seen}) == 90, timeout=30)
    time.sleep(1)
    keys = [r["headers"]["idempotency-key"] for r in backend.received()]
    assert sorted(keys) == sorted(ids), "each event delivered exactly once"
    busy = 0
    for gateway in gateways:
        metrics = requests.get(gateway.admin_url + "/metrics", timeout=5).text
        busy += 'postern_delivery_attempts_total{destination="backend",outcome="delivered"}' in metrics
    assert busy >= 2, "deliveries are spread over the instances"


def test_a_killed_instance_s_deliveries_are_made_by_another_after_its_lease(gateway_factory, tmp_path, backend):
    backend.set("hang", 20)
    database = fresh_database()
    (first,) = instances(gateway_factory, tmp_path / "a", 1, database, destination(backend.url, timeout=2.5), lease=3)
    ids = [post(first, f"orphan-{index}").json()["id"] for index in range(5)]
    backend.wait_for(lambda seen: len(seen) == 5)
    first.stop(signal.SIGKILL)
    backend.set("ok", {"ok": True})
    before = len(backend.received())
    (second,) = instances(gateway_factory, tmp_path / "b", 1, database, destination(backend.url), lease=3)
    started = time.monotonic()
    seen = backend.wait_for(lambda seen: len({r["headers"]["idempotency-key"] for r in seen[before:]}) == 5, timeout=30)
    assert time.monotonic() - started >= 1.5, "not before the dead instance's lease ran out"
    assert sorted(r["headers"]["idempotency-key"] for r in seen[before:]) == sorted(ids)
    listed = postern("deliveries", "list", "--config", str(second.config), "--json").stdout.decode().splitlines()
    assert {json.loads(line)["state"] for line in listed} == {"delivered"}


def pg_ctl(*args):
    command = [os.path.join(PG_BIN, "pg_ctl"), "-D", os.path.join(PG_DIR, "data"), *args]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--"] + command
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def test_postgres_stopped_under_load_answers_503_and_loses_nothing_acknowledged(gateway_factory, tmp_path):
    database = fresh_database()
    (gateway,) = instances(gateway_factory, tmp_path, 1, database)
    acknowledged, statuses, errors, lock, stop = [], [], [], threading.Lock(), threading.Event()

    def sender(worker):
        session = requests.Session()
        index = 0
        while not stop.is_set():
            event = f"pg-{worker}-{index}"
            index += 1
            try:
                answer = session.post(gateway.url + "/orders", data=json.dumps({"id": event}), headers=HEADERS, timeout=10)
            except requests.RequestException as error:
                with lock:
                    errors.append(repr(error))  # the gateway runs throughout: it must answer, quickly
                continue
            with lock:
                statuses.append(answer.status_code)
                if answer.status_code == 200:
                    acknowledged.append(event)
                else:
                    assert answer.json()["error"] == "store_unavailable" and "Retry-After" in answer.headers

    port = open(os.path.join(PG_DIR, "port")).read().strip()
    threads = [threading.Thread(target=sender, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    pg_ctl("-m", "immediate", "stop")
    time.sleep(6)  # longer than a commit may wait (3 s)
    ready_while_down = requests.get(gateway.admin_url + "/readyz", timeout=10).status_code
    pg_ctl("-l", os.path.join(PG_DIR, "server.log"), "-w", "-o",
           f"-c listen_addresses=127.0.0.1 -p {port} -k {PG_DIR} -c max_connections=200", "start")
    # The pool reconnects with a backoff that grew during the outage: give it a bounded while.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        time.sleep(0.5)
        with lock:
            if statuses and statuses[-1] == 200:
                break
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ready_while_down == 503
    assert set(statuses) <= {200, 503} and 503 in statuses
    assert statuses[-1] == 200, "the pool reconnects by itself"
    stored = {e["idempotencyKey"] for e in gateway.events()}
    assert set(acknowledged) <= stored, f"{len(set(acknowledged) - stored)} acknowledged events lost"


def test_a_lease_is_renewed_while_a_slow_attempt_runs(gateway_factory, tmp_path, backend):
    backend.set("hang", 5)
    database = fresh_database()
    gateways = instances(gateway_factory, tmp_path, 2, database, destination(backend.url, timeout=8), lease=2)
    event = post(gateways[0], "slow-one").json()["id"]
    backend.wait_for(lambda seen: any(r.get("answered") == 200 for r in seen), timeout=20)
    time.sleep(1)
    assert [r["headers"]["idempotency-key"] for r in backend.received()] == [event], \
        "the other instance must not take a delivery whose attempt outlives the first lease"


def test_a_server_that_does_not_commit_durably_is_refused(tmp_path):
    database = fresh_database()
    url = urllib.parse.urlparse(database)
    subprocess.run([os.path.join(PG_BIN, "psql"), "-h", url.hostname, "-p", str(url.port), "-U", url.username, "-d",
                    url.path[1:], "-c", f"ALTER DATABASE {url.path[1:]} SET synchronous_commit = off"],
                   check=True, capture_output=True)
    config = tmp_path / "postern.yaml"
    config.write_text(f"store: {database}\nsources:\n{orders_source(TOKEN)}")
    result = postern("migrate", "--config", str(config))
    assert result.returncode != 0
    assert b"synchronous_commit" in result.stderr + result.stdout


def test_instances_starting_at_once_migrate_the_schema_once(tmp_path):
    database = fresh_database()
    config = tmp_path / "postern.yaml"
    config.write_text(f"store: {database}\nsources:\n{orders_source(TOKEN)}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: postern("migrate", "--config", str(config)), range(4)))
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr.decode() for r in results]
    url = urllib.parse.urlparse(database)
    versions = subprocess.run([os.path.join(PG_BIN, "psql"), "-h", url.hostname, "-p", str(url.port), "-U", url.username,
                               "-d", url.path[1:], "-Atc", "SELECT version FROM postern_migrations ORDER BY version"],
                              check=True, capture_output=True).stdout.decode().split()
    assert versions == ["1", "2", "3", "4"]  # each migration once

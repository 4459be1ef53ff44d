"""Ordering per key against the real binary: conversations delivered one event at a time in commit order while
different conversations go in parallel, on SQLite and across three instances on PostgreSQL, with a backend that is
slow and failing at random; and what a dead letter does to its key with onFailure block (held until a replay or
`postern deliveries skip`) and skip (dead-lettered, the key goes on)."""

import concurrent.futures
import json
import random
import threading
import time

import pytest
import requests

from backend import LoopbackServer
from conftest import orders_source, postern, secret
from test_postgres import BASE_URL, fresh_database

TOKEN = secret("ordering-bearer-token")
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


class ConversationBackend(LoopbackServer):
    """Records each event it accepts, by conversation, in the order it accepted them; `answer(body)` says the status
    (None: 200 after a random delay of up to `slow` seconds, failing with 503 at the rate `flaky`)."""

    def __init__(self, slow=0.0, flaky=0.0, answer=None):
        self.accepted = {}
        self.lock = threading.Lock()
        self.rng = random.Random(21)
        self.slow, self.flaky, self.decide = slow, flaky, answer
        super().__init__()

    def answer(self, path, headers, body):
        event = json.loads(body)
        with self.lock:
            delay, fails = self.rng.random() * self.slow, self.rng.random() < self.flaky
        status = self.decide(event) if self.decide else None
        if status is None:
            time.sleep(delay)
            status = 503 if fails else 200
        if status == 200:
            with self.lock:
                self.accepted.setdefault(event.get("conversation", "none"), []).append(event["seq"])
        return status, b"{}"

    def conversations(self):
        with self.lock:
            return {key: list(seqs) for key, seqs in self.accepted.items()}

    def wait_for(self, predicate, timeout=60):
        return self.wait_until(self.conversations, predicate, timeout)


def destination(url, on_failure="skip", concurrency=8):
    return f"""destinations:
  - name: crm
    url: {url}
    concurrency: {concurrency}
    ordering: {{key: body:/conversation, onFailure: {on_failure}}}
    retry: {{minDelay: 0.05, maxDelay: 0.2, maxAttempts: 50}}
"""


def send(gateway, conversation, seq):
    body = json.dumps({"id": f"{conversation}-{seq}", "conversation": conversation, "seq": seq})
    answer = gateway.post("/orders", body, HEADERS)
    assert answer.status_code == 200, answer.text
    return answer.json()["id"]


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_each_conversation_arrives_in_commit_order_with_nothing_lost_or_repeated(gateway_factory, tmp_path, store):
    if store == "postgres" and not BASE_URL:
        pytest.skip("scripts/test starts PostgreSQL and sets POSTERN_TEST_POSTGRES_URL")
    backend = ConversationBackend(slow=0.03, flaky=0.1)
    try:
        database = fresh_database() if store == "postgres" else "sqlite:./events.db"
        gateways = []
        for index in range(3 if store == "postgres" else 1):
            directory = tmp_path / f"instance-{index}"
            directory.mkdir()
            gateways.append(gateway_factory(orders_source(TOKEN, "[crm]"), destination(backend.url), directory=directory,
                                            store=database))
        conversations, events = 20, 50

        def converse(number):
            # Each event is sent once the one before it is committed (its 200), to the instances in turn.
            for seq in range(events):
                send(gateways[(number + seq) % len(gateways)], f"conv-{number}", seq)

        with concurrent.futures.ThreadPoolExecutor(max_workers=conversations) as pool:
            list(pool.map(converse, range(conversations)))
        seen = backend.wait_for(lambda seen: sum(len(seqs) for seqs in seen.values()) >= conversations * events, timeout=120)
        time.sleep(0.5)
        seen = backend.conversations()
        assert sorted(seen) == sorted(f"conv-{number}" for number in range(conversations))
        for conversation, seqs in seen.items():
            assert seqs == list(range(events)), f"{conversation} arrived out of order, or with a loss or repeat: {seqs}"
        if store == "postgres":
            busy = 0
            for gateway in gateways:
                metrics = requests.get(gateway.admin_url + "/metrics", timeout=5).text
                busy += 'postern_delivery_attempts_total{destination="crm",outcome="delivered"}' in metrics
            assert busy >= 2, "the conversations are spread over the instances"
    finally:
        backend.close()


def deliveries(gateway):
    result = postern("deliveries", "list", "--config", str(gateway.config), "--json")
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_a_dead_letter_holds_its_key_until_replayed_or_skipped_with_block(gateway_factory, tmp_path, store):
    if store == "postgres" and not BASE_URL:
        pytest.skip("scripts/test starts PostgreSQL and sets POSTERN_TEST_POSTGRES_URL")
    refused = {("a", 1), ("b", 1)}
    backend = ConversationBackend(answer=lambda body: 422 if (body["conversation"], body["seq"]) in refused else None)
    try:
        gateway = gateway_factory(orders_source(TOKEN, "[crm]"), destination(backend.url, on_failure="block"),
                                  store=fresh_database() if store == "postgres" else "sqlite:./events.db")
        ids = {(conversation, seq): send(gateway, conversation, seq) for conversation in ("a", "b", "c") for seq in range(4)}
        backend.wait_for(lambda seen: seen.get("a") == [0] and seen.get("b") == [0] and seen.get("c") == [0, 1, 2, 3])
        time.sleep(1.5)
        assert backend.conversations()["a"] == [0] and backend.conversations()["b"] == [0], "held behind the dead letter"
        listed = {d["event"]: d for d in deliveries(gateway)}
        assert (listed[ids[("a", 1)]]["state"], listed[ids[("a", 1)]]["holdsKey"], listed[ids[("a", 1)]]["orderingKey"]) == ("dead", True, "a")
        assert [listed[ids[("a", seq)]]["state"] for seq in (2, 3)] == ["pending", "pending"]
        assert not listed[ids[("c", 3)]]["holdsKey"] and listed[ids[("c", 3)]]["state"] == "delivered"

        refused.clear()
        replayed = postern("replay", "--config", str(gateway.config), "--event", ids[("a", 1)])
        assert replayed.returncode == 0, replayed.stderr.decode()
        backend.wait_for(lambda seen: seen.get("a") == [0, 1, 2, 3])

        skipped = postern("deliveries", "skip", "--config", str(gateway.config), "--event", ids[("b", 1)], "--destination", "crm")
        assert skipped.returncode == 0, skipped.stderr.decode()
        backend.wait_for(lambda seen: seen.get("b") == [0, 2, 3])
        again = postern("deliveries", "skip", "--config", str(gateway.config), "--event", ids[("b", 1)], "--destination", "crm")
        assert again.returncode != 0 and b"holds no ordering key" in again.stderr
        skipped_letter = {d["event"]: d for d in deliveries(gateway)}[ids[("b", 1)]]
        assert (skipped_letter["state"], skipped_letter["holdsKey"]) == ("dead", False), "skipped, still a dead letter"
    finally:
        backend.close()


def test_a_dead_letter_lets_its_key_go_on_with_skip(gateway_factory, tmp_path):
    backend = ConversationBackend(answer=lambda body: 422 if body["seq"] == 1 else None)
    try:
        gateway = gateway_factory(orders_source(TOKEN, "[crm]"), destination(backend.url, on_failure="skip"))
        ids = [send(gateway, "a", seq) for seq in range(4)]
        backend.wait_for(lambda seen: seen.get("a") == [0, 2, 3])
        assert {d["event"]: d["state"] for d in deliveries(gateway)}[ids[1]] == "dead"
    finally:
        backend.close()


def test_events_without_the_key_are_not_held_back(gateway_factory, tmp_path):
    together = threading.Barrier(3, timeout=5)

    def all_at_once(body):
        try:
            together.wait()
            return None
        except threading.BrokenBarrierError:
            return 503

    backend = ConversationBackend(answer=all_at_once)
    try:
        gateway = gateway_factory(orders_source(TOKEN, "[crm]"), destination(backend.url, concurrency=4))
        for seq in range(3):
            answer = gateway.post("/orders", json.dumps({"id": f"loose-{seq}", "seq": seq}), HEADERS)
            assert answer.status_code == 200
        seen = backend.wait_for(lambda seen: len(seen.get("none", [])) == 3, timeout=10)
        assert sorted(seen["none"]) == [0, 1, 2], "three unkeyed events were in flight at once"
    finally:
        backend.close()


def test_a_replay_to_a_new_ordered_destination_keeps_each_conversation_in_order(gateway_factory, tmp_path):
    crm, backfill = ConversationBackend(), ConversationBackend(slow=0.03, flaky=0.1)
    try:
        destinations = destination(crm.url).replace("    ordering: {key: body:/conversation, onFailure: skip}\n", "") + f"""  - name: backfill
    url: {backfill.url}
    concurrency: 8
    ordering: {{key: header:X-Conversation}}
    retry: {{minDelay: 0.05, maxDelay: 0.2, maxAttempts: 50}}
"""
        gateway = gateway_factory(orders_source(TOKEN, "[crm]"), destinations)
        for seq in range(15):
            for conversation in ("a", "b", "c"):
                body = json.dumps({"id": f"{conversation}-{seq}", "conversation": conversation, "seq": seq})
                answer = gateway.post("/orders", body, {**HEADERS, "X-Conversation": conversation})
                assert answer.status_code == 200, answer.text
        crm.wait_for(lambda seen: sum(len(s) for s in seen.values()) == 45)
        replayed = postern("replay", "--config", str(gateway.config), "--source", "orders", "--since", "0",
                           "--destination", "backfill")
        assert replayed.returncode == 0, replayed.stderr.decode()
        seen = backfill.wait_for(lambda seen: sum(len(s) for s in seen.values()) >= 45)
        assert seen == {c: list(range(15)) for c in ("a", "b", "c")}, "keyed from the kept header, in commit order"
        keys = {d["orderingKey"] for d in deliveries(gateway) if d["destination"] == "backfill"}
        assert keys == {"a", "b", "c"}
    finally:
        crm.close()
        backfill.close()

"""Genesys Cloud against a fake of its login and API hosts, with the real binary: one token for a burst, one
refresh before expiry under concurrency, one re-authentication after a 401, Retry-After honoured, message bodies
that the official Genesys SDK deserializes, and provisioning end to end (integration created, its secret verifying
the fake's signed outbound webhook, the connectivity test, status, and a missing permission named)."""

import concurrent.futures
import json
import re
import time

import pytest
import requests
from PureCloudPlatformClientV2 import ApiClient

from conftest import free_port, postern, secret
from fake_genesys import CLIENT_ID, CLIENT_SECRET, FakeGenesys

TOKEN = secret("genesys-source-token")
secret(CLIENT_SECRET)


def sources():
    return f"""
  - name: cognigy
    path: /cognigy
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/sessionId
    destinations: [genesys]
"""


def destination(fake, integration="integration-1", extra=""):
    return f"""destinations:
  - name: genesys
    type: genesys
    apiBase: {fake.api_base}
    loginBase: {fake.login_base}
    clientId: {CLIENT_ID}
    clientSecret: {CLIENT_SECRET}
    integrationId: {integration}
    path: /api/v2/conversations/message/events
    retry: {{minDelay: 0.2, maxDelay: 1}}
{extra}"""


@pytest.fixture
def fake():
    server = FakeGenesys()
    yield server
    server.close()


def send(gateway, count, prefix):
    def one(index):
        body = json.dumps({"sessionId": f"{prefix}-{index}", "userId": f"user-{index}",
                           "transcript": f"I need help with order {index}", "timestamp": "2026-11-25T10:00:00Z"})
        response = gateway.post("/cognigy", body, {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        assert response.status_code == 200, response.text

    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(one, range(count)))


def wait_for(predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


class JSONResponse:
    """What the SDK's deserializer reads from a response."""

    def __init__(self, document):
        self.data = json.dumps(document)

    def getheader(self, name, default=None):
        return "application/json"


def test_a_burst_shares_one_token_and_every_body_is_an_open_inbound_message(gateway_factory, fake):
    gateway = gateway_factory(sources(), destination(fake))
    send(gateway, 20, "burst")
    wait_for(lambda: len(fake.messages) == 20)
    assert fake.token_requests == 1
    assert fake.rejected == []
    client = ApiClient()
    for integration, body, _ in fake.messages:
        assert integration == "integration-1", "the tutorial's path is mapped onto the real Open Messaging call"
        message = client.deserialize(JSONResponse(body), "OpenInboundNormalizedMessage")
        assert message.text.startswith("I need help with order")
        assert message.channel.pcFrom.id.startswith("user-") and message.channel.pcFrom.id_type == "Opaque"
        assert message.channel.message_id.startswith("evt_")
        assert message.channel.time.year == 2026


def test_the_token_is_refreshed_once_before_it_expires_however_many_deliveries_wait(gateway_factory):
    fake = FakeGenesys(expires_in=62)  # refreshed 60 s early: after 2 s
    try:
        gateway = gateway_factory(sources(), destination(fake))
        send(gateway, 10, "first")
        wait_for(lambda: len(fake.messages) == 10)
        time.sleep(2.5)
        send(gateway, 10, "second")
        wait_for(lambda: len(fake.messages) == 20)
        assert fake.token_requests == 2
    finally:
        fake.close()


def test_a_401_re_authenticates_once(gateway_factory, fake):
    gateway = gateway_factory(sources(), destination(fake))
    send(gateway, 1, "warm")
    wait_for(lambda: len(fake.messages) == 1)
    fake.revoke_tokens()
    send(gateway, 1, "after-revoke")
    wait_for(lambda: len(fake.messages) == 2)
    assert fake.token_requests == 2
    # The fake counts the message before the gateway records the answer.
    wait_for(lambda: [d["state"] for d in deliveries(gateway)] == ["delivered", "delivered"])


def test_a_429_is_retried_no_sooner_than_retry_after(gateway_factory, fake):
    fake.pending_429.append("2")
    gateway = gateway_factory(sources(), destination(fake))
    asked = time.monotonic()
    send(gateway, 1, "limited")
    wait_for(lambda: len(fake.messages) == 1)
    assert fake.messages[0][2] - asked >= 2
    assert deliveries(gateway)[0]["attempts"] == 2


def deliveries(gateway):
    result = postern("deliveries", "list", "--config", str(gateway.config), "--json")
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_provisioning_creates_an_integration_whose_secret_verifies_genesys_webhooks(tmp_path, gateway_factory, fake):
    port = free_port()
    webhook = "https://gateway.example.com/genesys/messages"
    config = tmp_path / "provision.yaml"
    config.write_text(f"store: sqlite:./p.db\n{destination(fake)}sources:\n{sources()}")
    for refused in ["http://gateway.example.com/genesys/messages", "https://gateway.example.com:8443/genesys/messages"]:
        result = postern("genesys", "provision", "--config", str(config), "--destination", "genesys",
                         "--source", "genesys-messages", "--webhook-url", refused)
        assert result.returncode != 0 and b"https URL on port 443" in result.stderr, result.stderr
    assert fake.integrations == {}
    result = postern("genesys", "provision", "--config", str(config), "--destination", "genesys",
                     "--source", "genesys-messages", "--webhook-url", webhook, "--webhook-header", "X-Tenant=acme")
    assert result.returncode == 0, result.stderr.decode()
    output = result.stdout.decode()
    integration = re.search(r"id ([0-9a-f-]{36})", output).group(1)
    created = fake.integrations[integration]
    assert created["outboundNotificationWebhookUrl"] == webhook and created["webhookHeaders"] == {"X-Tenant": "acme"}
    assert created["createStatus"] == "Completed" and fake.status_reads[integration] >= 2, "polled until created"
    assert "Inbound Message flow" in output, "the next step is named"
    block = output[output.index("  - name: genesys-messages"):output.index("# Next:")]
    secret(re.search(r'secrets: \["([^"]+)"\]', block).group(1))
    assert "preset: genesys-open-messaging" in block and "path: /genesys/messages" in block

    gateway = gateway_factory(sources() + block, destination(fake, integration), port=port)
    local = gateway.url + "/genesys/messages"
    accepted = fake.send_outbound(integration, url=local)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    tampered = fake.send_outbound(integration, tamper=True, url=local)
    assert tampered.status_code == 401 and tampered.json()["error"] == "invalid_signature"

    tested = postern("genesys", "test", "--config", str(gateway.config), "--source", "genesys-messages")
    assert tested.returncode == 0, tested.stdout.decode() + tested.stderr.decode()
    assert tested.stdout.decode().startswith("200 ")
    status = postern("genesys", "status", "--config", str(gateway.config), "--destination", "genesys")
    assert status.returncode == 0 and json.loads(status.stdout)["id"] == integration


def test_an_integration_genesys_fails_to_create_prints_its_create_error(tmp_path, fake):
    config = tmp_path / "provision.yaml"
    config.write_text(f"store: sqlite:./p.db\n{destination(fake)}sources:\n{sources()}")
    result = postern("genesys", "provision", "--config", str(config), "--destination", "genesys", "--source", "s",
                     "--name", "broken integration", "--webhook-url", "https://gateway.example.com/genesys")
    assert result.returncode == 1
    assert b"could not create integration" in result.stderr and b"The webhook URL could not be reached" in result.stderr


def test_receipts_and_typing_events_go_to_their_own_calls_and_messages_carry_attributes(gateway_factory, fake):
    gateway = gateway_factory(f"""
  - name: cognigy
    path: /cognigy
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: none
    destinations: [genesys]
  - name: receipts
    path: /receipts
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: none
    destinations: [genesys-receipts]
  - name: typing
    path: /typing
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: none
    destinations: [genesys-typing]
""", destination(fake) + destination(fake).split("destinations:\n", 1)[1].replace("name: genesys", "name: genesys-receipts")
        .replace("    path: /api/v2/conversations/message/events\n", "    send: receipt\n")
        + destination(fake).split("destinations:\n", 1)[1].replace("name: genesys", "name: genesys-typing")
        .replace("    path: /api/v2/conversations/message/events\n", "    send: typing\n"))
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    output = {"userId": "u-7", "sessionId": "s-7", "text": "My order is late", "data": {"orderId": "A-1", "tier": "gold", "nested": {}}}
    assert gateway.post("/cognigy", json.dumps(output), headers).status_code == 200
    assert gateway.post("/receipts", json.dumps({"messageId": "out-1", "userId": "u-7", "status": "delivered"}), headers).status_code == 200
    assert gateway.post("/receipts", json.dumps({"messageId": "out-2", "userId": "u-7", "status": "FAILED", "reason": "blocked"}), headers).status_code == 200
    assert gateway.post("/typing", json.dumps({"userId": "u-7", "userName": "Ada"}), headers).status_code == 200
    wait_for(lambda: len(fake.messages) == 1 and len(fake.receipts) == 2 and len(fake.events) == 1)
    assert fake.rejected == []
    client = ApiClient()
    message = fake.messages[0][1]
    assert message["channel"]["metadata"]["customAttributes"] == {"orderId": "A-1", "tier": "gold"}
    assert message["channel"]["from"]["nickname"] == "Customer", "a display name, not the raw user id"
    receipts = [client.deserialize(JSONResponse(body), "OpenInboundNormalizedReceipt") for _, body in fake.receipts]
    assert sorted((r.id, r.status) for r in receipts) == [("out-1", "Delivered"), ("out-2", "Failed")]
    failed = [body for _, body in fake.receipts if body["status"] == "Failed"][0]
    assert failed["reasons"][0]["message"] == "blocked"
    event = client.deserialize(JSONResponse(fake.events[0][1]), "OpenInboundNormalizedEvent")
    assert event.events[0].event_type == "Typing" and event.channel.pcFrom.nickname == "Ada"


def test_a_missing_permission_is_named(tmp_path):
    fake = FakeGenesys(permissions=())
    try:
        config = tmp_path / "postern.yaml"
        config.write_text(f"store: sqlite:./p.db\n{destination(fake)}sources:\n{sources()}")
        result = postern("genesys", "provision", "--config", str(config), "--destination", "genesys",
                         "--source", "s", "--webhook-url", "https://gateway.example/genesys")
        assert result.returncode == 1
        assert b"messaging:integration:add" in result.stderr and b"403" in result.stderr
        assert CLIENT_SECRET.encode() not in result.stderr + result.stdout
    finally:
        fake.close()


def test_the_mapping_is_a_built_in_template_that_a_destination_may_replace(gateway_factory, fake, backend):
    custom = destination(fake, extra="""    body:
      channel:
        messageId: "{{id}}"
        time: "{{receivedAt}}"
        from: {id: "{{/customer/id}}", idType: Opaque, nickname: "{{/customer/name}}"}
      text: "{{/said}}"
""") + f"""  - name: bridge
    url: {backend.url}
    body: "{{{{genesys-open-messaging}}}}"
"""
    gateway = gateway_factory(f"""
  - name: cognigy
    path: /cognigy
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/sessionId
    destinations: [genesys]
  - name: bridged
    path: /bridged
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    body: form
    idempotencyKey: body:/sessionId
    destinations: [bridge]
""", custom)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    body = {"sessionId": "s-custom", "customer": {"id": "c-42", "name": "Ana"}, "said": "Where is my parcel?"}
    assert gateway.post("/cognigy", json.dumps(body), headers).status_code == 200
    wait_for(lambda: len(fake.messages) == 1)
    assert fake.rejected == []
    message = ApiClient().deserialize(JSONResponse(fake.messages[0][1]), "OpenInboundNormalizedMessage")
    assert (message.text, message.channel.pcFrom.id, message.channel.pcFrom.nickname) == ("Where is my parcel?", "c-42", "Ana")

    form = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-www-form-urlencoded"}
    assert gateway.post("/bridged", "sessionId=s-form&userId=u-7&text=hello+from+a+form", form).status_code == 200
    (received,) = backend.wait_for(lambda seen: len(seen) == 1)
    bridged = ApiClient().deserialize(JSONResponse(json.loads(received["body"])), "OpenInboundNormalizedMessage")
    assert (bridged.text, bridged.channel.pcFrom.id, bridged.channel.pcFrom.nickname) == ("hello from a form", "u-7", "Customer")
    assert received["headers"]["content-type"] == "application/json"


@pytest.mark.parametrize("ordering, expected", [("", "user-{}"), ("    ordering: none\n", None)])
def test_a_genesys_destination_orders_by_the_customers_id_unless_told_not_to(gateway_factory, fake, ordering, expected):
    gateway = gateway_factory(sources(), destination(fake, extra=ordering))
    send(gateway, 4, "ordered")
    wait_for(lambda: len(fake.messages) == 4)
    listed = postern("deliveries", "list", "--config", str(gateway.config), "--json")
    assert listed.returncode == 0, listed.stderr.decode()
    rows = [json.loads(line) for line in listed.stdout.decode().splitlines()]
    wanted = [expected.format(index) if expected else None for index in range(4)]
    assert sorted(str(row["orderingKey"]) for row in rows) == sorted(str(key) for key in wanted)

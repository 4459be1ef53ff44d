"""The vendors' documented mechanisms against the real binary, with requests made by the senders' own libraries
where they exist (svix, cryptography's ed25519 for Standard Webhooks v1a) and exactly as the vendors' documents
describe them elsewhere (CXone Expert, the Cognigy Webhook Endpoint and HTTP Request node)."""

import base64
import datetime
import hashlib
import hmac
import json
import time

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from svix.webhooks import Webhook as SvixWebhook

from conftest import postern, secret

SVIX_SECRET = secret("whsec_" + base64.b64encode(b"svix-test-secret-for-postern-it").decode())
EXPERT_SECRET = secret("cxone-expert-webhook-secret")
ENDPOINT_PASSWORD = secret("cognigy-endpoint-password")
API_KEY = secret("cognigy-http-request-api-key")


def test_svix_signed_requests_verify_and_are_keyed_by_svix_id(gateway_factory):
    gateway = gateway_factory(f"""
  - name: clerk
    path: /clerk
    verify: {{preset: svix, secrets: [{SVIX_SECRET}]}}
""")
    body = json.dumps({"type": "user.created", "data": {"id": "user_1"}})
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    signature = SvixWebhook(SVIX_SECRET).sign("msg_1", now, body)
    headers = {"svix-id": "msg_1", "svix-timestamp": str(int(now.timestamp())), "svix-signature": signature,
               "Content-Type": "application/json"}
    first = gateway.post("/clerk", body, headers)
    assert first.status_code == 200 and first.json()["status"] == "accepted", first.text
    assert gateway.post("/clerk", body, headers).json()["status"] == "duplicate"
    assert gateway.post("/clerk", body + " ", headers).json()["error"] == "invalid_signature"
    assert [event["idempotencyKey"] for event in gateway.events()] == ["msg_1"]


def test_standard_webhooks_v1a_ed25519_signatures_verify_with_a_public_key(gateway_factory):
    private = Ed25519PrivateKey.generate()
    public = "whpk_" + base64.b64encode(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    gateway = gateway_factory(f"""
  - name: signed
    path: /signed
    verify: {{preset: standard-webhooks, secrets: [{public}]}}
""")
    body = json.dumps({"type": "invoice.paid"})
    timestamp = str(int(time.time()))
    signed = f"msg_2.{timestamp}.{body}".encode()
    signature = "v1a," + base64.b64encode(private.sign(signed)).decode()
    headers = {"webhook-id": "msg_2", "webhook-timestamp": timestamp, "webhook-signature": signature}
    accepted = gateway.post("/signed", body, headers)
    assert accepted.status_code == 200, accepted.text
    forged = "v1a," + base64.b64encode(Ed25519PrivateKey.generate().sign(signed)).decode()
    refused = gateway.post("/signed", body, {**headers, "webhook-id": "msg_3", "webhook-signature": forged})
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_signature"
    verification = [line for line in gateway.audit_lines() if line.get("reason") == "accepted"][0]
    assert verification["scheme"] == "standard-webhooks+ed25519"


def expert_headers(body, timestamp, delivery):
    # NICE's Webhook integration guide: HMAC-SHA256 hex of `${timestamp}.${payload}`, sent as sha256=<hex>.
    digest = hmac.new(EXPERT_SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Nexus-Signature-256": f"sha256={digest}", "X-Nexus-Timestamp": str(timestamp),
            "X-Nexus-Event-Type": "Page_Create", "X-Nexus-Delivery-Id": delivery, "Content-Type": "text/xml"}


def test_cxone_expert_xml_webhooks_verify_and_are_keyed_by_delivery_id(gateway_factory):
    gateway = gateway_factory(f"""
  - name: expert
    path: /expert
    verify: {{preset: cxone-expert, secrets: [{EXPERT_SECRET}]}}
""")
    body = b'<?xml version="1.0" encoding="UTF-8"?><event type="Page_Create"><page id="42"/></event>'
    now = int(time.time())
    assert gateway.post("/expert", body, expert_headers(body, now, "d-1")).json()["status"] == "accepted"
    assert gateway.post("/expert", body, expert_headers(body, now, "d-1")).json()["status"] == "duplicate"
    assert gateway.post("/expert", body, expert_headers(body, now, "d-2")).json()["status"] == "accepted"
    stale = gateway.post("/expert", body, expert_headers(body, now - 3600, "d-3"))
    assert stale.json()["error"] == "timestamp_out_of_window"
    dtd = b'<!DOCTYPE e [<!ENTITY x "y">]><event>&x;</event>'
    assert gateway.post("/expert", dtd, expert_headers(dtd, now, "d-4")).json()["error"] == "malformed_xml"
    assert sorted(event["idempotencyKey"] for event in gateway.events()) == ["d-1", "d-2"]


def test_cognigy_endpoint_outputs_are_each_an_event_correlated_by_session(gateway_factory):
    gateway = gateway_factory(f"""
  - name: bot-outputs
    path: /cognigy/outputs
    verify: {{preset: cognigy-endpoint, credentials: ["cognigy:{ENDPOINT_PASSWORD}"]}}
""")
    output = json.dumps({"userId": "u-1", "sessionId": "session-42", "text": "Yes", "data": {}})
    auth = ("cognigy", ENDPOINT_PASSWORD)
    for _ in range(2):
        response = requests.post(gateway.url + "/cognigy/outputs", data=output, auth=auth, timeout=10,
                                 headers={"Content-Type": "application/json"})
        assert response.json()["status"] == "accepted", response.text
    assert len(gateway.events()) == 2, "the bot saying Yes twice is two messages"
    accepted = [line for line in gateway.audit_lines() if line.get("reason") == "accepted"]
    assert [line["correlationId"] for line in accepted] == ["session-42", "session-42"]
    wrong = requests.post(gateway.url + "/cognigy/outputs", data=output, auth=("cognigy", "nope"), timeout=10)
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_credentials"


def test_the_cognigy_http_request_nodes_api_key_options(gateway_factory):
    gateway = gateway_factory(f"""
  - name: apikey-scheme
    path: /scheme
    verify: {{preset: bearer, scheme: ApiKey, secrets: [{API_KEY}]}}
  - name: apikey-header
    path: /header
    verify: {{preset: api-key, header: X-API-Key, secrets: [{API_KEY}]}}
""")
    body = json.dumps({"sessionId": "s-1"})
    assert gateway.post("/scheme", body, {"Authorization": f"ApiKey {API_KEY}"}).status_code == 200
    assert gateway.post("/scheme", body, {"Authorization": f"Bearer {API_KEY}"}).json()["error"] == "missing_signature"
    assert gateway.post("/header", body, {"X-API-Key": API_KEY}).status_code == 200


def test_check_refuses_contract_violations_and_labels_tutorial_presets(tmp_path):
    config = tmp_path / "postern.yaml"
    config.write_text(f"""listen: 127.0.0.1:0
sources:
  - name: genesys
    path: /genesys
    verify: {{preset: genesys-open-messaging, secrets: [s]}}
    onDuplicate: 409
  - name: hook
    path: /hook
    verify: {{preset: jambonz, secrets: [s]}}
    answer: {{status: 201}}
""")
    refused = postern("check", "--config", str(config))
    assert refused.returncode != 0
    errors = refused.stderr.decode()
    assert "sources[0].onDuplicate: must not be 409 for genesys-open-messaging" in errors
    assert "sources[1].answer.status: must be one of 200, 202, 204 for jambonz" in errors

    config.write_text("""listen: 127.0.0.1:0
sources:
  - name: genesys
    path: /genesys
    verify: {preset: genesys-open-messaging, secrets: [s]}
    schema: cognigy-flow-event
  - name: tutorial
    path: /tutorial
    verify: {preset: cognigy-webhook, secrets: [s]}
""")
    passed = postern("check", "--config", str(config))
    assert passed.returncode == 0, passed.stderr.decode()
    output = passed.stderr.decode()
    assert "warning: sources[0] (genesys): genesys-open-messaging takes only 2xx answers" in output
    assert "note: sources[1] (tutorial): cognigy-webhook mirrors a published tutorial" in output
    shown = postern("schema", "show", "cognigy-endpoint-output")
    assert shown.returncode == 0 and json.loads(shown.stdout)["required"] == ["sessionId"]

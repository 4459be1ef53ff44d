"""Requests signed by the senders' own libraries reach the real binary, and `postern sign` satisfies them."""

import base64
import datetime
import json
import time
import uuid

import standardwebhooks
import stripe

from conftest import secret, sign

STANDARD_SECRET = secret("whsec_" + "c3RhbmRhcmQtd2ViaG9va3MtaW50ZWdyYXRpb24tc2VjcmV0")
STRIPE_SECRET = secret("whsec_stripe_integration_secret")

SOURCES = f"""
  - name: standard
    path: /standard
    verify: {{preset: standard-webhooks, secrets: [{STANDARD_SECRET}]}}
  - name: stripe
    path: /stripe
    verify: {{preset: stripe, secrets: [{STRIPE_SECRET}]}}
"""


def test_standard_webhooks_library_signature_is_accepted(gateway_factory):
    gateway = gateway_factory(SOURCES)
    body = json.dumps({"type": "call.ended", "data": {"id": str(uuid.uuid4())}})
    msg_id = f"msg_{uuid.uuid4().hex}"
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    signature = standardwebhooks.Webhook(STANDARD_SECRET).sign(msg_id, now, body)
    headers = {"webhook-id": msg_id, "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signature}

    first = gateway.post("/standard", body, headers)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "accepted"
    again = gateway.post("/standard", body, headers)
    assert again.json() == {"status": "duplicate", "id": first.json()["id"]}

    tampered = gateway.post("/standard", body.replace("call.ended", "call.started"), headers)
    assert tampered.status_code == 401 and tampered.json()["error"] == "invalid_signature"
    assert [e["idempotencyKey"] for e in gateway.events()] == [msg_id]


def test_stripe_library_signature_is_accepted_and_stale_ones_are_not(gateway_factory):
    gateway = gateway_factory(SOURCES)
    body = json.dumps({"id": f"evt_{uuid.uuid4().hex}", "object": "event", "type": "charge.succeeded"})
    header = stripe.WebhookSignature.generate_signature_header(body, STRIPE_SECRET)
    response = gateway.post("/stripe", body, {"Stripe-Signature": header})
    assert response.status_code == 200, response.text

    stale = stripe.WebhookSignature.generate_signature_header(body, STRIPE_SECRET, int(time.time()) - 301)
    refused = gateway.post("/stripe", body, {"Stripe-Signature": stale})
    assert refused.status_code == 401 and refused.json()["error"] == "timestamp_out_of_window"


def test_postern_sign_satisfies_the_senders_libraries():
    body = json.dumps({"id": "evt_1", "object": "event"})
    headers = sign("stripe", STRIPE_SECRET, body)
    stripe.WebhookSignature.verify_header(body, headers["Stripe-Signature"], STRIPE_SECRET, tolerance=300)

    headers = sign("standard-webhooks", STANDARD_SECRET, body, "--id", "msg_from_postern")
    verified = standardwebhooks.Webhook(STANDARD_SECRET).verify(body, headers)
    assert verified == json.loads(body)


def test_postern_sign_is_accepted_for_every_hmac_preset(gateway_factory):
    presets = ["cognigy-webhook", "cognigy-fulfillment", "genesys-hmac", "genesys-open-messaging",
               "standard-webhooks", "stripe", "github", "jambonz"]
    secrets = {p: secret("whsec_" + base64.b64encode(f"{p}-integration-secret".encode()).decode()) for p in presets}
    sources = "".join(
        f"  - {{name: {p}, path: /{p}, verify: {{preset: {p}, secrets: ['{secrets[p]}']}}, idempotencyKey: sha256}}\n"
        for p in presets)
    gateway = gateway_factory(sources)
    for preset in presets:
        body = json.dumps({"id": f"id-{preset}", "preset": preset})
        response = gateway.post(f"/{preset}", body, sign(preset, secrets[preset], body))
        assert response.status_code == 200, f"{preset}: {response.text}"
        wrong = gateway.post(f"/{preset}", body, sign(preset, "whsec_d3JvbmdzZWNyZXQ=", body))
        assert wrong.status_code == 401, preset
        assert wrong.json()["error"] == "invalid_signature", preset
    assert len(gateway.events()) == len(presets)

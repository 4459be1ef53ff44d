"""Every answer over real HTTP: refusals with their reason codes, limits counted while reading, the admin API."""

import json
import socket

import requests

from conftest import free_port, secret, sign

FLOW_SECRET = secret("flow-secret-for-answers")
SOURCES = f"""
  - name: flow
    path: /api/v1/cognigy/webhook
    verify: {{preset: cognigy-webhook, secrets: [{FLOW_SECRET}]}}
    schema: cognigy-flow-event
    idempotencyKey: body:/event_id
    onDuplicate: 409
    limits: {{maxBodyBytes: 4096}}
"""
PATH = "/api/v1/cognigy/webhook"


def test_refusals_are_json_with_reason_codes(gateway_factory):
    gateway = gateway_factory(SOURCES)
    body = json.dumps({"event_id": "e-1", "flow_name": "billing"})
    headers = sign("cognigy-webhook", FLOW_SECRET, body)
    forged = {**headers, "X-Cognigy-Webhook-Signature": "00" * 32}
    stale = sign("cognigy-webhook", FLOW_SECRET, body, "--timestamp", "1000000000")
    bad_schema = json.dumps({"event_id": "e-2", "flow": "x"})
    cases = [
        ("POST", "/elsewhere", body, {}, 404, "unknown_source"),
        ("PUT", PATH, body, headers, 405, "method_not_allowed"),
        ("POST", PATH, body, {}, 401, "missing_signature"),
        ("POST", PATH, body, forged, 401, "invalid_signature"),
        ("POST", PATH, body, stale, 401, "timestamp_out_of_window"),
        ("POST", PATH, "{nope", sign("cognigy-webhook", FLOW_SECRET, "{nope"), 400, "malformed_json"),
        ("POST", PATH, bad_schema, sign("cognigy-webhook", FLOW_SECRET, bad_schema), 422, "schema_violation"),
        ("POST", PATH, "x" * 5000, {}, 413, "body_too_large"),
    ]
    for method, path, data, hdrs, status, reason in cases:
        response = requests.request(method, gateway.url + path, data=data, headers=hdrs, timeout=10)
        assert response.status_code == status, (reason, response.text)
        assert response.headers["Content-Type"] == "application/json"
        assert response.json()["error"] == reason
        assert response.json()["message"]
    assert requests.post(gateway.url + PATH, data=bad_schema,
                         headers=sign("cognigy-webhook", FLOW_SECRET, bad_schema)).json()["message"].startswith("/flow: ")

    assert gateway.post(PATH, body, headers).status_code == 200
    duplicate = gateway.post(PATH, body, headers)
    assert duplicate.status_code == 409 and duplicate.json()["status"] == "duplicate"
    reasons = [line["reason"] for line in gateway.audit_lines()]
    assert reasons.count("accepted") == 1 and "schema_violation" in reasons and "unknown_source" in reasons


def test_a_chunked_body_over_the_limit_is_refused_while_reading(gateway_factory):
    gateway = gateway_factory(SOURCES)

    def chunks():
        for _ in range(64):
            yield b"x" * 1024

    response = requests.post(gateway.url + PATH, data=chunks(), timeout=10)
    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(gateway_factory):
    gateway = gateway_factory(SOURCES)
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=10) as connection:
        connection.sendall(f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n".encode())
        answer = connection.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 413")
    assert "body_too_large" in answer


def test_nesting_deeper_than_64_is_malformed(gateway_factory):
    gateway = gateway_factory(SOURCES)
    deep = '{"event_id":"deep","payload_data":{"x":' + "[" * 64 + "]" * 64 + "}}"
    response = gateway.post(PATH, deep, sign("cognigy-webhook", FLOW_SECRET, deep))
    assert response.status_code == 400 and response.json()["error"] == "malformed_json"


def test_admin_api_verify_summary_metrics(gateway_factory):
    gateway = gateway_factory(SOURCES)
    body = json.dumps({"event_id": "e-9"})
    auth = {"Authorization": "Bearer admin-token-it"}
    sample = {"headers": sign("cognigy-webhook", FLOW_SECRET, body), "body": body}
    verdict = requests.post(gateway.admin_url + "/admin/sources/flow/verify", json=sample, headers=auth).json()
    assert verdict["verdict"] == "verified" and verdict["idempotencyKey"] == "e-9"
    assert requests.post(gateway.admin_url + "/admin/sources/flow/verify", json=sample).status_code == 401
    assert gateway.events() == []

    gateway.post(PATH, body, sample["headers"])
    gateway.post(PATH, body, {})
    summary = requests.get(gateway.admin_url + "/admin/audit/summary", headers=auth).json()["sources"][0]
    assert (summary["verified"], summary["refused"]) == (1, 1)
    assert summary["lastRefusal"]["reason"] == "missing_signature"
    assert summary["posture"]["toleranceSeconds"] == 300
    metrics = requests.get(gateway.admin_url + "/metrics").text
    assert 'postern_requests_total{outcome="accepted",reason="accepted",source="flow"} 1' in metrics
    assert "postern_store_commit_batch_size_count" in metrics
    assert requests.get(gateway.admin_url + "/healthz").status_code == 200


def test_allowed_addresses_are_read_from_the_connection_over_ipv4_and_ipv6(gateway_factory):
    v6_port = free_port()
    sources = f"""
  - name: local
    path: /local
    verify: {{preset: cognigy-webhook, secrets: [{FLOW_SECRET}]}}
    allowIPs: [127.0.0.0/8, "::1/128"]
  - name: elsewhere
    path: /elsewhere
    verify: {{preset: cognigy-webhook, secrets: [{FLOW_SECRET}]}}
    allowIPs: [10.0.0.0/8, "2001:db8::/32"]
"""
    listen = f'listen:\n  - address: 127.0.0.1:PLAIN_PORT\n  - address: "[::1]:{v6_port}"\n'
    gateway = gateway_factory(sources, listen_yaml=listen)
    for base in (gateway.url, f"http://[::1]:{v6_port}"):
        for path, status in (("/local", 200), ("/elsewhere", 403)):
            body = json.dumps({"event_id": f"ip-{base}-{path}"})
            response = requests.post(base + path, data=body, headers=sign("cognigy-webhook", FLOW_SECRET, body), timeout=10)
            assert response.status_code == status, (base, path, response.text)
            if status == 403:
                assert response.json()["error"] == "ip_not_allowed"
    callers = sorted((line["source"], line["caller"]) for line in gateway.audit_lines() if "source" in line)
    assert callers == [("elsewhere", "0:0:0:0:0:0:0:1"), ("elsewhere", "127.0.0.1"),
                       ("local", "0:0:0:0:0:0:0:1"), ("local", "127.0.0.1")]

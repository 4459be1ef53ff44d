"""The adversarial pass's findings (issue 13), reproduced from outside against the real binary: none of these
requests or configurations may take the gateway down, let a replay in, lose an event or mislead the operator."""

import base64
import hashlib
import hmac
import json
import os
import socket
import sqlite3
import subprocess
import time

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import free_port, orders_source, postern, secret, sign

MIN_INT64 = "-9223372036854775808"
MAX_INT64 = "9223372036854775807"
TOKEN = secret("hardening-bearer-token")


def hmac_hex(key, message):
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def hmac_b64(key, message):
    return base64.b64encode(hmac.new(key.encode(), message, hashlib.sha256).digest()).decode()


TIMESTAMP_SOURCES = f"""
  - name: stripe
    path: /stripe
    verify: {{preset: stripe, secrets: [{secret("whsec_hardening-stripe")}]}}
  - name: fulfil
    path: /fulfil
    verify: {{preset: cognigy-fulfillment, secrets: [{secret("hardening-fulfil")}]}}
  - name: std
    path: /std
    verify: {{preset: standard-webhooks, secrets: ["whsec_{base64.b64encode(b'hardening-standard-webhooks-key!').decode()}"]}}
  - name: jambonz
    path: /jambonz
    verify: {{preset: jambonz, secrets: [{secret("hardening-jambonz")}]}}
  - name: genesys
    path: /genesys
    verify: {{preset: genesys-hmac, secrets: [{secret("hardening-genesys")}]}}
  - name: webhook
    path: /webhook
    verify: {{preset: cognigy-webhook, secrets: [{secret("hardening-webhook")}]}}
"""


def test_extreme_timestamps_are_refused_and_never_crash(gateway_factory):
    gateway = gateway_factory(TIMESTAMP_SOURCES)
    body = b'{"id":"evt_1","requestId":"r-1"}'
    for value in [MIN_INT64, MAX_INT64, "-1", "99999999999999999999", "1e300"]:
        attempts = [
            ("/stripe", {"Stripe-Signature": f"t={value},v1=00"}),
            ("/stripe", {"Stripe-Signature": f"t={value},v1={hmac_hex('whsec_hardening-stripe', value.encode() + b'.' + body)}"}),
            ("/fulfil", {"X-Cognigy-Timestamp": value, "X-Cognigy-Signature": hmac_b64("hardening-fulfil", body)}),
            ("/std", {"webhook-id": "msg_1", "webhook-timestamp": value, "webhook-signature": "v1,AAAA"}),
            ("/jambonz", {"Jambonz-Signature": f"t={value},v1={hmac_hex('hardening-jambonz', value.encode() + b'.' + body)}"}),
            ("/genesys", {"X-Genesys-Timestamp": value, "X-Genesys-Signature": hmac_b64("hardening-genesys", body)}),
            ("/webhook", {"X-Cognigy-Webhook-Timestamp": "0001-01-01T00:00:00Z",
                          "X-Cognigy-Webhook-Signature": hmac_hex("hardening-webhook", body)}),
        ]
        for path, headers in attempts:
            response = gateway.post(path, body, {"Content-Type": "application/json", **headers})
            assert response.status_code == 401, (path, value, response.text)
            assert response.json()["error"] in ("timestamp_out_of_window", "invalid_signature", "missing_signature"), response.text
            if "v1=00" not in str(headers) and "AAAA" not in str(headers):
                assert response.json()["error"] == "timestamp_out_of_window", (path, value, response.text)
        assert gateway.process.poll() is None, f"the gateway died on timestamp {value}"


def closed_within(connection, seconds):
    """Whether the server closes the connection (after a 408 or without a word) within the time."""
    deadline = time.monotonic() + seconds
    connection.settimeout(seconds)
    try:
        while time.monotonic() < deadline:
            if connection.recv(4096) == b"":
                return True
    except (socket.timeout, ConnectionResetError):
        return False
    return False


def test_the_admin_listener_has_deadlines_and_a_connection_cap(gateway_factory):
    gateway = gateway_factory(orders_source(TOKEN),
                              "connections: {headerTimeout: 1, bodyTimeout: 1, idleTimeout: 2, maxConnections: 3}\n")
    slow = []
    for _ in range(3):
        connection = socket.create_connection(("127.0.0.1", gateway.admin_port), timeout=10)
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")   # never finishes the head
        slow.append(connection)
    time.sleep(0.3)   # accepted one by one: a burst of connects can be accepted in one read, past the cap
    waiting = socket.create_connection(("127.0.0.1", gateway.admin_port), timeout=10)
    waiting.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    waiting.settimeout(0.5)
    with pytest.raises(socket.timeout):
        waiting.recv(100)   # over the cap: it waits in the backlog
    for connection in slow:
        assert closed_within(connection, 6), "a slow-header admin connection outlived the header deadline"
    waiting.settimeout(10)
    assert waiting.recv(4096).startswith(b"HTTP/1.1 200"), "the waiting connection is served once the slow ones are gone"
    idle = socket.create_connection(("127.0.0.1", gateway.admin_port), timeout=10)
    assert closed_within(idle, 6), "an idle admin connection outlived the deadlines"
    assert gateway.post("/orders", json.dumps({"id": "after-admin-flood"}),
                        {"Authorization": f"Bearer {TOKEN}"}).status_code == 200


UNSIGNED_TIMESTAMP = f"""
  - name: cognigy
    path: /cognigy
    verify: {{preset: cognigy-webhook, secrets: [{secret("hardening-unsigned-ts")}]}}
  - name: stripe
    path: /stripe
    verify: {{preset: stripe, secrets: [whsec_x]}}
"""


def test_unsigned_timestamps_are_called_what_they_are(gateway_factory, tmp_path):
    config = tmp_path / "retained.yaml"
    config.write_text(f"retention: 30d\nsources:{UNSIGNED_TIMESTAMP}")
    result = postern("check", "--config", str(config))
    assert result.returncode == 0, result.stderr.decode()
    warnings = result.stderr.decode()
    assert "warning: sources[0] (cognigy)" in warnings and "does not sign its timestamp" in warnings
    assert "stripe" not in warnings, "Stripe signs t= with the body"
    config.write_text(f"sources:{UNSIGNED_TIMESTAMP}")
    assert "warning" not in postern("check", "--config", str(config)).stderr.decode(), "no retention, no warning"

    gateway = gateway_factory(UNSIGNED_TIMESTAMP)
    summary = requests.get(gateway.admin_url + "/admin/audit/summary",
                           headers={"Authorization": "Bearer admin-token-it"}, timeout=10).json()
    posture = {entry["source"]: entry["posture"] for entry in summary["sources"]}
    assert posture["cognigy"]["timestampSigned"] is False
    assert "window" not in posture["cognigy"]["replayProtection"].split(":")[0]
    assert "not signed" in posture["cognigy"]["replayProtection"]
    assert posture["stripe"]["timestampSigned"] is True
    assert "timestamp window" in posture["stripe"]["replayProtection"]


def test_a_resent_github_delivery_with_a_fresh_id_is_a_duplicate(gateway_factory):
    gateway = gateway_factory(f"""
  - name: gh
    path: /gh
    verify: {{preset: github, secrets: [{secret("hardening-github")}]}}
""")
    body = '{"action":"opened","number":1}'
    headers = {**sign("github", "hardening-github", body), "Content-Type": "application/json"}
    first = gateway.post("/gh", body, headers)
    assert first.status_code == 200 and first.json()["status"] == "accepted", "postern sign's output is accepted"
    for delivery in ["d-1", "d-2", "d-3"]:
        again = gateway.post("/gh", body, {**headers, "X-GitHub-Delivery": delivery})
        assert again.json() == {"status": "duplicate", "id": first.json()["id"]}


def test_numeric_keys_keep_their_text(gateway_factory):
    gateway = gateway_factory(orders_source(TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    answers = [gateway.post("/orders", body, auth) for body in ['{"id":9007199254740993}', '{"id":9007199254740992}',
                                                                  '{"id":1e400}', '{"id":1e999}', '{"id":1' + "0" * 80 + "}"]]
    assert [a.json().get("status") for a in answers[:2]] == ["accepted", "accepted"]
    for refused in answers[2:]:
        assert refused.status_code == 422 and refused.json()["error"] == "schema_violation", refused.text
    keys = {event["idempotencyKey"] for event in gateway.events()}
    assert {"9007199254740993", "9007199254740992"} <= keys


def test_refused_requests_cannot_spend_the_senders_rate(gateway_factory):
    gateway = gateway_factory(f"""
  - name: limited
    path: /limited
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/id
    rateLimit: {{perSecond: 0.2, burst: 2}}
""", "trustedProxies: [127.0.0.1]\n")
    attacker = {"X-Forwarded-For": "203.0.113.66", "Authorization": "Bearer wrong"}
    sender = {"X-Forwarded-For": "198.51.100.7", "Authorization": f"Bearer {TOKEN}"}
    statuses = [gateway.post("/limited", '{"id":"x"}', attacker).status_code for _ in range(6)]
    assert statuses[:2] == [401, 401] and set(statuses[2:]) == {429}, statuses
    assert gateway.post("/limited", '{"id":"real-1"}', sender).status_code == 200
    assert gateway.post("/limited", '{"id":"real-2"}', sender).status_code == 200
    over = gateway.post("/limited", '{"id":"real-3"}', sender)
    assert over.status_code == 429 and over.json()["error"] == "rate_limited", "verified requests still spend the budget"


def test_strict_json_escapes_and_code_point_names(gateway_factory):
    gateway = gateway_factory(orders_source(TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    for body in ['{"id":"a","x":"\\u+041"}', '{"id":"b","x":"\\u-000"}']:
        response = gateway.post("/orders", body, auth)
        assert response.status_code == 400 and response.json()["error"] == "malformed_json", body
    nfc_nfd = '{"id":"c","caf\u00e9":1,"cafe\u0301":2}'.encode()
    assert gateway.post("/orders", nfc_nfd, auth).status_code == 200, "NFC and NFD names are two members"


def test_readiness_follows_the_store_and_start_refuses_a_read_only_store(gateway_factory, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], check=True)
    try:
        gateway = gateway_factory(orders_source(TOKEN), directory=disk)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert gateway.post("/orders", '{"id":"before"}', auth).status_code == 200
        subprocess.run(["dd", "if=/dev/zero", f"of={disk / 'filler'}", "bs=64k"], capture_output=True)
        statuses = [gateway.post("/orders", json.dumps({"id": f"full-{i}", "pad": "x" * 4000}), auth).status_code
                    for i in range(20)]
        assert 503 in statuses
        ready = requests.get(gateway.admin_url + "/readyz", timeout=10)
        assert ready.status_code == 503 and ready.json()["status"] == "store_unavailable"
        (disk / "filler").unlink()
        assert requests.get(gateway.admin_url + "/readyz", timeout=10).status_code == 200, "a commit succeeds again"
        gateway.stop()

        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = subprocess.run([str(gateway_binary()), "serve", "--config", str(gateway.config)],
                                capture_output=True, timeout=30)
        assert result.returncode != 0
        message = result.stderr.decode()
        assert str(disk / "events.db") in message and "read" in message.lower(), message
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def gateway_binary():
    from conftest import BINARY
    return BINARY


def test_values_that_once_crashed_serve_are_refused_by_check(tmp_path):
    schema = tmp_path / "huge.json"
    schema.write_text('{"type": "object", "properties": {"a": {"type": "string", "maxLength": 1e20}}}')
    config = tmp_path / "huge.yaml"
    config.write_text(f"""
connections: {{headerTimeout: 1e10, idleTimeout: 1e12}}
retention: 1e300d
sources:
  - name: s
    path: /s
    verify: {{preset: none}}
    schema: {schema}
    rateLimit: {{perSecond: 1e-300}}
""")
    result = postern("check", "--config", str(config))
    assert result.returncode == 2
    problems = result.stderr.decode()
    for path in ["connections.headerTimeout", "connections.idleTimeout", "retention", "sources[0].rateLimit.perSecond",
                 "sources[0].schema"]:
        assert path in problems, (path, problems)
    serve = subprocess.run([str(gateway_binary()), "serve", "--config", str(config)], capture_output=True, timeout=30)
    assert serve.returncode == 2 and "connections.headerTimeout" in serve.stderr.decode()


def test_text_output_escapes_control_characters(gateway_factory):
    gateway = gateway_factory(orders_source(TOKEN))
    body = json.dumps({"id": "evil\u001b]0;owned\u0007\u001b[2J"})
    assert gateway.post("/orders", body, {"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    result = postern("events", "list", "--config", str(gateway.config))
    assert result.returncode == 0
    assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout
    assert b"evil\\u{1B}]0;owned\\u{7}" in result.stdout


def two_common_names(directory, issuer):
    import pki
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cognigy-client"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "evil")])
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer.certificate.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(pki.NOW - pki.datetime.timedelta(days=1))
                   .not_valid_after(pki.NOW + pki.datetime.timedelta(days=30))
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
                   .add_extension(x509.SubjectAlternativeName([x509.RFC822Name("bot@cognigy.example"),
                                                               x509.UniformResourceIdentifier("cognigy.example")]),
                                  critical=False)
                   .sign(issuer.key, hashes.SHA256()))
    return pki.Issued(directory, "two-cns", certificate, key)


def test_mtls_names_match_exactly(gateway_factory, tmp_path):
    import http.client
    import ssl
    import pki
    directory = tmp_path / "pki"
    directory.mkdir()
    server_ca, client_ca = pki.authority(directory, "server-ca"), pki.authority(directory, "client-ca")
    server = pki.leaf(directory, "server", server_ca, server=True, sans=["127.0.0.1"])
    good = pki.leaf(directory, "cognigy-client", client_ca, sans=["cognigy.example"])
    evil = two_common_names(directory, client_ca)
    trusted = tmp_path / "client-cas"
    trusted.mkdir()
    (trusted / "ca.pem").write_bytes(client_ca.cert_path.read_bytes())
    tls_port = free_port()
    gateway = gateway_factory("""
  - name: by-cn
    path: /by-cn
    verify: {preset: none}
    allowedSubjects: [cognigy-client]
  - name: by-dns
    path: /by-dns
    verify: {preset: none}
    allowedSANs: [cognigy.example]
  - name: by-uri
    path: /by-uri
    verify: {preset: none}
    allowedSANs: ["uri:cognigy.example"]
""", listen_yaml=("listen:\n  - address: 127.0.0.1:PLAIN_PORT\n"
                  f"  - address: 127.0.0.1:{tls_port}\n"
                  f"    tls: {{certificate: {server.cert_path}, privateKey: {server.key_path}, clientCA: {trusted}}}\n"))

    def post(client, path):
        context = ssl.create_default_context(cafile=str(server_ca.cert_path))
        context.load_cert_chain(str(client.cert_path), str(client.key_path))
        connection = http.client.HTTPSConnection("127.0.0.1", tls_port, context=context, timeout=10)
        connection.request("POST", path, body="{}", headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")

    assert post(good, "/by-cn")[0] == 200 and post(good, "/by-dns")[0] == 200
    status, answer = post(evil, "/by-cn")
    assert status == 403 and answer["error"] == "client_cert_not_allowed"
    assert "CN=evil,CN=cognigy-client" in answer["message"], "the refusal names the subject it saw"
    status, answer = post(evil, "/by-dns")
    assert status == 403, "an e-mail or URI SAN is not a DNS name"
    assert post(evil, "/by-uri")[0] == 200, "a typed uri: entry matches the URI SAN"
    refused = [line for line in gateway.audit_lines() if line.get("status") == 403]
    assert refused and all(line.get("clientSubject") == "CN=evil,CN=cognigy-client" for line in refused)


def test_billion_laughs_is_refused_fast(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    lines.append("sources: [{name: s, path: /s, verify: {preset: none}, extra: *a9}]")
    config = tmp_path / "laughs.yaml"
    config.write_text("\n".join(lines) + "\n")
    assert len(config.read_bytes()) < 1500
    started = time.monotonic()
    result = postern("check", "--config", str(config))
    assert time.monotonic() - started < 10
    assert result.returncode == 2 and "aliases" in result.stderr.decode()


def test_loopback_is_decided_by_the_address(tmp_path):
    config = tmp_path / "admin.yaml"
    for listen, needs_token in [("127.attacker.example:9090", True), ("127.0.0.1:9090", False), ("localhost:9090", False),
                                ("[::1]:9090", False), ("0.0.0.0:9090", True)]:
        config.write_text(f"admin: {{listen: \"{listen}\"}}\nsources: [{{name: s, path: /s, verify: {{preset: none}}}}]\n")
        result = postern("check", "--config", str(config))
        assert (result.returncode == 2 and b"admin.token" in result.stderr) == needs_token, (listen, result.stderr)


def test_botocore_plus_in_a_query_is_accepted(gateway_factory):
    credentials = Credentials("AKIDPLUS", secret("hardening-plus-secret"))
    gateway = gateway_factory("""
  - name: cx
    path: /cx
    verify: {preset: cxone-sigv4, region: eu-west-1, credentials: [{accessKeyId: AKIDPLUS, secretAccessKey: hardening-plus-secret}]}
""")
    import http.client
    # botocore writes params form-encoded (a space as +) and signs them AWS-encoded (a space as %20).
    for params, event in [({"q": "a b"}, "plus-1"), ({"q": "a+b"}, "plus-2"), ({"a b": "c d", "x": "1"}, "plus-3")]:
        body = json.dumps({"eventId": event}).encode()
        request = AWSRequest(method="POST", url=f"{gateway.url}/cx", data=body, params=params,
                             headers={"Content-Type": "application/json"})
        SigV4Auth(credentials, "execute-api", "eu-west-1").add_auth(request)
        prepared = request.prepare()
        target = prepared.url.split(str(gateway.port), 1)[1]
        assert "+" in target or event == "plus-2", target
        connection = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=10)
        headers = {k: v for k, v in prepared.headers.items() if k.lower() != "content-length"}
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        assert response.status == 200, (params, target, response.read())
        connection.close()


@pytest.mark.parametrize("query", ["synchronous_commit=false", "synchronous_commit=0", "synchronous_commit=no",
                                   "options=-c%20synchronous_commit%3Doff"])
def test_check_refuses_the_store_urls_serve_refuses(tmp_path, query):
    config = tmp_path / "pg.yaml"
    config.write_text(f"store: postgres://postern@127.0.0.1:5432/postern?{query}\n"
                      "sources: [{name: s, path: /s, verify: {preset: none}}]\n")
    result = postern("check", "--config", str(config))
    assert result.returncode == 2 and b"store" in result.stderr, result.stderr


def test_malformed_forwarded_addresses_are_not_addresses(gateway_factory):
    gateway = gateway_factory("""
  - name: only-5
    path: /only-5
    verify: {preset: none}
    allowIPs: [127.0.0.5]
""", "trustedProxies: [127.0.0.1]\n")
    assert gateway.post("/only-5", "{}", {"X-Forwarded-For": "127.0.0.5"}).status_code == 200
    for forged in ["127.+0.+0.+5", "127.0.0.5%lo", "127.0.0.05", "0x7f.0.0.5"]:
        response = gateway.post("/only-5", "{}", {"X-Forwarded-For": forged})
        assert response.status_code == 403 and response.json()["error"] == "ip_not_allowed", forged


def test_an_unreachable_postgresql_fails_fast_naming_the_address(tmp_path):
    closed = free_port()
    config = tmp_path / "pg.yaml"
    for url, cause in [(f"postgres://postern@127.0.0.1:{closed}/postern?connect_timeout=3", "refused"),
                       (f"postgres://postern@192.0.2.1:5432/postern?connect_timeout=2", "")]:
        config.write_text(f"store: {url}\nsources: [{{name: s, path: /s, verify: {{preset: none}}}}]\n")
        for command in (["migrate"], ["serve"]):
            started = time.monotonic()
            result = subprocess.run([str(gateway_binary()), *command, "--config", str(config)], capture_output=True,
                                    timeout=60)
            assert result.returncode != 0
            assert time.monotonic() - started < 15
            message = result.stderr.decode()
            assert url.split("@")[1].split("/")[0] in message, message
            assert cause in message.lower(), message


def test_tls_required_of_a_server_without_it_fails_fast():
    url = os.environ.get("POSTERN_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("needs the test PostgreSQL server")
    import tempfile
    with tempfile.TemporaryDirectory() as directory:
        config = os.path.join(directory, "pg.yaml")
        with open(config, "w") as file:
            file.write(f"store: {url.replace('sslmode=disable', 'sslmode=require')}\n"
                       "sources: [{name: s, path: /s, verify: {preset: none}}]\n")
        result = subprocess.run([str(gateway_binary()), "migrate", "--config", config], capture_output=True, timeout=60)
        assert result.returncode != 0 and "cannot connect to PostgreSQL at 127.0.0.1" in result.stderr.decode()


def test_a_failed_start_names_the_address_and_delivers_nothing(gateway_factory, backend):
    gateway = gateway_factory(orders_source(TOKEN, "[crm]"), f"destinations: [{{name: crm, url: '{backend.url}/crm'}}]\n")
    answer = gateway.post("/orders", '{"id":"once"}', {"Authorization": f"Bearer {TOKEN}"}).json()
    backend.wait_for(lambda received: len(received) == 1)
    gateway.stop()
    delivered = len(backend.received())
    assert postern("replay", "--config", str(gateway.config), "--event", answer["id"]).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", gateway.port))
        taken.listen()
        result = subprocess.run([str(gateway_binary()), "serve", "--config", str(gateway.config)],
                                capture_output=True, timeout=30)
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{gateway.port}" in result.stderr.decode(), result.stderr.decode()
    time.sleep(0.5)
    assert len(backend.received()) == delivered, "a gateway that failed to start delivered the replayed event"


def test_read_only_commands_need_only_the_store(gateway_factory):
    gateway = gateway_factory(orders_source("${ORDERS_TOKEN}"), env={"ORDERS_TOKEN": TOKEN})
    event = gateway.post("/orders", '{"id":"r-1"}', {"Authorization": f"Bearer {TOKEN}"}).json()["id"]
    environment = {k: v for k, v in os.environ.items() if k != "ORDERS_TOKEN"}
    listed = postern("events", "list", "--config", str(gateway.config), "--json", env=environment)
    assert listed.returncode == 0, listed.stderr.decode()
    assert json.loads(listed.stdout.decode().splitlines()[0])["id"] == event
    assert postern("deliveries", "list", "--config", str(gateway.config), env=environment).returncode == 0
    unknown = postern("events", "list", "--config", str(gateway.config), "--source", "nope", env=environment)
    assert unknown.returncode == 1 and b'no source is named "nope"' in unknown.stderr
    missing = postern("deliveries", "attempts", "--config", str(gateway.config), "--event", "evt_nope", env=environment)
    assert missing.returncode == 1 and b"evt_nope" in missing.stderr
    no_deliveries = postern("deliveries", "list", "--config", str(gateway.config), "--event", "evt_nope", env=environment)
    assert no_deliveries.returncode == 1 and b"evt_nope" in no_deliveries.stderr


def test_replay_times_far_out_of_range_do_not_trap(gateway_factory):
    gateway = gateway_factory(orders_source(TOKEN))
    auth = {"Authorization": "Bearer admin-token-it"}
    for since in ["1e300", "-1e300", "nan", "9223372036854775807"]:
        answer = requests.post(gateway.admin_url + "/admin/replay", json={"source": "orders", "since": since},
                               headers=auth, timeout=10)
        assert answer.status_code in (200, 400), answer.text
    assert gateway.process.poll() is None
    assert gateway.post("/orders", '{"id":"after-replays"}', {"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_version_log_level_and_grammar(tmp_path):
    version = postern("--version")
    assert version.returncode == 0 and version.stdout.startswith(b"postern ")
    config = tmp_path / "one.yaml"
    config.write_text("sources: [{name: s, path: /s, verify: {preset: none}}]\n")
    loud = postern("check", "--config", str(config), env={**os.environ, "LOG_LEVEL": "loud"})
    assert loud.returncode != 0 and b"trace, debug, info" in loud.stderr
    assert postern("check", "--config", str(config), env={**os.environ, "LOG_LEVEL": "DEBUG"}).returncode == 0
    assert b"(1 source)" in postern("check", "--config", str(config)).stdout


def test_the_stored_verification_time_is_unix_time(gateway_factory):
    gateway = gateway_factory(TIMESTAMP_SOURCES)
    body = b'{"id":"evt_time"}'
    now = str(int(time.time()))
    signature = hmac_hex("whsec_hardening-stripe", now.encode() + b"." + body)
    assert gateway.post("/stripe", body, {"Stripe-Signature": f"t={now},v1={signature}"}).status_code == 200
    with sqlite3.connect(gateway.directory / "events.db") as db:
        (verification,) = db.execute("SELECT verification FROM events").fetchone()
    assert abs(json.loads(verification)["timestamp"] - int(now)) < 1

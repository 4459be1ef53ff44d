"""Requests signed by botocore, AWS's own Python signer, reach the real binary: accepted as signed, refused when
changed. Paths, queries and headers are generated to exercise the canonicalization rules."""

import hashlib
import http.client
import json
import random
import string
import urllib.parse
import uuid

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import secret

ACCESS_KEY = "AKIDPOSTERNTEST"
SECRET_KEY = secret("postern-sigv4-secret-access-key/with+symbols")
OLD_SECRET = secret("postern-sigv4-retired-secret")
REGION = "eu-central-1"
PATHS = ["/cxone/events", "/cxone/caf%C3%A9/a~b", "/cxone/with%20space", "/cxone/sub.dir/-_.ok"]

SOURCES = "".join(f"""
  - name: cxone-{index}
    path: {path}
    verify:
      preset: cxone-sigv4
      region: {REGION}
      credentials:
        - {{accessKeyId: AKIDRETIRED, secretAccessKey: "{OLD_SECRET}"}}
        - {{accessKeyId: {ACCESS_KEY}, secretAccessKey: "{SECRET_KEY}"}}
""" for index, path in enumerate(PATHS))

CREDENTIALS = Credentials(ACCESS_KEY, SECRET_KEY)
VALUE_ALPHABET = string.ascii_letters + string.digits + " +/=&%~-_.!*'()é€😀"


def random_text(rng, length):
    return "".join(rng.choice(VALUE_ALPHABET) for _ in range(length))


def random_query(rng):
    """Parameters AWS-encoded in the URL: repeated names, empty values, reserved and non-ASCII characters."""
    pairs = []
    for _ in range(rng.randint(0, 5)):
        name = rng.choice(["a", "B", "tenant", "x-y", "ü", random_text(rng, 3)])
        value = "" if rng.random() < 0.2 else random_text(rng, rng.randint(1, 8))
        pairs.append((name, value))
    return "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}" for k, v in pairs)


def random_headers(rng):
    headers = {"Content-Type": "application/json"}
    for index in range(rng.randint(0, 3)):
        words = [random_text(rng, 3).encode("ascii", "ignore").decode() or "w" for _ in range(3)]
        headers[f"X-Custom-{index}"] = "  " + "   ".join(words) + "  "
    if rng.random() < 0.5:
        headers["X-Amz-Meta-Trace"] = "trace  id"
    return headers


def send(gateway, method, url, headers, body):
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=10)
    # http.client sets Content-Length from the body; a stale one from the signer must not override it.
    headers = {name: value for name, value in headers.items() if name.lower() != "content-length"}
    connection.request(method, target, body=body, headers=headers)
    response = connection.getresponse()
    payload = json.loads(response.read() or b"{}")
    connection.close()
    return response.status, payload


def header_signed(gateway, path, query, headers, body):
    url = f"{gateway.url}{path}" + (f"?{query}" if query else "")
    request = AWSRequest(method="POST", url=url, data=body, headers=headers)
    SigV4Auth(CREDENTIALS, "execute-api", REGION).add_auth(request)
    prepared = request.prepare()
    return prepared.url, dict(prepared.headers), body


def test_botocore_header_signed_requests_are_accepted_and_tampered_ones_refused(gateway_factory):
    gateway = gateway_factory(SOURCES)
    rng = random.Random(20261125)
    for round_index in range(40):
        path = rng.choice(PATHS)
        query = random_query(rng)
        body = json.dumps({"eventId": f"evt-{uuid.uuid4()}", "round": round_index, "note": random_text(rng, 12)})
        url, headers, data = header_signed(gateway, path, query, random_headers(rng), body.encode())
        status, answer = send(gateway, "POST", url, headers, data)
        assert status == 200, (path, query, headers, answer)
        assert answer["status"] == "accepted"

        tampered_body = data.replace(b'"round"', b'"Round"')
        assert send(gateway, "POST", url, headers, tampered_body)[1]["error"] == "invalid_signature"
        if "?" in url:
            tampered_url = url + "x"
            assert send(gateway, "POST", tampered_url, headers, data)[0] == 401
        custom = [name for name in headers if name.startswith("X-Custom")]
        if custom:
            changed = {**headers, custom[0]: headers[custom[0]] + "x"}
            assert send(gateway, "POST", url, changed, data)[1]["error"] == "invalid_signature"


def test_botocore_policy_refusals_have_their_reasons(gateway_factory):
    gateway = gateway_factory(SOURCES)
    body = json.dumps({"eventId": "policy-1"}).encode()
    url, headers, data = header_signed(gateway, PATHS[0], "", {"Content-Type": "application/json"}, body)

    unknown = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("AKIDUNKNOWN", SECRET_KEY), "execute-api", REGION).add_auth(unknown)
    assert send(gateway, "POST", url, dict(unknown.prepare().headers), body)[1]["error"] == "unknown_access_key"

    other_region = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(CREDENTIALS, "execute-api", "us-east-1").add_auth(other_region)
    assert send(gateway, "POST", url, dict(other_region.prepare().headers), body)[1]["error"] == "credential_scope_mismatch"

    unsigned_amz = {**headers, "X-Amz-Target": "added-after-signing"}
    assert send(gateway, "POST", url, unsigned_amz, data)[1]["error"] == "unsigned_required_header"

    with_token = {**headers, "X-Amz-Security-Token": "session-token-added-after-signing"}
    assert send(gateway, "POST", url, with_token, data)[0] == 200

    declared = {"Content-Type": "application/json", "X-Amz-Content-Sha256": hashlib.sha256(body).hexdigest()}
    url2, headers2, _ = header_signed(gateway, PATHS[0], "", declared, json.dumps({"eventId": "policy-2"}).encode())
    assert send(gateway, "POST", url2, headers2, json.dumps({"eventId": "policy-2"}).encode())[1]["error"] == "payload_hash_mismatch"

    assert send(gateway, "POST", url, {"Content-Type": "application/json"}, data)[1]["error"] == "missing_signature"


def test_botocore_presigned_requests_are_accepted_and_tampered_ones_refused(gateway_factory):
    gateway = gateway_factory(SOURCES)
    rng = random.Random(7)
    for round_index in range(10):
        path = rng.choice(PATHS)
        body = json.dumps({"eventId": f"presigned-{round_index}"}).encode()
        query = random_query(rng)
        url = f"{gateway.url}{path}" + (f"?{query}" if query else "")
        request = AWSRequest(method="POST", url=url, headers={"X-Amz-Content-Sha256": hashlib.sha256(body).hexdigest()})
        SigV4QueryAuth(CREDENTIALS, "execute-api", REGION, expires=300).add_auth(request)
        prepared = request.prepare()
        status, answer = send(gateway, "POST", prepared.url, dict(prepared.headers), body)
        assert status == 200, (prepared.url, answer)

        tampered = prepared.url.replace("X-Amz-Expires=300", "X-Amz-Expires=301")
        assert send(gateway, "POST", tampered, dict(prepared.headers), body)[1]["error"] == "invalid_signature"
        assert send(gateway, "POST", prepared.url, dict(prepared.headers), body + b" ")[1]["error"] == "payload_hash_mismatch"

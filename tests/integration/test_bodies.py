"""Form, XML and raw bodies against the real binary: stored and forwarded byte for byte, fields read from forms,
XML with a DTD refused with nothing stored, and `idempotencyKey: none` keeping identical bodies as two events."""

import json

import requests

from conftest import secret

TOKEN = secret("bodies-bearer-token")
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def source(name, body, extra=""):
    return f"""
  - name: {name}
    path: /{name}
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    body: {body}
    destinations: [backend]
{extra}"""


def destination(url):
    return f"""destinations:
  - name: backend
    url: {url}
    timeout: 5
    retry: {{minDelay: 0.2, maxDelay: 1}}
"""


SCHEMA = '{"type": "object", "required": ["sessionId", "text"], "properties": {"text": {"type": "string", "minLength": 1}}}'


def test_a_form_body_is_read_into_fields_and_forwarded_byte_for_byte(gateway_factory, backend, tmp_path):
    (tmp_path / "form.schema.json").write_text(SCHEMA)
    gateway = gateway_factory(source("form", "form", "    schema: form.schema.json\n    idempotencyKey: body:/sessionId\n"),
                              destination(backend.url))
    # requests encodes a dict as application/x-www-form-urlencoded, as an HTTP client node does.
    first = requests.post(gateway.url + "/form", data={"sessionId": "s-1", "text": "Hello world!", "tag": ["a", "b"]},
                          headers=AUTH, timeout=10)
    assert first.status_code == 200 and first.json()["status"] == "accepted", first.text
    again = requests.post(gateway.url + "/form", data={"sessionId": "s-1", "text": "other"}, headers=AUTH, timeout=10)
    assert again.json() == {"id": first.json()["id"], "status": "duplicate"}

    missing = requests.post(gateway.url + "/form", data={"sessionId": "s-2"}, headers=AUTH, timeout=10)
    assert missing.status_code == 422 and missing.json()["error"] == "schema_violation"
    broken = requests.post(gateway.url + "/form", data=b"sessionId=s-3&text=%ZZ", timeout=10,
                           headers={**AUTH, "Content-Type": "application/x-www-form-urlencoded"})
    assert broken.status_code == 400 and broken.json()["error"] == "malformed_form", broken.text

    seen = backend.wait_for(lambda seen: len(seen) == 1)
    assert seen[0]["body"] == b"sessionId=s-1&text=Hello+world%21&tag=a&tag=b"
    assert seen[0]["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert [event["idempotencyKey"] for event in gateway.events()] == ["s-1"]


EXPERT_PAGE_CREATE = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                      b'<event type="Page_Create"><page id="42"><title>Billing &amp; refunds</title></page></event>')


def test_xml_is_checked_and_kept_and_a_dtd_is_refused_with_nothing_stored(gateway_factory, backend):
    gateway = gateway_factory(source("xml", "xml"), destination(backend.url))
    headers = {**AUTH, "Content-Type": "text/xml"}
    accepted = gateway.post("/xml", EXPERT_PAGE_CREATE, headers)
    assert accepted.status_code == 200, accepted.text
    billion_laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                      b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>')
    external = b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>'
    for body in [billion_laughs, external, b"<event><unclosed></event>", b"<event>&nbsp;</event>"]:
        refused = gateway.post("/xml", body, headers)
        assert refused.status_code == 400 and refused.json()["error"] == "malformed_xml", (body, refused.text)
        assert refused.headers["Content-Type"] == "application/json"
    seen = backend.wait_for(lambda seen: len(seen) == 1)
    assert seen[0]["body"] == EXPERT_PAGE_CREATE and seen[0]["headers"]["content-type"] == "text/xml"
    assert len(gateway.events()) == 1


def test_raw_bodies_pass_as_they_are_and_none_keeps_identical_bodies_apart(gateway_factory, backend):
    gateway = gateway_factory(source("raw", "raw", "    idempotencyKey: none\n"), destination(backend.url))
    payload = bytes(range(256)) + b"{not json<"
    headers = {**AUTH, "Content-Type": "application/octet-stream"}
    ids = [gateway.post("/raw", payload, headers).json()["id"] for _ in range(2)]
    assert ids[0] != ids[1]
    assert len(gateway.events()) == 2
    seen = backend.wait_for(lambda seen: len(seen) == 2)
    assert all(request["body"] == payload for request in seen)
    assert all(request["headers"]["content-type"] == "application/octet-stream" for request in seen)


def test_identical_json_bodies_are_two_events_on_a_none_source(gateway_factory, backend):
    gateway = gateway_factory(source("outputs", "json", "    idempotencyKey: none\n"), destination(backend.url))
    output = json.dumps({"userId": "u-1", "sessionId": "s-1", "text": "Yes", "data": {}})
    headers = {**AUTH, "Content-Type": "application/json"}
    first, second = (gateway.post("/outputs", output, headers) for _ in range(2))
    assert first.json()["status"] == second.json()["status"] == "accepted"
    assert first.json()["id"] != second.json()["id"]
    assert len(gateway.events()) == 2

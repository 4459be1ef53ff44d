"""JSON Schema draft 2020-12 through the real binary: a backend's schema with $defs, $ref, oneOf, pattern,
unevaluatedProperties and asserted formats decides what is stored, refusals name the instance pointer and the
keyword's schema pointer, and `postern schema check` answers offline exactly as the gateway does."""

import json

from conftest import postern, secret

TOKEN = secret("schema-bearer-token")
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://crm.example.com/schemas/contact-event.json",
    "$defs": {
        "channel": {"enum": ["voice", "chat", "email"]},
        "base": {"properties": {"eventId": {"type": "string", "pattern": "^evt-[0-9]+$"}, "at": {"format": "date-time"}},
                 "required": ["eventId", "at"]},
    },
    "$ref": "#/$defs/base",
    "properties": {
        "channel": {"$ref": "#/$defs/channel"},
        "priority": {"type": "integer", "minimum": 1, "maximum": 5},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "attributes": {"additionalProperties": {"type": "string"}},
    },
    "oneOf": [{"required": ["callId"], "properties": {"callId": {"type": "string"}}},
              {"required": ["chatId"], "properties": {"chatId": {"type": "string"}}}],
    "unevaluatedProperties": False,
}

GOOD = {"eventId": "evt-1", "at": "2026-12-02T10:00:00Z", "channel": "voice", "priority": 3.0, "callId": "c-1",
        "tags": ["vip"], "attributes": {"tier": "gold"}}


def test_a_2020_12_schema_decides_what_is_stored(gateway_factory, tmp_path):
    (tmp_path / "contact-event.schema.json").write_text(json.dumps(SCHEMA))
    gateway = gateway_factory(f"""
  - name: contacts
    path: /contacts
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    schema: contact-event.schema.json
    formatAssertion: true
    idempotencyKey: body:/eventId
""")
    assert gateway.post("/contacts", json.dumps(GOOD), AUTH).status_code == 200
    cases = [
        ({**GOOD, "eventId": "evt-2", "extra": 1}, "/extra: is not allowed here (at /unevaluatedProperties)"),
        ({**GOOD, "eventId": "evt-3", "chatId": "h-1"}, ": must match exactly one of the oneOf schemas, matches 0 and 1 (at /oneOf)"),
        ({**GOOD, "eventId": "evt-4", "attributes": {"tier": 1}}, "/attributes/tier: must be string, found integer (at /properties/attributes/additionalProperties/type)"),
        ({**GOOD, "eventId": "evt-5", "channel": "fax"}, "/channel: must be one of the allowed values (at /$defs/channel/enum)"),
        ({**GOOD, "eventId": "evt-6", "at": "yesterday"}, "/at: must be a valid date-time (at /$defs/base/properties/at/format)"),
        ({**GOOD, "eventId": "nope"}, "/eventId: must match the pattern ^evt-[0-9]+$ (at /$defs/base/properties/eventId/pattern)"),
        ({**GOOD, "eventId": "evt-7", "tags": ["a", "a"]}, "/tags: must have unique items; 0 and 1 are equal (at /properties/tags/uniqueItems)"),
    ]
    for body, message in cases:
        refused = gateway.post("/contacts", json.dumps(body), AUTH)
        assert refused.status_code == 422 and refused.json()["error"] == "schema_violation", refused.text
        assert refused.json()["message"].endswith(message), (refused.json()["message"], message)
    assert [event["idempotencyKey"] for event in gateway.events()] == ["evt-1"]


def test_schema_check_validates_samples_offline_with_the_gateways_messages(tmp_path):
    schema = tmp_path / "contact-event.schema.json"
    schema.write_text(json.dumps(SCHEMA))
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(GOOD))
    bad.write_text(json.dumps({**GOOD, "channel": "fax"}))
    result = postern("schema", "check", str(schema), str(good), str(bad))
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert lines[0].endswith(": ok") and lines[1] == f"{good}: valid"
    assert lines[2] == f"{bad}: 422 schema_violation: /channel: must be one of the allowed values (at /$defs/channel/enum)"
    assert postern("schema", "check", str(schema), str(good)).returncode == 0

    remote = tmp_path / "remote.json"
    remote.write_text(json.dumps({"$ref": "https://example.com/other.json"}))
    refused = postern("schema", "check", str(remote))
    assert refused.returncode == 2 and b"invalid schema at /$ref" in refused.stdout and b"remote references" in refused.stdout

"""Transformations against the real binary: a destination's `body:` template and header placeholders, from JSON
and form bodies, typed values, text, `#each`, the event's id, correlation id and time, and `check` naming a bad
placeholder by its key path."""

import datetime
import json

import pytest

from backend import Backend
from conftest import check_refuses, free_port, postern, secret
from test_postgres import BASE_URL, fresh_database

TOKEN = secret("transform-bearer-token")

DESTINATIONS = """destinations:
  - name: crm
    url: '{url}'
    headers: {{X-Session: "s-{{{{/sessionId}}}}", X-Event: "{{{{id}}}}", X-Evil: "{{{{/evil}}}}"}}
    body:
      text: "{{{{/data/text}}}}"
      priority: "{{{{/data/priority}}}}"
      vip: "{{{{/data/vip}}}}"
      missing: "{{{{/nowhere}}}}"
      summary: "Session {{{{/sessionId}}}}: {{{{/data/priority}}}}"
      event: {{id: "{{{{id}}}}", correlation: "{{{{correlationId}}}}", at: "{{{{receivedAt}}}}"}}
      lines:
        "{{{{#each /lines}}}}": {{said: "{{{{/text}}}}", by: "{{{{/from}}}}"}}
      fixed: [1, true, null, "plain"]
"""


def sources():
    return f"""
  - name: chats
    path: /chats
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/id
    destinations: [crm]
  - name: forms
    path: /forms
    body: form
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/id
    destinations: [crm]
"""


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_a_destination_gets_the_body_its_template_builds(gateway_factory, store):
    if store == "postgres" and not BASE_URL:
        pytest.skip("scripts/test starts PostgreSQL and sets POSTERN_TEST_POSTGRES_URL")
    backend = Backend()
    try:
        gateway = gateway_factory(sources(), DESTINATIONS.format(url=backend.url),
                                  store=fresh_database() if store == "postgres" else "sqlite:./events.db")
        event = {"id": "t-1", "sessionId": "abc", "evil": "a\r\nX-Injected: 1", "data": {"text": "hello", "priority": 4, "vip": True},
                 "lines": [{"text": "hi", "from": "customer"}, {"text": "hello", "from": "bot"}]}
        sent = gateway.post("/chats", json.dumps(event), {"Authorization": f"Bearer {TOKEN}",
                                                            "Content-Type": "application/json",
                                                            "X-Correlation-Id": "corr-7"})
        assert sent.status_code == 200, sent.text
        event_id = sent.json()["id"]
        form = gateway.post("/forms", "id=f-1&sessionId=xyz&lines=none",
                            {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-www-form-urlencoded"})
        assert form.status_code == 200, form.text

        seen = backend.wait_for(lambda seen: len(seen) == 2)
        by_session = {r["headers"]["x-session"]: r for r in seen}
        chat = by_session["s-abc"]
        assert chat["headers"]["content-type"] == "application/json"
        assert chat["headers"]["x-event"] == event_id
        assert chat["headers"]["x-evil"] == "a  X-Injected: 1" and "x-injected" not in chat["headers"]
        body = json.loads(chat["body"])
        at = body["event"].pop("at")
        assert body == {
            "text": "hello", "priority": 4, "vip": True, "missing": None, "summary": "Session abc: 4",
            "event": {"id": event_id, "correlation": "corr-7"},
            "lines": [{"said": "hi", "by": "customer"}, {"said": "hello", "by": "bot"}],
            "fixed": [1, True, None, "plain"],
        }
        received = datetime.datetime.fromisoformat(at.replace("Z", "+00:00"))
        assert abs((datetime.datetime.now(datetime.timezone.utc) - received).total_seconds()) < 60

        rendered = postern("template", "test", "--config", str(gateway.config), "--destination", "crm", "--event", event_id)
        assert rendered.returncode == 0, rendered.stderr.decode()
        lines = rendered.stdout.decode().splitlines()
        assert lines[:3] == ["X-Event: " + event_id, "X-Evil: a  X-Injected: 1", "X-Session: s-abc"]
        offline = json.loads(lines[3])
        offline["event"].pop("at")
        assert offline == body, "rendered offline as it was sent"
        unknown = postern("template", "test", "--config", str(gateway.config), "--destination", "nope", "--event", event_id)
        assert unknown.returncode != 0 and 'no destination is named "nope"' in unknown.stderr.decode()

        forms = json.loads(by_session["s-xyz"]["body"])
        assert forms["text"] is None and forms["lines"] == [], "a form's fields are strings; #each of a string is empty"
        assert forms["summary"] == "Session xyz: "
    finally:
        backend.close()


def test_check_names_a_bad_placeholder_by_key_path(tmp_path):
    path = tmp_path / "postern.yaml"
    path.write_text(f"""listen: 127.0.0.1:{free_port()}
store: sqlite:./events.db
destinations:
  - name: crm
    url: "http://127.0.0.1:9/hook"
    headers: {{X-A: "{{{{nope}}}}"}}
    body:
      a: "{{{{/ok}}}} {{{{body:/x}}}}"
      b: "{{{{/open"
      c: {{"{{{{#each lines}}}}": 1}}
sources:
{sources()}""")
    check_refuses(path, "destinations[0].headers.X-A: {{nope}} is not a placeholder",
                  "destinations[0].body.a: {{body:/x}} is not a placeholder",
                  "destinations[0].body.b: a placeholder is not closed",
                  "destinations[0].body.c: {{#each /pointer}} must be the only key")


def test_check_holds_templates_against_the_sources_schema(tmp_path):
    schema = tmp_path / "message.json"
    schema.write_text(json.dumps({
        "type": "object", "additionalProperties": False, "required": ["id"],
        "properties": {"id": {"type": "string"}, "text": {"type": "string"},
                       "lines": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                                           "properties": {"text": {"type": "string"}}}}}}))
    path = tmp_path / "postern.yaml"
    path.write_text(f"""listen: 127.0.0.1:{free_port()}
store: sqlite:./events.db
destinations:
  - name: crm
    url: "http://127.0.0.1:9/hook"
    headers: {{X-Text: "{{{{/txt}}}}"}}
    body:
      ok: "{{{{/text}}}}"
      typo: "{{{{/payload/text}}}}"
      lines: {{"{{{{#each /lines}}}}": {{fine: "{{{{/text}}}}", wrong: "{{{{/body}}}}"}}}}
  - name: raw
    url: "http://127.0.0.1:9/raw"
    body: {{text: "{{{{/text}}}}"}}
sources:
  - name: strict
    path: /strict
    verify: {{preset: none}}
    schema: {schema}
    idempotencyKey: body:/id
    destinations: [crm]
  - name: bytes
    path: /bytes
    verify: {{preset: none}}
    body: raw
    idempotencyKey: sha256
    destinations: [raw]
""")
    result = postern("check", "--config", str(path))
    problems = result.stderr.decode() + result.stdout.decode()
    assert result.returncode != 0
    for expected in ("destinations[0].headers.X-Text: {{/txt}} can never be in an event of source strict",
                     "destinations[0].body: {{/payload/text}} can never be in an event of source strict",
                     "destinations[0].body: {{/lines/0/body}} can never be in an event of source strict",
                     "destinations[1].body: {{/text}} needs a body with fields (json or form), but source bytes takes raw"):
        assert expected in problems, (expected, problems)
    for fine in ("{{/text}} can never", "{{/lines/0/text}}", "{{/lines}}"):
        assert fine not in problems, (fine, problems)

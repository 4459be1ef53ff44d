"""Answers a caller reads: a store-and-forward source's `answer` template with the event id (and the stored event's
id for a duplicate), and fulfillment answers of any JSON shape, as a jambonz call hook expects."""

import json
import xml.etree.ElementTree as ElementTree

import requests

from conftest import secret

TOKEN = secret("answer-template-token")
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


def test_an_answer_template_renders_the_event_id_and_a_duplicate_gets_the_stored_one(gateway_factory):
    gateway = gateway_factory(f"""
  - name: studio
    path: /studio
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/contactId
    answer:
      status: 201
      contentType: application/json
      body: '{{"ticket": "{{{{id}}}}", "contact": "{{{{body:/contactId}}}}", "said": "{{{{body:/text}}}}", "at": "{{{{receivedAt}}}}"}}'
  - name: expert
    path: /expert
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    body: xml
    idempotencyKey: none
    answer: {{status: 202, contentType: application/xml, body: '<ack id="{{{{id}}}}"/>'}}
""")
    text = 'He said "hi" \\ <b>'
    first = gateway.post("/studio", json.dumps({"contactId": "c-1", "text": text}), AUTH)
    assert first.status_code == 201 and first.headers["Content-Type"] == "application/json", first.text
    answer = first.json()
    stored = gateway.events()[0]["id"]
    assert answer["ticket"] == stored and answer["contact"] == "c-1" and answer["said"] == text
    assert answer["at"].endswith("Z")
    again = gateway.post("/studio", json.dumps({"contactId": "c-1", "text": "again"}), AUTH)
    assert again.status_code == 201 and again.json()["ticket"] == stored and again.json()["said"] == "again"

    xml_answer = gateway.post("/expert", "<event/>", {**AUTH, "Content-Type": "text/xml"})
    assert xml_answer.status_code == 202 and xml_answer.headers["Content-Type"] == "application/xml"
    assert ElementTree.fromstring(xml_answer.text).get("id") in {event["id"] for event in gateway.events()}


def test_a_fulfillment_source_answers_a_jambonz_hook_with_a_verb_array(gateway_factory):
    gateway = gateway_factory(f"""
  - name: hook
    path: /hook
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    mode: fulfillment
    idempotencyKey: body:/call_sid
    respond:
      fallbackAnswer: [{{verb: say, text: "Please hold."}}, {{verb: pause, length: 1}}]
""")
    response = gateway.post("/hook", json.dumps({"call_sid": "CA-1", "from": "+15550100"}), AUTH)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    assert response.json() == [{"verb": "say", "text": "Please hold."}, {"verb": "pause", "length": 1}]
    assert requests.post(gateway.url + "/hook", data="{}", headers=AUTH, timeout=10).status_code == 422

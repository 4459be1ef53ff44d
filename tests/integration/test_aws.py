"""AWS destinations against the real binary and moto's server mode: EventBridge PutEvents (read back through a rule
that targets a queue), SQS SendMessage (standard and FIFO, the ordering key as MessageGroupId and the event id as
MessageDeduplicationId, so a replay is deduplicated), and SNS Publish (read back through a queue subscription), each
read back with boto3. A local fake checks the signature with botocore's own SigV4 and that AWS error codes decide
the retry: throttling retried, validation dead-lettered with its code."""

import base64
import json
import pathlib
import shutil
import subprocess
import time

import boto3
import pytest
import requests
import yaml
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from backend import Backend, LoopbackServer, Sink
from conftest import free_port, orders_source, postern, secret
from fake_genesys import CLIENT_ID, CLIENT_SECRET, FakeGenesys
from test_postgres import BASE_URL, fresh_database

TOKEN = secret("aws-bearer-token")
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
REGION = "eu-west-1"
CREDENTIALS = {"accessKeyId": "AKIDPOSTERNTEST", "secretAccessKey": secret("aws-secret-access-key")}


@pytest.fixture(scope="module")
def moto():
    """moto's server mode on a loopback port, for the module's tests."""
    port = free_port()
    server = subprocess.Popen([shutil.which("moto_server") or "moto_server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(url + "/moto-api/", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    else:
        server.kill()
        raise RuntimeError("moto_server did not start in 30 s")
    yield url
    server.terminate()
    server.wait(timeout=10)


def client(moto, service):
    return boto3.client(service, endpoint_url=moto, region_name=REGION, aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def credentials_yaml():
    return "{" + ", ".join(f"{key}: {value}" for key, value in CREDENTIALS.items()) + "}"


def drain(sqs, queue_url, count, timeout=30, delete=True, **extra):
    """Receives until `count` messages came (deleting them unless told not to), or the timeout."""
    received = []
    deadline = time.monotonic() + timeout
    while len(received) < count and time.monotonic() < deadline:
        answer = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                     MessageAttributeNames=["All"], AttributeNames=["All"], **extra)
        for message in answer.get("Messages", []):
            received.append(message)
            if delete:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return received


def send(gateway, event_id, **fields):
    answer = gateway.post("/orders", json.dumps({"id": event_id, **fields}), HEADERS)
    assert answer.status_code == 200, answer.text
    return answer.json()["id"]


def deliveries(gateway):
    result = postern("deliveries", "list", "--config", str(gateway.config), "--json")
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_eventbridge_put_events_with_source_and_detail_type_from_the_event(gateway_factory, moto):
    events, sqs = client(moto, "events"), client(moto, "sqs")
    events.create_event_bus(Name="flows")
    sink = sqs.create_queue(QueueName="eventbridge-sink")["QueueUrl"]
    sink_arn = sqs.get_queue_attributes(QueueUrl=sink, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="everything", EventBusName="flows", EventPattern=json.dumps({"source": ["cognigy.flow"]}))
    events.put_targets(Rule="everything", EventBusName="flows", Targets=[{"Id": "sink", "Arn": sink_arn}])
    gateway = gateway_factory(orders_source(TOKEN, "[analytics]"), f"""destinations:
  - name: analytics
    type: eventbridge
    region: {REGION}
    endpoint: {moto}
    credentials: {credentials_yaml()}
    eventBusName: flows
    source: cognigy.flow
    detailType: "{{{{/type}}}}"
""")
    ids = [send(gateway, f"eb-{n}", type="message.created" if n % 2 == 0 else "session.ended", text=f"line {n}") for n in range(3)]
    received = drain(sqs, sink, 3)
    assert len(received) == 3, received
    envelopes = sorted((json.loads(m["Body"]) for m in received), key=lambda e: e["detail"]["id"])
    assert [e["detail"]["id"] for e in envelopes] == ["eb-0", "eb-1", "eb-2"]
    assert [e["detail-type"] for e in envelopes] == ["message.created", "session.ended", "message.created"]
    assert {e["source"] for e in envelopes} == {"cognigy.flow"} and envelopes[1]["detail"]["text"] == "line 1"
    assert {d["state"] for d in deliveries(gateway)} == {"delivered"} and len(ids) == 3


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_sqs_standard_and_fifo_queues_with_ordering_key_and_deduplicated_replays(gateway_factory, moto, store):
    if store == "postgres" and not BASE_URL:
        pytest.skip("scripts/test starts PostgreSQL and sets POSTERN_TEST_POSTGRES_URL")
    sqs = client(moto, "sqs")
    standard = sqs.create_queue(QueueName=f"everything-{store}")["QueueUrl"]
    fifo = sqs.create_queue(QueueName=f"conversations-{store}.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    gateway = gateway_factory(orders_source(TOKEN, "[queue, ordered]"), f"""destinations:
  - name: queue
    type: sqs
    queueUrl: {standard}
    region: {REGION}
    endpoint: {moto}
    credentials: {credentials_yaml()}
  - name: ordered
    type: sqs
    queueUrl: {fifo}
    region: {REGION}
    endpoint: {moto}
    credentials: {credentials_yaml()}
    ordering: {{key: body:/conversation}}
    body: {{conversation: "{{{{/conversation}}}}", line: "{{{{/text}}}}", event: "{{{{id}}}}"}}
""", store=fresh_database() if store == "postgres" else "sqlite:./events.db")
    ids = [send(gateway, f"q-{n}", conversation=f"conv-{n % 2}", text=f"line {n}") for n in range(6)]

    plain = drain(sqs, standard, 6)
    assert sorted(json.loads(m["Body"])["id"] for m in plain) == [f"q-{n}" for n in range(6)], "the raw body, as it came"
    by_id = {m["MessageAttributes"]["postern.eventId"]["StringValue"]: m for m in plain}
    assert set(by_id) == set(ids) and by_id[ids[0]]["MessageAttributes"]["postern.source"]["StringValue"] == "orders"

    # Kept in the queue (received, not deleted), so that SQS still holds their deduplication ids at the replay.
    ordered = drain(sqs, fifo, 6, delete=False, VisibilityTimeout=600)
    assert len(ordered) == 6
    groups = {}
    for message in ordered:
        body = json.loads(message["Body"])
        assert message["Attributes"]["MessageGroupId"] == body["conversation"]
        assert message["Attributes"]["MessageDeduplicationId"] == body["event"]
        groups.setdefault(body["conversation"], []).append(body["line"])
    assert groups == {"conv-0": ["line 0", "line 2", "line 4"], "conv-1": ["line 1", "line 3", "line 5"]}

    replayed = postern("replay", "--config", str(gateway.config), "--event", ids[0], "--destination", "ordered")
    assert replayed.returncode == 0, replayed.stderr.decode()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and {d["state"] for d in deliveries(gateway)} != {"delivered"}:
        time.sleep(0.2)
    assert {d["state"] for d in deliveries(gateway)} == {"delivered"}, "the replay was delivered again"
    counts = sqs.get_queue_attributes(QueueUrl=fifo, AttributeNames=["All"])["Attributes"]
    assert int(counts["ApproximateNumberOfMessages"]) + int(counts["ApproximateNumberOfMessagesNotVisible"]) == 6, \
        "SQS FIFO dropped the repeat: the same MessageDeduplicationId"


def test_sns_publish_reaches_a_subscribed_queue(gateway_factory, moto):
    sns, sqs = client(moto, "sns"), client(moto, "sqs")
    topic = sns.create_topic(Name="contact-center-events")["TopicArn"]
    inbox = sqs.create_queue(QueueName="sns-inbox")["QueueUrl"]
    inbox_arn = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=inbox_arn, Attributes={"RawMessageDelivery": "true"})
    gateway = gateway_factory(orders_source(TOKEN, "[fanout]"), f"""destinations:
  - name: fanout
    type: sns
    topicArn: {topic}
    endpoint: {moto}
    credentials: {credentials_yaml()}
""")
    ids = [send(gateway, f"sns-{n}", text="Grüße & <tags> + more") for n in range(2)]
    received = drain(sqs, inbox, 2)
    assert sorted(json.loads(m["Body"])["id"] for m in received) == ["sns-0", "sns-1"]
    assert {json.loads(m["Body"])["text"] for m in received} == {"Grüße & <tags> + more"}, "form-encoded intact"
    assert len(ids) == 2


def test_a_validation_error_is_dead_lettered_with_the_aws_code(gateway_factory, moto):
    sqs = client(moto, "sqs")
    missing = sqs.create_queue(QueueName="soon-gone")["QueueUrl"]
    sqs.delete_queue(QueueUrl=missing)
    gateway = gateway_factory(orders_source(TOKEN, "[gone]"), f"""destinations:
  - name: gone
    type: sqs
    queueUrl: {missing}
    region: {REGION}
    endpoint: {moto}
    credentials: {credentials_yaml()}
""")
    event = send(gateway, "lost-queue")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and deliveries(gateway)[0]["state"] != "dead":
        time.sleep(0.2)
    (dead,) = deliveries(gateway)
    assert (dead["event"], dead["state"], dead["attempts"]) == (event, "dead", 1), dead
    assert "AWS" in dead["lastError"] and ("NonExistentQueue" in dead["lastError"] or "QueueDoesNotExist" in dead["lastError"]), dead


class FakeSQS(LoopbackServer):
    """An SQS endpoint that checks each request's signature with botocore and answers from a script of
    (status, body) pairs, then 200."""

    def __init__(self, script, secret_key, session_token=None):
        self.script = list(script)
        self.requests = []
        self.secret_key, self.session_token = secret_key, session_token
        super().__init__()

    @property
    def url(self):
        return self.base_url

    def answer(self, path, headers, body):
        self.requests.append({"headers": dict(headers), "body": body, "signature_ok": self.signature_ok(headers, body)})
        status, answer = self.script.pop(0) if self.script else (200, {"MessageId": "m-1", "MD5OfMessageBody": "x"})
        return status, json.dumps(answer).encode()

    def signature_ok(self, headers, body):
        authorization = headers["Authorization"]
        signed_names = authorization.split("SignedHeaders=")[1].split(",")[0].split(";")
        access_key = authorization.split("Credential=")[1].split("/")[0]
        request = AWSRequest(method="POST", url=self.url + "/", data=body,
                             headers={name: headers[name] for name in signed_names})
        request.context["timestamp"] = headers["X-Amz-Date"]
        auth = SigV4Auth(Credentials(access_key, self.secret_key, self.session_token), "sqs", REGION)
        expected = auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)
        return authorization.endswith("Signature=" + expected)


def test_throttling_is_retried_and_credentials_come_from_the_environment(gateway_factory):
    token = secret("aws-session-token")
    fake = FakeSQS([(400, {"__type": "com.amazonaws.sqs#ThrottlingException", "message": "Rate exceeded"}),
                    (500, {"__type": "InternalFailure"})], secret_key="env-secret", session_token=token)
    try:
        gateway = gateway_factory(orders_source(TOKEN, "[queue]"), f"""destinations:
  - name: queue
    type: sqs
    queueUrl: https://sqs.{REGION}.amazonaws.com/123456789012/events
    endpoint: {fake.url}
    retry: {{minDelay: 0.05, maxDelay: 0.1}}
""", env={"AWS_ACCESS_KEY_ID": "AKIDFROMENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": token})
        event = send(gateway, "throttled")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and deliveries(gateway)[0]["state"] != "delivered":
            time.sleep(0.1)
        (delivered,) = deliveries(gateway)
        assert (delivered["state"], delivered["attempts"]) == ("delivered", 3), delivered
        assert all(r["signature_ok"] for r in fake.requests), "botocore computes the same signature"
        first = fake.requests[0]["headers"]
        assert first["X-Amz-Target"] == "AmazonSQS.SendMessage" and first["X-Amz-Security-Token"] == token
        assert "Credential=AKIDFROMENV/" in first["Authorization"]
        assert json.loads(fake.requests[0]["body"])["QueueUrl"].endswith("/123456789012/events")
        attempts = postern("deliveries", "attempts", "--config", str(gateway.config), "--event", event, "--json")
        errors = [json.loads(line).get("error") for line in attempts.stdout.decode().splitlines()]
        assert errors[0] == "HTTP 400 ThrottlingException" and errors[1] == "HTTP 500 InternalFailure" and errors[2] is None
        assert not any(token in line or "env-secret" in line for line in gateway.log.read_text().splitlines())
    finally:
        fake.close()


def test_check_names_a_bad_aws_destination_by_its_key_path(tmp_path):
    config = tmp_path / "postern.yaml"
    config.write_text(f"""sources:
{orders_source(TOKEN, "[a, b, c]")}
destinations:
  - {{name: a, type: sqs, queueUrl: not-a-url, credentials: {credentials_yaml()}}}
  - {{name: b, type: sns, topicArn: "arn:aws:sqs:x", credentials: {{accessKeyId: x}}}}
  - {{name: c, type: eventbridge, source: aws.fake, credentials: {credentials_yaml()}, queueUrl: x}}
""")
    result = postern("check", "--config", str(config), env={"PATH": "/usr/bin:/bin"})
    problems = result.stderr.decode() + result.stdout.decode()
    assert result.returncode != 0
    for expected in ("destinations[0].queueUrl: must be the queue's URL", "destinations[1].topicArn: must be a topic ARN",
                     "destinations[1].credentials.secretAccessKey: is required",
                     "destinations[2].source: must not start with aws.", "destinations[2].queueUrl: unknown key",
                     "destinations[2].region: is required (or set AWS_REGION)"):
        assert expected in problems, (expected, problems)


def test_the_contact_center_example_fans_one_cognigy_source_out(gateway_factory, moto):
    """examples/contact-center.yaml, as docs/delivery.md walks through it, with local stand-ins for each platform."""
    example = yaml.safe_load((pathlib.Path(__file__).parents[2] / "examples" / "contact-center.yaml").read_text())
    events, sqs = client(moto, "events"), client(moto, "sqs")
    events.create_event_bus(Name="contact-center")
    sink_queue = sqs.create_queue(QueueName="analytics-sink")["QueueUrl"]
    sink_arn = sqs.get_queue_attributes(QueueUrl=sink_queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="all", EventBusName="contact-center", EventPattern=json.dumps({"source": ["cognigy.endpoint"]}))
    events.put_targets(Rule="all", EventBusName="contact-center", Targets=[{"Id": "sink", "Arn": sink_arn}])
    crm, genesys, teams = Backend(), FakeGenesys(), Sink()
    try:
        gateway = gateway_factory(
            yaml.safe_dump(example["sources"]), yaml.safe_dump({k: example[k] for k in ("destinations", "alerts")}),
            env={"CRM_URL": crm.url, "GENESYS_API_BASE": genesys.api_base, "GENESYS_LOGIN_BASE": genesys.login_base,
                 "GENESYS_CLIENT_ID": CLIENT_ID, "GENESYS_CLIENT_SECRET": CLIENT_SECRET,
                 "GENESYS_INTEGRATION_ID": "integration-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                 "AWS_REGION": REGION, "AWS_ENDPOINT_URL": moto, "TEAMS_WEBHOOK_URL": teams.url})
        basic = "Basic " + base64.b64encode(b"cognigy:dev-cognigy-endpoint-password").decode()
        outputs = [{"userId": f"cust-{n % 2}", "sessionId": f"s-{n % 2}", "text": f"line {n}", "data": {"orderId": f"A-{n}"}}
                   for n in range(6)] + [{"userId": "cust-0", "sessionId": "s-0", "data": {"intent": "order.status"}}]
        for output in outputs:
            answer = gateway.post("/api/v1/cognigy/outputs", json.dumps(output), {"Authorization": basic, "Content-Type": "application/json"})
            assert answer.status_code == 200, answer.text

        crm_bodies = crm.wait_for(lambda seen: len(seen) == 7)
        assert sorted(json.loads(r["body"])["sessionId"] for r in crm_bodies).count("s-0") == 4, "the CRM gets every event, whole"
        assert crm_bodies[0]["headers"]["authorization"] == "Bearer dev-crm-token"

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(genesys.messages) < 6:
            time.sleep(0.05)
        by_customer = {}
        for _, body, _ in genesys.messages:
            assert "metadata" not in body["channel"], "the text only: none of the flow's data"
            by_customer.setdefault(body["channel"]["from"]["id"], []).append(body["text"])
        assert by_customer == {"cust-0": ["line 0", "line 2", "line 4"], "cust-1": ["line 1", "line 3", "line 5"]}, \
            "only outputs with text, each customer's in order"

        analytics = drain(sqs, sink_queue, 7)
        assert sorted(json.loads(m["Body"])["detail"].get("text", "-") for m in analytics) == ["-"] + [f"line {n}" for n in range(6)]
        assert {json.loads(m["Body"])["detail-type"] for m in analytics} == {"cognigy.output"}

        crm.set("status", 400)  # the CRM starts refusing: six dead letters raise the Teams alert
        for n in range(6):
            output = {"userId": "cust-9", "sessionId": f"s-9-{n}", "data": {}}
            gateway.post("/api/v1/cognigy/outputs", json.dumps(output), {"Authorization": basic, "Content-Type": "application/json"})
        (card,) = teams.wait_for(lambda got: len(got) >= 1, timeout=30)[:1]
        text = card["attachments"][0]["content"]["body"][0]["text"]
        assert text == "FIRING: dead-letters (crm)", text
    finally:
        for server in (crm, genesys, teams):
            server.close()

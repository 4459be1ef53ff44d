"""OpenTelemetry traces over OTLP/HTTP: a receiver in the test decodes the protobuf (opentelemetry-proto) and checks
one server span per request with verify, parse and commit children, continuing the caller's traceparent; one client
span per delivery attempt in the same trace, whose context the backend receives; event and delivery ids as
attributes, never a secret, a signature or a body; and nothing sent when `tracing:` is absent."""

import http.server
import json
import threading
import time

import pytest

from conftest import orders_source, secret
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

TOKEN = secret("traces-bearer-token")
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


class Receiver:
    """An OTLP/HTTP endpoint on loopback that keeps every span it is sent."""

    def __init__(self):
        self.spans = []
        self.content_types = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.content_types.append(self.headers["Content-Type"])
                request = ExportTraceServiceRequest()
                request.ParseFromString(body)
                for resource_spans in request.resource_spans:
                    service = {kv.key: kv.value.string_value for kv in resource_spans.resource.attributes}.get("service.name")
                    for scope in resource_spans.scope_spans:
                        for span in scope.spans:
                            receiver.spans.append((service, span))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/traces"

    def wait_for(self, predicate, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [span for service, span in self.spans if predicate(span)]
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"no such span among {[span.name for _, span in self.spans]}")

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def is_orders_request(span):
    # The test gateway's start-up probe (GET /) is traced too; these are the requests to the source.
    return span.kind == span.SPAN_KIND_SERVER and attributes(span).get("postern.source") == "orders"


def attributes(span):
    values = {}
    for kv in span.attributes:
        value = kv.value
        values[kv.key] = value.string_value if value.HasField("string_value") else value.int_value
    return values


def test_requests_and_deliveries_are_traced_in_the_callers_trace(gateway_factory, receiver, backend):
    gateway = gateway_factory(orders_source(TOKEN, destinations="[crm]"), extra_yaml=f"""
tracing: {{endpoint: {receiver.url}, serviceName: postern-it}}
destinations:
  - name: crm
    url: {backend.url}/orders
""")
    traceparent = f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"
    answer = gateway.post("/orders", '{"id": "t-1", "card": "card-number-4111-sentinel"}', {**AUTH, "traceparent": traceparent})
    assert answer.status_code == 200
    event_id = answer.json()["id"]

    (server,) = receiver.wait_for(is_orders_request)
    assert server.trace_id.hex() == CALLER_TRACE and server.parent_span_id.hex() == CALLER_SPAN
    assert server.name == "POST /orders"
    described = attributes(server)
    assert described["postern.event_id"] == event_id and described["postern.source"] == "orders"
    assert described["http.response.status_code"] == 200 and described["postern.reason"] == "accepted"
    children = {span.name: span for span in receiver.wait_for(
        lambda span: span.parent_span_id == server.span_id and span.kind == span.SPAN_KIND_INTERNAL)}
    assert {"verify", "parse", "commit"} <= set(children)
    for child in children.values():
        assert child.trace_id == server.trace_id
        assert server.start_time_unix_nano <= child.start_time_unix_nano <= child.end_time_unix_nano <= server.end_time_unix_nano

    (attempt,) = receiver.wait_for(lambda span: span.kind == span.SPAN_KIND_CLIENT)
    assert attempt.name == "deliver crm" and attempt.trace_id.hex() == CALLER_TRACE
    assert attempt.parent_span_id == server.span_id  # continues from the request that stored the event
    assert attributes(attempt)["postern.event_id"] == event_id and attributes(attempt)["http.response.status_code"] == 200
    assert attributes(attempt)["postern.delivery_id"] >= 1 and attributes(attempt)["postern.attempt"] == 1
    # The backend received the attempt span's own context.
    deadline = time.monotonic() + 10
    while not backend.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    sent = {name.lower(): value for name, value in backend.requests[0]["headers"].items()}
    assert sent["traceparent"] == f"00-{CALLER_TRACE}-{attempt.span_id.hex()}-01"

    assert set(receiver.content_types) == {"application/x-protobuf"}
    everything = json.dumps([str(span) for _, span in receiver.spans])
    for forbidden in [TOKEN, "Bearer", "card-number-4111-sentinel", "card"]:  # a bare "4111" can occur in a nanosecond time
        assert forbidden not in everything
    assert {service for service, _ in receiver.spans} == {"postern-it"}


def test_a_request_without_traceparent_starts_a_trace_and_refusals_are_traced(gateway_factory, receiver):
    gateway = gateway_factory(orders_source(TOKEN), extra_yaml=f"tracing: {{endpoint: {receiver.url}}}\n")
    assert gateway.post("/orders", '{"id": "t-2"}', {"Authorization": "Bearer wrong"}).status_code == 401
    (server,) = receiver.wait_for(is_orders_request)
    assert len(server.trace_id) == 16 and server.parent_span_id == b""
    assert attributes(server)["postern.reason"] == "invalid_credentials"
    assert attributes(server)["http.response.status_code"] == 401
    assert [span.name for span in receiver.wait_for(lambda span: span.parent_span_id == server.span_id)] == ["verify"]


def test_nothing_is_sent_without_tracing(gateway_factory, receiver):
    gateway = gateway_factory(orders_source(TOKEN))
    assert gateway.post("/orders", '{"id": "t-3"}', {**AUTH, "traceparent": f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"}).status_code == 200
    time.sleep(2)
    assert receiver.spans == []

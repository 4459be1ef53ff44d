"""The webhook listener's HTTP/1.1 as a client on a raw socket sees it, against the real binary: keep-alive,
pipelined requests answered in order, and request smuggling refused — a body framed two ways, two lengths, an
unknown transfer coding, a broken chunk, a header with space before its colon — with nothing stored from any of
them. These hold whatever serves the listener."""

import email.utils
import json
import socket
import time

import pytest

from conftest import secret

TOKEN = secret("transport-bearer-token")
SOURCE = f"""
  - name: hook
    path: /hook
    verify: {{preset: bearer, secrets: [{TOKEN}]}}
    idempotencyKey: body:/id
"""


def request(body, *, extra="", framing=None):
    framing = framing if framing is not None else f"Content-Length: {len(body)}\r\n"
    return (f"POST /hook HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n"
            f"{framing}{extra}\r\n").encode() + body.encode()


def read_answers(connection, count, timeout=10):
    """Up to `count` whole answers (status, headers, body) read off the socket, and whether it closed first."""
    connection.settimeout(timeout)
    data, answers = b"", []
    while len(answers) < count:
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return answers, True
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip() for line in lines[1:]}
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = connection.recv(65536)
            if not chunk:
                return answers, True
            rest += chunk
        answers.append((int(lines[0].split()[1]), headers, rest[:length]))
        data = rest[length:]
    return answers, False


def stored(gateway):
    return [event["idempotencyKey"] for event in gateway.events()]


def test_keep_alive_and_pipelined_requests_are_answered_in_order(gateway_factory):
    gateway = gateway_factory(SOURCE)
    with socket.create_connection(("127.0.0.1", gateway.port)) as connection:
        connection.sendall(request(json.dumps({"id": "k-1"})))
        (status, headers, body), = read_answers(connection, 1)[0]
        assert status == 200 and json.loads(body)["status"] == "accepted"
        sent = email.utils.parsedate_to_datetime(headers["date"])  # RFC 9110 §6.6.1: an origin server sends Date
        assert abs(sent.timestamp() - time.time()) < 5
        time.sleep(0.2)
        # Three requests in one write, the middle one refused: three answers, in the order asked.
        connection.sendall(request(json.dumps({"id": "p-1"})) + request("{}", extra="X-Unused: 1\r\n").replace(
            f"Bearer {TOKEN}".encode(), b"Bearer wrong") + request(json.dumps({"id": "p-1"})))
        answers, closed = read_answers(connection, 3)
        assert [status for status, _, _ in answers] == [200, 401, 200] and not closed
        assert [json.loads(body)["status" if status == 200 else "error"] for status, _, body in answers] == \
            ["accepted", "invalid_credentials", "duplicate"]
        connection.sendall(request(json.dumps({"id": "k-2"})))
        assert read_answers(connection, 1)[0][0][0] == 200, "the connection is still open"
    assert sorted(stored(gateway)) == ["k-1", "k-2", "p-1"]


SMUGGLED = {
    "content-length and chunked": "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
    "two content-lengths": "Content-Length: 2\r\nContent-Length: 40\r\n",
    "an unknown transfer coding": "Transfer-Encoding: gzip\r\n",
    "chunked not last": "Transfer-Encoding: chunked, gzip\r\n",
    "space before the colon": "Content-Length : 2\r\n",
    "a folded header": "Content-Length: 2\r\nX-Folded: a\r\n b\r\n",
}


@pytest.mark.parametrize("name", list(SMUGGLED))
def test_a_body_framed_ambiguously_is_refused_and_nothing_is_stored(gateway_factory, name):
    gateway = gateway_factory(SOURCE)
    smuggled = request(json.dumps({"id": "inner"}))
    body = "0\r\n\r\n" + smuggled.decode() if "chunked" in SMUGGLED[name] else "{}" + smuggled.decode()
    with socket.create_connection(("127.0.0.1", gateway.port)) as connection:
        connection.sendall(request(body, framing=SMUGGLED[name]))
        answers, closed = read_answers(connection, 2, timeout=5)
    assert answers and answers[0][0] == 400, (name, answers)
    assert closed and len(answers) == 1, "the connection closes: nothing after the ambiguous framing is read as a request"
    assert stored(gateway) == []


def test_a_broken_chunk_is_refused(gateway_factory):
    gateway = gateway_factory(SOURCE)
    with socket.create_connection(("127.0.0.1", gateway.port)) as connection:
        connection.sendall(request("zz\r\n{}\r\n0\r\n\r\n", framing="Transfer-Encoding: chunked\r\n"))
        answers, closed = read_answers(connection, 2, timeout=5)
    assert [status for status, _, _ in answers] == [400] and closed
    assert stored(gateway) == []


def test_a_chunked_body_within_the_limit_is_stored_whole(gateway_factory):
    gateway = gateway_factory(SOURCE)
    body = json.dumps({"id": "c-1", "text": "x" * 3000})
    chunked = "".join(f"{len(body[i:i + 1000]):x}\r\n{body[i:i + 1000]}\r\n" for i in range(0, len(body), 1000)) + "0\r\n\r\n"
    with socket.create_connection(("127.0.0.1", gateway.port)) as connection:
        connection.sendall(request(chunked, framing="Transfer-Encoding: chunked\r\n"))
        (status, _, _), = read_answers(connection, 1)[0]
    assert status == 200 and stored(gateway) == ["c-1"]


def test_an_idle_keep_alive_connection_is_closed_at_the_idle_timeout(gateway_factory):
    gateway = gateway_factory(SOURCE, "connections: {headerTimeout: 5, bodyTimeout: 5, idleTimeout: 1}\n")
    with socket.create_connection(("127.0.0.1", gateway.port)) as connection:
        connection.sendall(request(json.dumps({"id": "i-1"})))
        assert read_answers(connection, 1)[0][0][0] == 200
        started = time.monotonic()
        connection.settimeout(5)
        assert connection.recv(1) == b"", "closed by the gateway"
        assert 0.8 < time.monotonic() - started < 3

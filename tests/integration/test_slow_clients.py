"""Slow and abusive connections: a slowloris client cannot hold a connection past the header timeout, a stalled
body is cut at the body timeout, normal traffic goes on meanwhile, and keep-alive connections may idle."""

import concurrent.futures
import socket
import time


SOURCES = "  - {name: open, path: /open, verify: {preset: none}}\n"
LIMITS = "connections: {headerTimeout: 1, bodyTimeout: 1, idleTimeout: 30}\n"


def closed_after(connection, drip=None, limit=5.0):
    """Seconds until the server closes the connection, dripping `drip` bytes every 0.2 s meanwhile."""
    started = time.monotonic()
    connection.settimeout(0.2)
    while time.monotonic() - started < limit:
        try:
            if drip:
                connection.sendall(drip)
            if connection.recv(4096) == b"":
                return time.monotonic() - started
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - started
    return None


def test_slowloris_is_cut_at_the_header_timeout_while_others_are_served(gateway_factory):
    gateway = gateway_factory(SOURCES, extra_yaml=LIMITS)
    slow = []
    for _ in range(20):
        connection = socket.create_connection(("127.0.0.1", gateway.port))
        connection.sendall(b"POST /open HTTP/1.1\r\nHost: x\r\n")
        slow.append(connection)

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda n: gateway.post("/open", f'{{"n": {n}}}').status_code, range(40)))
    assert answers == [200] * 40

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        durations = list(pool.map(lambda c: closed_after(c, drip=b"X-Drip: a\r\n"), slow))
    assert all(d is not None and d < 3 for d in durations), durations


def test_a_stalled_body_is_cut_at_the_body_timeout(gateway_factory):
    gateway = gateway_factory(SOURCES, extra_yaml=LIMITS)
    with socket.create_connection(("127.0.0.1", gateway.port)) as connection:
        connection.sendall(b"POST /open HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":")
        duration = closed_after(connection)
    assert duration is not None and 0.5 < duration < 3


def test_keep_alive_connections_may_idle_past_the_header_timeout(gateway_factory):
    gateway = gateway_factory(SOURCES, extra_yaml=LIMITS)
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=5) as connection:
        for body in (b"{}", b'{"again":true}'):
            connection.sendall(b"POST /open HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            assert connection.recv(4096).startswith(b"HTTP/1.1 200"), "the same connection answers again"
            time.sleep(1.6)

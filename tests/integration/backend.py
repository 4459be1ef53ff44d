"""Servers on loopback for delivery tests: a backend that answers as the test says (200 with a JSON body, any status,
a hang), switchable while the gateway runs, and records every request it receives; and a sink for notices (alerts)
that fails its first requests as told. Both stand on `LoopbackServer`."""

import http.server
import json
import threading
import time


class LoopbackServer:
    """An HTTP server on a loopback port that answers each POST with what `answer(path, headers, body)` returns: a
    status and a JSON payload (bytes)."""

    def __init__(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, payload = server.answer(self.path, self.headers, body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path, headers, body):
        raise NotImplementedError

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def url(self):
        return self.base_url + "/hook"

    def wait_until(self, read, predicate, timeout):
        """Waits until what `read()` returns satisfies the predicate; returns it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = read()
            if predicate(seen):
                return seen
            time.sleep(0.05)
        raise AssertionError(f"{type(self).__name__} did not see what was expected in {timeout} s: {read()}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Backend(LoopbackServer):
    def __init__(self, verify=None):
        self.behaviour = ("ok", {"ok": True})
        self.requests = []
        self.verify = verify
        self.lock = threading.Lock()
        super().__init__()

    def answer(self, path, headers, body):
        record = {"at": time.monotonic(), "path": path, "headers": {k.lower(): v for k, v in headers.items()}, "body": body}
        if self.verify:
            record["verified"] = self.verify(body, record["headers"])
        with self.lock:
            self.requests.append(record)
            behaviour = self.behaviour
        kind = behaviour[0]
        if kind == "hang":
            time.sleep(behaviour[1])
            kind, behaviour = "ok", ("ok", {"late": True})
        status, payload = (200, json.dumps(behaviour[1]).encode()) if kind == "ok" else (behaviour[1], b'{"error":"test backend says no"}')
        record["answered"] = status
        return status, payload

    def set(self, *behaviour):
        with self.lock:
            self.behaviour = behaviour

    def received(self):
        with self.lock:
            return list(self.requests)

    def wait_for(self, predicate, timeout=15):
        """Waits until the received requests satisfy the predicate; returns them."""
        return self.wait_until(self.received, predicate, timeout)


class Sink(LoopbackServer):
    """An incoming webhook that records each JSON body it takes; it answers 503 to the first `failing` requests."""

    def __init__(self, failing=0):
        self.bodies = []
        self.failing = failing
        self.lock = threading.Lock()
        super().__init__()

    def answer(self, path, headers, body):
        with self.lock:
            fail = self.failing > 0
            self.failing -= 1 if fail else 0
            if not fail:
                self.bodies.append(json.loads(body))
        return (503 if fail else 200), b"{}"

    def received(self):
        with self.lock:
            return list(self.bodies)

    def wait_for(self, predicate, timeout=20):
        return self.wait_until(self.received, predicate, timeout)

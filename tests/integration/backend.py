"""A backend on loopback for delivery tests: answers as the test says (200 with a JSON body, any status, a hang),
switchable while the gateway runs, and records every request it receives; and a sink for notices (alerts) that
fails its first requests as told."""

import http.server
import json
import threading
import time


class Backend:
    def __init__(self, verify=None):
        self.behaviour = ("ok", {"ok": True})
        self.requests = []
        self.verify = verify
        self.lock = threading.Lock()
        backend = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                record = {"at": time.monotonic(), "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                if backend.verify:
                    record["verified"] = backend.verify(body, record["headers"])
                with backend.lock:
                    backend.requests.append(record)
                    behaviour = backend.behaviour
                kind = behaviour[0]
                if kind == "hang":
                    time.sleep(behaviour[1])
                    kind, behaviour = "ok", ("ok", {"late": True})
                if kind == "ok":
                    self.answer(200, json.dumps(behaviour[1]).encode(), record)
                else:
                    self.answer(behaviour[1], b'{"error":"test backend says no"}', record)

            def answer(self, status, payload, record):
                record["answered"] = status
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

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def set(self, *behaviour):
        with self.lock:
            self.behaviour = behaviour

    def received(self):
        with self.lock:
            return list(self.requests)

    def wait_for(self, predicate, timeout=15):
        """Waits until the received requests satisfy the predicate; returns them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            received = self.received()
            if predicate(received):
                return received
            time.sleep(0.05)
        raise AssertionError(f"the backend did not see what was expected in {timeout} s: {self.received()}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Sink:
    """An incoming webhook that records each JSON body it takes; it answers 503 to the first `failing` requests."""

    def __init__(self, failing=0):
        self.bodies = []
        self.failing = failing
        self.lock = threading.Lock()
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                with sink.lock:
                    fail = sink.failing > 0
                    sink.failing -= 1 if fail else 0
                    if not fail:
                        sink.bodies.append(body)
                self.send_response(503 if fail else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def received(self):
        with self.lock:
            return list(self.bodies)

    def wait_for(self, predicate, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.received()):
                return self.received()
            time.sleep(0.05)
        raise AssertionError(f"the sink did not see what was expected in {timeout} s: {self.received()}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()

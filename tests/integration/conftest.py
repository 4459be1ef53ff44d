"""Integration harness: runs the real `postern` binary on loopback with configurations written per test."""

import json
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import requests

from backend import Backend

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("POSTERN_BIN", ROOT / ".build" / "debug" / "postern"))

# Every secret a test hands to a gateway, and every gateway's audit and log files: the last test greps the
# whole suite's output for the secrets and must find none.
SECRETS_USED = set()
OUTPUT_DIR = pathlib.Path(tempfile.mkdtemp(prefix="postern-it-output-"))


def secret(value):
    """Registers a secret so the final audit check looks for it."""
    SECRETS_USED.add(value)
    return value


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postern(*args, stdin=None, env=None):
    """Runs a `postern` subcommand and returns the completed process."""
    return subprocess.run([str(BINARY), *args], input=stdin, capture_output=True, env=env, timeout=60)


class Gateway:
    """One `postern serve` process with its own config, store, audit file and ports."""

    def __init__(self, directory, sources_yaml, extra_yaml="", listen_yaml=None, port=None, store="sqlite:./events.db",
                 admin_tokens=""):
        self.directory = pathlib.Path(directory)
        self.port = port or free_port()
        self.admin_port = free_port()
        self.config = self.directory / "postern.yaml"
        index = len(list(OUTPUT_DIR.iterdir()))
        self.audit = OUTPUT_DIR / f"audit-{index}.jsonl"
        self.log = OUTPUT_DIR / f"log-{index}.txt"
        self.config.write_text(
            f"{(listen_yaml or 'listen: 127.0.0.1:PLAIN_PORT').replace('PLAIN_PORT', str(self.port))}\n"
            f"admin: {{listen: 127.0.0.1:{self.admin_port}, token: {secret('admin-token-it')}"
            f"{', tokens: ' + admin_tokens if admin_tokens else ''}}}\n"
            f"store: {store}\n"
            f"audit: {{output: {self.audit}}}\n"
            f"{extra_yaml}"
            f"sources:\n{sources_yaml}"
        )
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin_url(self):
        return f"http://127.0.0.1:{self.admin_port}"

    def start(self, env=None):
        log = open(self.log, "ab")
        self.process = subprocess.Popen(
            [str(BINARY), "serve", "--config", str(self.config)], stdout=log, stderr=log,
            env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"postern exited with {self.process.returncode}: {self.log.read_text()}")
            try:
                if requests.get(self.admin_url + "/readyz", timeout=2).status_code == 200:
                    requests.get(self.url + "/", timeout=2)
                    return self
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or a busy machine slow to answer the first request: ask again
            time.sleep(0.1)
        raise RuntimeError("postern did not become ready in 30 s")

    def post(self, path, body, headers=None, **kwargs):
        data = body.encode() if isinstance(body, str) else body
        return requests.post(self.url + path, data=data, headers=headers or {}, timeout=30, **kwargs)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=timeout)
        return self.process.returncode

    def events(self):
        result = postern("events", "list", "--config", str(self.config), "--json", "--limit", "1000000")
        assert result.returncode == 0, result.stderr.decode()
        return [json.loads(line) for line in result.stdout.decode().splitlines() if line.strip()]

    def audit_lines(self):
        if not self.audit.exists():
            return []
        return [json.loads(line) for line in self.audit.read_text().splitlines() if line.strip()]


@pytest.fixture
def gateway_factory(tmp_path):
    started = []

    def make(sources_yaml, extra_yaml="", env=None, directory=None, listen_yaml=None, port=None, store="sqlite:./events.db",
             admin_tokens=""):
        gateway = Gateway(directory or tmp_path, sources_yaml, extra_yaml, listen_yaml, port, store, admin_tokens)
        started.append(gateway)
        return gateway.start(env)

    yield make
    for gateway in started:
        gateway.stop(signal.SIGKILL)


@pytest.fixture
def backend():
    """A local delivery target (backend.py), closed after the test."""
    server = Backend()
    yield server
    server.close()


def check_refuses(path, *expected):
    """Runs `postern check` on a configuration file, which must be refused with each of the expected problems."""
    result = postern("check", "--config", str(path))
    problems = result.stderr.decode() + result.stdout.decode()
    assert result.returncode != 0
    for problem in expected:
        assert problem in problems, (problem, problems)


def orders_source(token, destinations="[]"):
    """A bearer-token source at /orders keyed by the body's `id`, its events queued for `destinations`."""
    return f"""
  - name: orders
    path: /orders
    verify: {{preset: bearer, secrets: [{token}]}}
    idempotencyKey: body:/id
    destinations: {destinations}
"""


def sign(preset, secret_value, body, *extra):
    """The headers `postern sign` prints, as a dict."""
    result = postern("sign", "--preset", preset, "--secret", secret_value, *extra, stdin=body.encode())
    assert result.returncode == 0, result.stderr.decode()
    return dict(line.split(": ", 1) for line in result.stdout.decode().splitlines())

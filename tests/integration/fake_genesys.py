"""A fake Genesys Cloud on loopback — a login host and an API host — that behaves like the real one: it checks the
token request's Basic header and form body, issues tokens that expire, refuses an expired or revoked token with 401,
can answer 429 with Retry-After, validates Open Messaging bodies, creates Open Messaging integrations (403 without
the permission), and sends signed outbound webhooks as Genesys does (X-Hub-Signature-256: sha256=<base64>)."""

import base64
import hashlib
import hmac
import http.server
import json
import threading
import time
import uuid

import requests

CLIENT_ID = "postern-client"
CLIENT_SECRET = "postern-client-secret-value"
INBOUND = "/api/v2/conversations/messages/"
INTEGRATIONS = "/api/v2/conversations/messaging/integrations/open"


class FakeGenesys:
    def __init__(self, expires_in=86400, permissions=("messaging:integration:add", "messaging:integration:view")):
        self.expires_in = expires_in
        self.permissions = set(permissions)
        self.lock = threading.Lock()
        self.tokens = {}  # token -> expiry (monotonic)
        self.token_requests = 0
        self.messages = []  # (integration id, body dict, monotonic time)
        self.rejected = []
        self.integrations = {}
        self.pending_429 = []  # Retry-After values to answer next
        self.login = self._serve(self._login_handler)
        self.api = self._serve(self._api_handler)

    @property
    def login_base(self):
        return f"http://127.0.0.1:{self.login.server_address[1]}"

    @property
    def api_base(self):
        return f"http://127.0.0.1:{self.api.server_address[1]}"

    def _serve(self, handle):
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                handle(self, self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def do_GET(self):
                handle(self, b"")

            def reply(self, status, document, headers=None):
                payload = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def _login_handler(self, request, body):
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.path != "/oauth/token" or request.command != "POST":
            return request.reply(404, {"message": "not found"})
        if request.headers.get("Authorization") != expected:
            return request.reply(401, {"error": "invalid_client", "description": "Invalid client credentials"})
        if body != b"grant_type=client_credentials" or \
                request.headers.get("Content-Type") != "application/x-www-form-urlencoded":
            return request.reply(400, {"error": "unsupported_grant_type"})
        token = uuid.uuid4().hex
        with self.lock:
            self.token_requests += 1
            self.tokens[token] = time.monotonic() + self.expires_in
        request.reply(200, {"access_token": token, "token_type": "bearer", "expires_in": self.expires_in})

    def _authorized(self, request):
        token = (request.headers.get("Authorization") or "").removeprefix("Bearer ")
        with self.lock:
            return self.tokens.get(token, 0) > time.monotonic()

    def _api_handler(self, request, body):
        if not self._authorized(request):
            return request.reply(401, {"message": "Invalid login credentials.", "code": "bad.credentials", "status": 401})
        path = request.path
        if request.command == "POST" and path.startswith(INBOUND) and path.endswith("/inbound/open/message"):
            with self.lock:
                retry_after = self.pending_429.pop(0) if self.pending_429 else None
            if retry_after is not None:
                return request.reply(429, {"message": "Rate limit exceeded", "code": "too.many.requests", "status": 429},
                                     {"Retry-After": retry_after})
            message = json.loads(body)
            problem = self.invalid_message(message)
            if problem:
                self.rejected.append(problem)
                return request.reply(400, {"message": problem, "code": "bad.request", "status": 400})
            integration = path[len(INBOUND):].split("/")[0]
            with self.lock:
                self.messages.append((integration, message, time.monotonic()))
            return request.reply(202, {"id": uuid.uuid4().hex, **message})
        if path == INTEGRATIONS and request.command == "POST":
            if "messaging:integration:add" not in self.permissions:
                return request.reply(403, {
                    "message": "Unable to perform the requested action. You are missing the following permission(s): "
                               "[messaging:integration:add]",
                    "code": "missing.any.permissions", "status": 403})
            created = json.loads(body)
            integration = {"id": str(uuid.uuid4()), "name": created["name"], "status": "Active",
                           "outboundNotificationWebhookUrl": created["outboundNotificationWebhookUrl"]}
            with self.lock:
                self.integrations[integration["id"]] = {
                    **integration, "secret": created["outboundNotificationWebhookSignatureSecretToken"]}
            return request.reply(200, integration)
        if path.startswith(INTEGRATIONS + "/") and request.command == "GET":
            found = self.integrations.get(path.rsplit("/", 1)[1])
            if not found:
                return request.reply(404, {"message": "not found", "code": "not.found", "status": 404})
            return request.reply(200, {k: v for k, v in found.items() if k != "secret"})
        request.reply(404, {"message": "not found", "code": "not.found", "status": 404})

    @staticmethod
    def invalid_message(message):
        """The problem with an Open Messaging inbound body, or None (the shape of OpenInboundNormalizedMessage)."""
        channel = message.get("channel")
        if not isinstance(channel, dict):
            return "channel is required"
        for key in ("messageId", "time"):
            if not isinstance(channel.get(key), str) or not channel[key]:
                return f"channel.{key} is required"
        sender = channel.get("from")
        if not isinstance(sender, dict) or not sender.get("id") or sender.get("idType") not in ("Email", "Phone", "Opaque"):
            return "channel.from needs id and idType"
        if not isinstance(message.get("text"), str):
            return "text is required"
        return None

    def revoke_tokens(self):
        with self.lock:
            self.tokens.clear()

    def send_outbound(self, integration_id, text="Hello from an agent", tamper=False):
        """Posts an outbound message to the integration's webhook, signed with its secret, as Genesys does."""
        integration = self.integrations[integration_id]
        body = json.dumps({
            "id": uuid.uuid4().hex, "type": "Text", "text": text, "direction": "Outbound",
            "channel": {"id": integration_id, "platform": "Open", "type": "Private", "messageId": uuid.uuid4().hex,
                        "to": {"id": "customer-1"}, "from": {"nickname": "Agent", "id": "agent-1", "idType": "Opaque"},
                        "time": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())},
        }).encode()
        digest = hmac.new(integration["secret"].encode(), body, hashlib.sha256).digest()
        signature = "sha256=" + base64.b64encode(digest).decode()
        if tamper:
            body = body.replace(b"Hello", b"Jello")
        return requests.post(integration["outboundNotificationWebhookUrl"], data=body, timeout=10,
                             headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})

    def close(self):
        for server in (self.login, self.api):
            server.shutdown()
            server.server_close()

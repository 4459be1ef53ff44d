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
        self.receipts = []  # (integration id, body dict)
        self.events = []  # (integration id, body dict)
        self.status_reads = {}  # integration id -> GETs answered, so creation completes after a few
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
        for kind, store, check in (("/inbound/open/receipt", self.receipts, self.invalid_receipt),
                                   ("/inbound/open/event", self.events, self.invalid_event)):
            if request.command == "POST" and path.startswith(INBOUND) and path.endswith(kind):
                document = json.loads(body)
                problem = check(document)
                if problem:
                    self.rejected.append(problem)
                    return request.reply(400, {"message": problem, "code": "bad.request", "status": 400})
                with self.lock:
                    store.append((path[len(INBOUND):].split("/")[0], document))
                return request.reply(202, document)
        if path == INTEGRATIONS and request.command == "POST":
            if "messaging:integration:add" not in self.permissions:
                return request.reply(403, {
                    "message": "Unable to perform the requested action. You are missing the following permission(s): "
                               "[messaging:integration:add]",
                    "code": "missing.any.permissions", "status": 403})
            created = json.loads(body)
            # Genesys creates the integration asynchronously: Initiated, then Completed (or Error) on later reads.
            integration = {"id": str(uuid.uuid4()), "name": created["name"], "status": "Active",
                           "outboundNotificationWebhookUrl": created["outboundNotificationWebhookUrl"],
                           "webhookHeaders": created.get("webhookHeaders", {}), "createStatus": "Initiated"}
            with self.lock:
                self.integrations[integration["id"]] = {
                    **integration, "secret": created["outboundNotificationWebhookSignatureSecretToken"]}
            return request.reply(200, integration)
        if path.startswith(INTEGRATIONS + "/") and request.command == "GET":
            found = self.integrations.get(path.rsplit("/", 1)[1])
            if not found:
                return request.reply(404, {"message": "not found", "code": "not.found", "status": 404})
            with self.lock:
                reads = self.status_reads[found["id"]] = self.status_reads.get(found["id"], 0) + 1
                if reads >= 2 and found["createStatus"] == "Initiated":
                    if "broken" in found["name"]:
                        found["createStatus"] = "Error"
                        found["createError"] = {"message": "The webhook URL could not be reached", "code": "bad.request", "status": 400}
                    else:
                        found["createStatus"] = "Completed"
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

    @staticmethod
    def invalid_receipt(receipt):
        """The problem with an inbound receipt (OpenInboundNormalizedReceipt: Delivered or Failed), or None."""
        channel = receipt.get("channel")
        if not receipt.get("id") or not isinstance(channel, dict) or not isinstance(channel.get("to"), dict):
            return "id and channel.to are required"
        if receipt.get("status") not in ("Delivered", "Failed") or receipt.get("direction") != "Outbound":
            return "status must be Delivered or Failed, direction Outbound"
        if receipt["status"] == "Failed" and not receipt.get("reasons"):
            return "a failed receipt needs reasons"
        return None

    @staticmethod
    def invalid_event(event):
        """The problem with an inbound event (OpenInboundNormalizedEvent with a Typing event), or None."""
        channel = event.get("channel")
        if not isinstance(channel, dict) or not isinstance(channel.get("from"), dict) or not channel["from"].get("id"):
            return "channel.from is required"
        events = event.get("events")
        if not events or any(e.get("eventType") != "Typing" or e.get("typing", {}).get("type") != "On" for e in events):
            return "events must be Typing events"
        return None

    def revoke_tokens(self):
        with self.lock:
            self.tokens.clear()

    def send_outbound(self, integration_id, text="Hello from an agent", tamper=False, url=None):
        """Posts an outbound message to the integration's webhook (or `url`, standing in for it on loopback), signed
        with its secret and carrying its webhook headers, as Genesys does."""
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
        return requests.post(url or integration["outboundNotificationWebhookUrl"], data=body, timeout=10,
                             headers={**integration["webhookHeaders"], "Content-Type": "application/json",
                                      "X-Hub-Signature-256": signature})

    def close(self):
        for server in (self.login, self.api):
            server.shutdown()
            server.server_close()

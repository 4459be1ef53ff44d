"""`verify: {preset: jwt}`: bearer JWTs from an external identity provider, minted here with PyJWT and served as a
JWKS by a local https server made in the test, with each algorithm, the claim checks, a key rotation mid-test that
refuses no valid token, a bounded refresh rate under forged `kid`s, and the cached keys when the provider is down."""

import hashlib
import hmac
import json
import ssl
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm, RSAPSSAlgorithm

import pki
from conftest import postern, secret

ISSUER = "https://idp.example.com/"
AUDIENCE = "https://hooks.example.com"


class JWKSServer:
    """An https server answering GET /jwks.json with the keys it holds now; counts the fetches."""

    def __init__(self, directory):
        self.ca = pki.authority(directory, "jwks-ca")
        leaf = pki.leaf(directory, "jwks-server", self.ca, server=True, sans=["127.0.0.1"])
        self.keys = []
        self.fetches = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.fetches += 1
                body = json.dumps({"keys": outer.keys}).encode()
                self.send_response(200 if self.path == "/jwks.json" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(leaf.cert_path, leaf.key_path)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}/jwks.json"

    def publish(self, *keys):
        self.keys = [key.jwk for key in keys]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Key:
    """A private key, its kid and algorithm, and its public JWK."""

    def __init__(self, algorithm, kid=None):
        self.algorithm = algorithm
        self.kid = kid or f"{algorithm.lower()}-{uuid.uuid4().hex[:8]}"
        if algorithm == "ES256":
            self.private = ec.generate_private_key(ec.SECP256R1())
            jwk = json.loads(ECAlgorithm.to_jwk(self.private.public_key()))
        elif algorithm == "EdDSA":
            self.private = ed25519.Ed25519PrivateKey.generate()
            jwk = json.loads(OKPAlgorithm.to_jwk(self.private.public_key()))
        else:
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            jwk = json.loads((RSAPSSAlgorithm if algorithm == "PS256" else RSAAlgorithm).to_jwk(self.private.public_key()))
        self.jwk = {**jwk, "kid": self.kid, "alg": algorithm, "use": "sig"}

    def token(self, **claims):
        now = int(time.time())
        payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": "svc-cognigy", "client_id": "cognigy-flows", "iat": now,
                   "exp": now + 300, "scope": "hooks:write", **claims}
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(payload, self.private, algorithm=self.algorithm, headers={"kid": self.kid})


def sources(jwks_url, ca, extra=""):
    return f"""
  - name: idp
    path: /hooks/idp
    verify: {{preset: jwt, issuer: "{ISSUER}", audience: "{AUDIENCE}", jwksUrl: "{jwks_url}", jwksCA: {ca},
              scopes: [hooks:write], clients: [cognigy-flows]{extra}}}
"""


@pytest.fixture
def provider(tmp_path):
    server = JWKSServer(tmp_path)
    yield server
    server.close()


def call(gateway, token):
    return requests.post(gateway.url + "/hooks/idp", json={"event": "x"}, headers={"Authorization": f"Bearer {token}"},
                         timeout=10)


def test_every_algorithm_and_the_claim_checks(gateway_factory, provider):
    keys = [Key("ES256"), Key("RS256"), Key("PS256"), Key("EdDSA")]
    provider.publish(*keys)
    gateway = gateway_factory(sources(provider.url, provider.ca.cert_path))
    for key in keys:
        answer = call(gateway, key.token())
        assert answer.status_code == 200, (key.algorithm, answer.text)
    shown = postern("events", "show", answer.json()["id"], "--config", str(gateway.config), "--json")
    assert json.loads(shown.stdout)["verification"] == {"scheme": "jwt", "client": "cognigy-flows"}

    es = keys[0]
    now = int(time.time())
    cases = [
        (es.token(exp=now - 600), 401, "token_expired"),
        (es.token(aud="https://elsewhere.example"), 401, "invalid_token"),
        (es.token(iss="https://evil.example/"), 401, "invalid_token"),
        (es.token(scope="hooks:read"), 403, "insufficient_scope"),
        (es.token(client_id="someone-else"), 403, "insufficient_scope"),
        (Key("ES256", kid=es.kid).token(), 401, "invalid_token"),  # the right kid, another key
    ]
    for token, status, reason in cases:
        answer = call(gateway, token)
        assert (answer.status_code, answer.json()["error"]) == (status, reason), answer.text
        assert answer.headers["WWW-Authenticate"].startswith('Bearer realm="postern"')
    # an RS256 key's token relabelled PS256, and HS256 keyed with the published JWK
    header, claims, signature = keys[1].token().split(".")
    relabelled = jwt.utils.base64url_encode(json.dumps({"alg": "PS256", "kid": keys[1].kid}).encode()).decode()
    assert call(gateway, f"{relabelled}.{claims}.{signature}").json()["error"] == "invalid_token"
    hs_header = jwt.utils.base64url_encode(json.dumps({"alg": "HS256", "kid": keys[1].kid}).encode()).decode()
    mac = hmac.new(json.dumps(keys[1].jwk).encode(), f"{hs_header}.{claims}".encode(), hashlib.sha256).digest()
    forged = f"{hs_header}.{claims}.{jwt.utils.base64url_encode(mac).decode()}"
    assert call(gateway, forged).json()["error"] == "invalid_token"


def test_a_rotation_mid_test_refuses_no_valid_token_and_forged_kids_fetch_rarely(gateway_factory, provider):
    old = Key("ES256")
    provider.publish(old)
    gateway = gateway_factory(sources(provider.url, provider.ca.cert_path))
    assert call(gateway, old.token()).status_code == 200
    fetched = provider.fetches

    new = Key("RS256")
    provider.publish(old, new)  # the provider rotates: a token with the new kid arrives before any refetch
    assert call(gateway, new.token()).status_code == 200
    assert provider.fetches == fetched + 1
    assert call(gateway, old.token()).status_code == 200

    for _ in range(10):  # kids no JWKS holds: one fetch per interval at most, each refused as invalid_token
        answer = call(gateway, Key("ES256").token())
        assert answer.status_code == 401 and answer.json()["error"] == "invalid_token"
    assert provider.fetches <= fetched + 2

    provider.close()  # a reload while the provider is down keeps the keys it had for the same URL
    reload = requests.post(gateway.admin_url + "/admin/reload", headers={"Authorization": f"Bearer {secret('admin-token-it')}"},
                           timeout=30)
    assert reload.status_code == 200 and reload.json()["status"] == "reloaded", reload.text
    assert call(gateway, new.token()).status_code == 200


def test_the_cached_keys_start_a_gateway_whose_provider_is_down(gateway_factory, provider, tmp_path):
    key = Key("EdDSA")
    provider.publish(key)
    gateway = gateway_factory(sources(provider.url, provider.ca.cert_path))
    assert call(gateway, key.token()).status_code == 200
    gateway.stop()
    provider.close()
    gateway.start()  # the same directory: jwks-cache/idp.json holds the last good document
    assert call(gateway, key.token()).status_code == 200
    assert json.loads((tmp_path / "jwks-cache" / "idp.json").read_text())["keys"][0]["kid"] == key.kid


def test_start_fails_clearly_without_keys_and_check_wants_https(tmp_path, provider):
    config = tmp_path / "postern.yaml"
    config.write_text(f"listen: 127.0.0.1:0\nadmin: {{listen: 127.0.0.1:0}}\nstore: sqlite:./e.db\naudit: {{output: ./a.log}}\n"
                      f"sources:\n{sources('https://127.0.0.1:1/jwks.json', provider.ca.cert_path)}")
    result = postern("serve", "--config", str(config))
    assert result.returncode != 0
    output = result.stderr.decode() + result.stdout.decode()
    assert "sources[0].verify.jwksUrl" in output and "no cached keys" in output, output

    config.write_text(f"listen: 127.0.0.1:0\nstore: sqlite:./e.db\nsources:\n{sources('http://idp.example/jwks', 'ca.pem')}")
    result = postern("check", "--config", str(config))
    assert result.returncode != 0 and "https://" in result.stderr.decode() + result.stdout.decode()

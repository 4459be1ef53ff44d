"""Inbound OAuth 2.0: callers get access tokens from the gateway's client-credentials endpoint with third-party
OAuth clients (requests-oauthlib, authlib), sources with `verify: {preset: oauth}` accept them, and every tampered,
expired, foreign or revoked token is refused with its reason code and an RFC 6750 challenge."""

import base64
import hashlib
import hmac
import json
import subprocess
import time

import jwt
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session as AuthlibSession
from oauthlib.oauth2 import BackendApplicationClient
from requests_oauthlib import OAuth2Session

import pki
from conftest import free_port, postern, secret

ISSUER = "https://hooks.example.com"
GENESYS_SECRET = secret("genesys-data-actions-secret-1")
CXONE_SECRET = secret("cxone-integration-hub-secret-2")
HASHED_SECRET = secret("cognigy-http-request-secret-3")
ADMIN = {"Authorization": f"Bearer {secret('admin-token-it')}"}

SOURCES = """
  - name: genesys-actions
    path: /hooks/genesys
    verify: {preset: oauth, scopes: [hooks:write], clients: [genesys-data-actions]}
  - name: cxone
    path: /hooks/cxone
    verify: {preset: oauth, scopes: [hooks:write], clients: [cxone-hub]}
"""


def keys(directory):
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", str(directory / "k1.pem")], check=True)
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(directory / "k2.pem")],
                   check=True, capture_output=True)


def oauth_yaml(signing="[{id: k1, privateKey: k1.pem}, {id: k2, privateKey: k2.pem}]", clients=None, lifetime=3600):
    clients = clients if clients is not None else f"""
    - {{id: genesys-data-actions, secret: {GENESYS_SECRET}, scopes: [hooks:write, hooks:read]}}
    - {{id: cxone-hub, secret: {CXONE_SECRET}, scopes: [hooks:write]}}
    - {{id: cognigy-node, secretSha256: {hashlib.sha256(HASHED_SECRET.encode()).hexdigest()}, scopes: [hooks:read]}}"""
    return (f"oauth:\n  tokenPath: /oauth/token\n  issuer: {ISSUER}\n  signingKeys: {signing}\n  tokenLifetime: {lifetime}\n"
            f"  rateLimit: {{perSecond: 1, burst: 20}}\n  clients:{clients}\n")


@pytest.fixture
def gateway(gateway_factory, tmp_path):
    """A gateway with a plain listener and a TLS one (`gateway.https`, trusted by `gateway.ca`): the OAuth clients
    insist on https, as the platforms do."""
    keys(tmp_path)
    ca = pki.authority(tmp_path, "server-ca")
    server = pki.leaf(tmp_path, "server", ca, server=True, sans=["127.0.0.1"])
    tls_port = free_port()
    listen = ("listen:\n  - address: 127.0.0.1:PLAIN_PORT\n"
              f"  - address: 127.0.0.1:{tls_port}\n    tls: {{certificate: {server.cert_path}, privateKey: {server.key_path}}}\n")
    gateway = gateway_factory(SOURCES, oauth_yaml(), listen_yaml=listen)
    gateway.https, gateway.ca = f"https://127.0.0.1:{tls_port}", str(ca.cert_path)
    return gateway


def fetch(gateway, client_id, client_secret, **extra):
    answer = requests.post(gateway.url + "/oauth/token", data={"grant_type": "client_credentials", **extra},
                           auth=(client_id, client_secret), timeout=10)
    if answer.status_code == 200:
        secret(answer.json()["access_token"])  # the last test checks no output holds it
    return answer


def call(gateway, path, token, body=None):
    return requests.post(gateway.url + path, json=body or {"conversationId": "c-1"},
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)


def mint(gateway, claims=None, key="k1.pem", kid="k1", algorithm="ES256", headers=None):
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": ISSUER, "sub": "genesys-data-actions", "iat": now, "exp": now + 300,
               "scope": "hooks:write", **(claims or {})}
    payload = {name: value for name, value in payload.items() if value is not None}
    private = (gateway.directory / key).read_bytes()
    return jwt.encode(payload, private, algorithm=algorithm, headers={"kid": kid, **(headers or {})})


def refused(answer, status, reason):
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == reason, answer.text
    challenge = answer.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="postern"'), challenge
    return challenge


def test_requests_oauthlib_backend_client_gets_a_token_that_the_source_accepts(gateway):
    session = OAuth2Session(client=BackendApplicationClient(client_id="genesys-data-actions"))
    token = session.fetch_token(gateway.https + "/oauth/token", client_id="genesys-data-actions", client_secret=GENESYS_SECRET,
                                verify=gateway.ca)
    secret(token["access_token"])
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600 and token["scope"] == ["hooks:write", "hooks:read"]

    answer = session.post(gateway.https + "/hooks/genesys", json={"conversationId": "c-42"}, timeout=10, verify=gateway.ca)
    assert answer.status_code == 200 and answer.json()["status"] == "accepted", answer.text

    claims = jwt.decode(token["access_token"], options={"verify_signature": False})
    header = jwt.get_unverified_header(token["access_token"])
    assert header == {"alg": "ES256", "kid": "k1", "typ": "at+jwt"}
    assert claims["iss"] == ISSUER and claims["aud"] == ISSUER and claims["sub"] == "genesys-data-actions"
    assert claims["exp"] - claims["iat"] == 3600 and claims["jti"] and claims["scope"] == "hooks:write hooks:read"

    shown = postern("events", "show", answer.json()["id"], "--config", str(gateway.config), "--json")
    assert json.loads(shown.stdout)["verification"] == {"scheme": "oauth", "client": "genesys-data-actions"}
    accepted = [line for line in gateway.audit_lines() if line.get("reason") == "accepted"]
    assert accepted[-1]["client"] == "genesys-data-actions" and accepted[-1]["scheme"] == "oauth"


def test_the_token_verifies_against_the_published_jwks_with_pyjwt(gateway):
    token = fetch(gateway, "genesys-data-actions", GENESYS_SECRET).json()["access_token"]
    jwks = requests.get(gateway.url + "/.well-known/jwks.json", timeout=10)
    assert [key["kid"] for key in jwks.json()["keys"]] == ["k1", "k2"]
    signing_key = jwt.PyJWKClient(gateway.url + "/.well-known/jwks.json").get_signing_key_from_jwt(token)
    claims = jwt.decode(token, signing_key.key, algorithms=["ES256"], audience=ISSUER, issuer=ISSUER)
    assert claims["client_id"] == "genesys-data-actions"
    metadata = requests.get(gateway.url + "/.well-known/oauth-authorization-server", timeout=10).json()
    assert metadata["token_endpoint"] == ISSUER + "/oauth/token" and metadata["jwks_uri"] == ISSUER + "/.well-known/jwks.json"
    assert metadata["token_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post"]


def test_authlib_client_secret_post_with_a_narrower_scope(gateway):
    session = AuthlibSession("cxone-hub", CXONE_SECRET, token_endpoint_auth_method="client_secret_post", scope="hooks:write")
    token = session.fetch_token(gateway.https + "/oauth/token", grant_type="client_credentials", verify=gateway.ca)
    secret(token["access_token"])
    assert token["scope"] == "hooks:write"
    answer = session.post(gateway.https + "/hooks/cxone", json={"contactId": 7}, timeout=10, verify=gateway.ca)
    assert answer.status_code == 200, answer.text


def test_a_client_kept_as_a_sha256_authenticates_with_its_secret(gateway):
    answer = fetch(gateway, "cognigy-node", HASHED_SECRET)
    assert answer.status_code == 200 and answer.json()["scope"] == "hooks:read"
    assert answer.headers["Cache-Control"] == "no-store"
    # its token has hooks:read only: the source needs hooks:write and another client
    challenge = refused(call(gateway, "/hooks/genesys", answer.json()["access_token"]), 403, "insufficient_scope")
    assert 'error="insufficient_scope"' in challenge


def test_token_endpoint_errors_are_rfc_6749_codes(gateway):
    wrong = fetch(gateway, "genesys-data-actions", "not-the-secret")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    assert wrong.headers["WWW-Authenticate"] == 'Basic realm="postern"'
    unknown = fetch(gateway, "nobody", "whatever")
    assert unknown.status_code == 401 and unknown.json()["error"] == "invalid_client"
    anonymous = requests.post(gateway.url + "/oauth/token", data={"grant_type": "client_credentials"}, timeout=10)
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_client"
    grant = requests.post(gateway.url + "/oauth/token", data={"grant_type": "password", "username": "u", "password": "p"},
                          auth=("genesys-data-actions", GENESYS_SECRET), timeout=10)
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    missing = requests.post(gateway.url + "/oauth/token", data={"scope": "hooks:write"}, auth=("genesys-data-actions", GENESYS_SECRET),
                            timeout=10)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    scope = fetch(gateway, "cxone-hub", CXONE_SECRET, scope="hooks:write hooks:admin")
    assert scope.status_code == 400 and scope.json()["error"] == "invalid_scope"
    as_json = requests.post(gateway.url + "/oauth/token", json={"grant_type": "client_credentials"},
                            auth=("genesys-data-actions", GENESYS_SECRET), timeout=10)
    assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"
    for answer in (wrong, grant, scope):
        assert set(answer.json()) == {"error", "error_description"} and answer.headers["Cache-Control"] == "no-store"

    lines = [line for line in gateway.audit_lines() if line["decision"] == "token_request"]
    assert [(line.get("client"), line["outcome"]) for line in lines] == [
        ("genesys-data-actions", "invalid_client"), ("nobody", "invalid_client"), (None, "invalid_client"),
        ("genesys-data-actions", "unsupported_grant_type"), ("genesys-data-actions", "invalid_request"),
        ("cxone-hub", "invalid_scope"), (None, "invalid_request")]
    metrics = requests.get(gateway.admin_url + "/metrics", timeout=10).text
    assert 'postern_oauth_token_requests_total{client="genesys-data-actions",outcome="invalid_client"} 1' in metrics
    assert 'postern_oauth_token_requests_total{client="unknown",outcome="invalid_client"} 2' in metrics


def test_a_token_request_over_4_kib_is_refused_and_the_connection_goes_on(gateway):
    session = requests.Session()
    big = session.post(gateway.url + "/oauth/token", data={"grant_type": "client_credentials", "scope": "x" * 5000},
                       auth=("genesys-data-actions", GENESYS_SECRET), timeout=10)
    assert big.status_code == 413 and big.json()["error"] == "invalid_request"
    again = session.post(gateway.url + "/oauth/token", data={"grant_type": "client_credentials"},
                         auth=("genesys-data-actions", GENESYS_SECRET), timeout=10)
    assert again.status_code == 200, again.text
    secret(again.json()["access_token"])


def test_token_requests_are_rate_limited_per_client_and_caller(gateway):
    answers = [fetch(gateway, "genesys-data-actions", "guessing").status_code for _ in range(24)]
    assert answers[:20] == [401] * 20 and answers[-1] == 429, answers
    limited = fetch(gateway, "genesys-data-actions", GENESYS_SECRET)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    # another client from the same address still gets its tokens
    assert fetch(gateway, "cxone-hub", CXONE_SECRET).status_code == 200


def test_tampered_tokens_are_refused_with_their_reason(gateway):
    good = fetch(gateway, "genesys-data-actions", GENESYS_SECRET).json()["access_token"]
    assert call(gateway, "/hooks/genesys", good).status_code == 200
    assert call(gateway, "/hooks/genesys", mint(gateway)).status_code == 200  # the test's own mint is sound

    now = int(time.time())
    challenge = refused(call(gateway, "/hooks/genesys", mint(gateway, {"exp": now - 120})), 401, "token_expired")
    assert 'error="invalid_token"' in challenge
    assert call(gateway, "/hooks/genesys", mint(gateway, {"exp": now - 10})).status_code == 200  # within the leeway
    refused(call(gateway, "/hooks/genesys", mint(gateway, {"exp": None})), 401, "invalid_token")
    refused(call(gateway, "/hooks/genesys", mint(gateway, {"nbf": now + 600})), 401, "invalid_token")
    refused(call(gateway, "/hooks/genesys", mint(gateway, {"aud": "https://elsewhere.example"})), 401, "invalid_token")
    refused(call(gateway, "/hooks/genesys", mint(gateway, {"iss": "https://evil.example"})), 401, "invalid_token")
    refused(call(gateway, "/hooks/genesys", mint(gateway, kid="k9")), 401, "invalid_token")
    # a key's own algorithm only: the RSA key signing PS256, the EC key named as the RSA one
    refused(call(gateway, "/hooks/genesys", mint(gateway, key="k2.pem", kid="k2", algorithm="PS256")), 401, "invalid_token")
    refused(call(gateway, "/hooks/genesys", mint(gateway, kid="k2")), 401, "invalid_token")
    assert call(gateway, "/hooks/genesys", mint(gateway, key="k2.pem", kid="k2", algorithm="RS256")).status_code == 200

    header, claims, signature = good.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    refused(call(gateway, "/hooks/genesys", f"{header}.{claims}.{flipped}"), 401, "invalid_token")
    forged_claims = base64.urlsafe_b64encode(json.dumps({**jwt.decode(good, options={"verify_signature": False}),
                                                         "sub": "cxone-hub"}).encode()).rstrip(b"=").decode()
    refused(call(gateway, "/hooks/cxone", f"{header}.{forged_claims}.{signature}"), 401, "invalid_token")

    # alg none, and HS256 keyed with the public key published in the JWKS
    def unsigned(header_fields, key=None):
        head = base64.urlsafe_b64encode(json.dumps(header_fields).encode()).rstrip(b"=").decode()
        input_ = f"{head}.{claims}"
        mac = "" if key is None else base64.urlsafe_b64encode(
            hmac.new(key, input_.encode(), hashlib.sha256).digest()).rstrip(b"=").decode()
        return f"{input_}.{mac}"
    refused(call(gateway, "/hooks/genesys", unsigned({"alg": "none", "kid": "k1"})), 401, "invalid_token")
    public_pem = subprocess.run(["openssl", "ec", "-in", str(gateway.directory / "k1.pem"), "-pubout"], capture_output=True,
                                check=True).stdout
    refused(call(gateway, "/hooks/genesys", unsigned({"alg": "HS256", "kid": "k1", "typ": "JWT"}, public_pem)), 401, "invalid_token")
    jwks_key = json.dumps(requests.get(gateway.url + "/.well-known/jwks.json", timeout=10).json()["keys"][0]).encode()
    refused(call(gateway, "/hooks/genesys", unsigned({"alg": "HS256", "kid": "k1"}, jwks_key)), 401, "invalid_token")
    # a header that would fetch a key from elsewhere
    refused(call(gateway, "/hooks/genesys", mint(gateway, headers={"jku": "https://evil.example/jwks.json"})), 401, "invalid_token")
    refused(call(gateway, "/hooks/genesys", good + "=="), 401, "invalid_token")
    refused(call(gateway, "/hooks/genesys", "x" * 9000), 401, "invalid_token")

    missing = requests.post(gateway.url + "/hooks/genesys", json={}, timeout=10)
    assert missing.status_code == 401 and missing.json()["error"] == "missing_signature"
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="postern"'

    # a scope missing, and a token for one source used on another
    refused(call(gateway, "/hooks/genesys", mint(gateway, {"scope": "hooks:read"})), 403, "insufficient_scope")
    cxone = fetch(gateway, "cxone-hub", CXONE_SECRET).json()["access_token"]
    refused(call(gateway, "/hooks/genesys", cxone), 403, "insufficient_scope")
    refused(call(gateway, "/hooks/cxone", good), 403, "insufficient_scope")
    assert call(gateway, "/hooks/cxone", cxone).status_code == 200


def reload(gateway, oauth, sources=None):
    text = gateway.config.read_text()
    start = text.index("oauth:")
    end = text.index("sources:")
    gateway.config.write_text(text[:start] + oauth + (f"sources:\n{sources}" if sources else text[end:]))
    answer = requests.post(gateway.admin_url + "/admin/reload", headers=ADMIN, timeout=30)
    assert answer.status_code == 200 and answer.json()["status"] == "reloaded", answer.text


def test_a_client_removed_on_reload_loses_its_tokens(gateway):
    token = fetch(gateway, "cxone-hub", CXONE_SECRET).json()["access_token"]
    assert call(gateway, "/hooks/cxone", token).status_code == 200
    reload(gateway, oauth_yaml(clients=f"""
    - {{id: genesys-data-actions, secret: {GENESYS_SECRET}, scopes: [hooks:write]}}
    - {{id: cxone-hub-2, secret: {CXONE_SECRET}, scopes: [hooks:write]}}"""), SOURCES.replace("[cxone-hub]", "[cxone-hub-2]"))
    refused(call(gateway, "/hooks/cxone", token), 401, "invalid_token")
    assert fetch(gateway, "cxone-hub", CXONE_SECRET).json()["error"] == "invalid_client"


def test_key_rotation_keeps_accepting_tokens_of_the_retired_key(gateway_factory, tmp_path):
    keys(tmp_path)
    gateway = gateway_factory(SOURCES.replace("[hooks:write], clients: [genesys-data-actions]", "[hooks:write]"),
                              oauth_yaml(signing="[{id: k1, privateKey: k1.pem}]"))
    old = fetch(gateway, "genesys-data-actions", GENESYS_SECRET).json()["access_token"]
    assert jwt.get_unverified_header(old)["kid"] == "k1"

    # publish k2 beside k1, then sign with k2, then drop k1: tokens of k1 hold until they expire
    reload(gateway, oauth_yaml(signing="[{id: k1, privateKey: k1.pem}, {id: k2, privateKey: k2.pem}]"))
    reload(gateway, oauth_yaml(signing="[{id: k2, privateKey: k2.pem}, {id: k1, privateKey: k1.pem}]"))
    new = fetch(gateway, "genesys-data-actions", GENESYS_SECRET).json()["access_token"]
    assert jwt.get_unverified_header(new) == {"alg": "RS256", "kid": "k2", "typ": "at+jwt"}
    reload(gateway, oauth_yaml(signing="[{id: k2, privateKey: k2.pem}]"))
    published = requests.get(gateway.url + "/.well-known/jwks.json", timeout=10).json()["keys"]
    assert [key["kid"] for key in published] == ["k2", "k1"]
    assert call(gateway, "/hooks/genesys", old).status_code == 200
    assert call(gateway, "/hooks/genesys", new).status_code == 200


def test_check_names_the_key_path_of_a_bad_oauth_section(tmp_path):
    keys(tmp_path)
    (tmp_path / "bad.pem").write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    cases = [
        (oauth_yaml(signing="[{id: k1, privateKey: bad.pem}]"), "oauth.signingKeys[0].privateKey"),
        (oauth_yaml(signing="[{id: k1, privateKey: missing.pem}]"), "oauth.signingKeys[0].privateKey"),
        (oauth_yaml(signing="[]"), "oauth.signingKeys"),
        (oauth_yaml(clients="\n    - {id: short, secret: tooshort, scopes: [a]}"), "oauth.clients[0].secret"),
        ("", "sources[0].verify.preset"),
        (oauth_yaml(clients=f"\n    - {{id: genesys-data-actions, secret: {GENESYS_SECRET}, scopes: [hooks:write]}}"),
         "sources[1].verify.clients[0]"),
    ]
    for oauth, path in cases:
        config = tmp_path / "postern.yaml"
        config.write_text(f"listen: 127.0.0.1:1\nstore: sqlite:./e.db\n{oauth}sources:\n{SOURCES}")
        result = postern("check", "--config", str(config))
        assert result.returncode != 0, oauth
        assert path in result.stderr.decode() + result.stdout.decode(), (path, result.stderr.decode())

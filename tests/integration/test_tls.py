"""TLS and mutual TLS over real handshakes: versions, client certificates trusted or not, CA rotation at runtime
with a connection kept open, a bad PEM dropped into the CA directory, and per-source certificate policies."""

import http.client
import json
import shutil
import signal
import socket
import ssl
import time

import pytest
import requests
from cryptography import x509

import pki


@pytest.fixture
def certificates(tmp_path):
    directory = tmp_path / "pki"
    directory.mkdir()
    server_ca = pki.authority(directory, "server-ca")
    client_ca_1 = pki.authority(directory, "client-ca-1")
    client_ca_2 = pki.authority(directory, "client-ca-2")
    trusted = tmp_path / "client-cas"
    trusted.mkdir()
    shutil.copy(client_ca_1.cert_path, trusted / "ca-1.pem")
    return {
        "dir": directory, "trusted": trusted, "server_ca": server_ca,
        "client_ca_1": client_ca_1, "client_ca_2": client_ca_2,
        "server": pki.leaf(directory, "server", server_ca, server=True, sans=["127.0.0.1", "localhost"]),
        "cognigy": pki.leaf(directory, "cognigy-client", client_ca_1, sans=["cognigy.example"]),
        "other": pki.leaf(directory, "other-client", client_ca_2, sans=["other.example"]),
        "expired": pki.leaf(directory, "expired-client", client_ca_1, expired=True),
    }


def listeners(certs, tls_port, tls13_port):
    return (
        "listen:\n"
        "  - address: 127.0.0.1:PLAIN_PORT\n"
        f"  - address: 127.0.0.1:{tls_port}\n"
        f"    tls: {{certificate: {certs['server'].cert_path}, privateKey: {certs['server'].key_path}, "
        f"clientCA: {certs['trusted']}, clientAuth: required}}\n"
        f"  - address: 127.0.0.1:{tls13_port}\n"
        f"    tls: {{certificate: {certs['server'].cert_path}, privateKey: {certs['server'].key_path}, minVersion: '1.3'}}\n"
    )


SOURCES = """
  - name: genesys
    path: /genesys
    verify: {preset: none}
    clientCert: required
  - name: cognigy-only
    path: /cognigy
    verify: {preset: none}
    allowedSubjects: [cognigy-client]
  - name: by-san
    path: /by-san
    verify: {preset: none}
    allowedSANs: [cognigy.example]
  - name: by-full-name
    path: /by-full-name
    verify: {preset: none}
    allowedSubjects: ["CN=other-client,O=Postern Tests"]
"""


def context(certs, client=None, maximum=None):
    ctx = ssl.create_default_context(cafile=str(certs["server_ca"].cert_path))
    if client:
        ctx.load_cert_chain(str(certs[client].cert_path), str(certs[client].key_path))
    if maximum:
        ctx.maximum_version = maximum
    return ctx


def post(port, ctx, path="/genesys", connection=None):
    """POSTs a small event; returns (status, json) or raises on a TLS refusal."""
    connection = connection or http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
    connection.request("POST", path, body=json.dumps({"at": time.time()}), headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def refused(port, ctx, path="/genesys"):
    try:
        post(port, ctx, path)
    except (ssl.SSLError, ConnectionError, http.client.RemoteDisconnected, OSError):
        return True
    return False


@pytest.fixture
def tls_gateway(gateway_factory, certificates, tmp_path):
    from conftest import free_port
    ports = [free_port(), free_port()]
    gateway = gateway_factory(SOURCES, listen_yaml=listeners(certificates, *ports))
    gateway.tls_port, gateway.tls13_port = ports
    return gateway


def test_tls_versions(tls_gateway, certificates):
    assert post(tls_gateway.tls13_port, context(certificates), "/by-san")[0] == 403
    assert refused(tls_gateway.tls13_port, context(certificates, maximum=ssl.TLSVersion.TLSv1_2), "/by-san")
    status, _ = post(tls_gateway.tls_port, context(certificates, "cognigy", maximum=ssl.TLSVersion.TLSv1_2))
    assert status == 200, "TLS 1.2 is accepted where the minimum is 1.2"


def test_client_certificates_trusted_untrusted_expired_missing(tls_gateway, certificates):
    assert post(tls_gateway.tls_port, context(certificates, "cognigy"))[0] == 200
    assert refused(tls_gateway.tls_port, context(certificates, "other"))
    assert refused(tls_gateway.tls_port, context(certificates, "expired"))
    assert refused(tls_gateway.tls_port, context(certificates))
    subjects = [line.get("clientSubject") for line in tls_gateway.audit_lines()]
    assert "CN=cognigy-client,O=Postern Tests" in subjects


def test_per_source_client_identity(tls_gateway, certificates):
    plain = requests.post(tls_gateway.url + "/genesys", json={}, timeout=10)
    assert plain.status_code == 403 and plain.json()["error"] == "client_cert_required"
    assert post(tls_gateway.tls_port, context(certificates, "cognigy"), "/cognigy")[0] == 200
    assert post(tls_gateway.tls_port, context(certificates, "cognigy"), "/by-san")[0] == 200

    shutil.copy(certificates["client_ca_2"].cert_path, certificates["trusted"] / "ca-2.pem")
    tls_gateway.process.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    status, answer = post(tls_gateway.tls_port, context(certificates, "other"), "/cognigy")
    assert status == 403 and answer["error"] == "client_cert_not_allowed"
    assert post(tls_gateway.tls_port, context(certificates, "other"), "/by-san")[1]["error"] == "client_cert_not_allowed"
    assert post(tls_gateway.tls_port, context(certificates, "other"), "/by-full-name")[0] == 200, "a full RFC 4514 name matches"
    assert post(tls_gateway.tls_port, context(certificates, "cognigy"), "/by-full-name")[1]["error"] == "client_cert_not_allowed"


def test_ca_rotation_at_runtime_keeps_open_connections(tls_gateway, certificates):
    kept = http.client.HTTPSConnection("127.0.0.1", tls_gateway.tls_port, context=context(certificates, "cognigy"), timeout=10)
    assert post(tls_gateway.tls_port, None, connection=kept)[0] == 200
    assert refused(tls_gateway.tls_port, context(certificates, "other"))

    shutil.copy(certificates["client_ca_2"].cert_path, certificates["trusted"] / "ca-2.pem")
    (certificates["trusted"] / "ca-1.pem").unlink()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and refused(tls_gateway.tls_port, context(certificates, "other")):
        time.sleep(0.3)
    assert post(tls_gateway.tls_port, context(certificates, "other"))[0] == 200, "a CA just added is trusted (poll)"
    assert refused(tls_gateway.tls_port, context(certificates, "cognigy")), "a CA just removed is not"
    assert post(tls_gateway.tls_port, None, connection=kept)[0] == 200, "an established connection survives the reload"

    shutil.copy(certificates["client_ca_1"].cert_path, certificates["trusted"] / "ca-1.pem")
    reload = requests.post(tls_gateway.admin_url + "/admin/reload", headers={"Authorization": "Bearer admin-token-it"})
    assert reload.status_code == 200
    assert post(tls_gateway.tls_port, context(certificates, "cognigy"))[0] == 200


def test_a_bad_pem_keeps_the_last_good_set_and_shows(tls_gateway, certificates):
    (certificates["trusted"] / "broken.pem").write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    reload = requests.post(tls_gateway.admin_url + "/admin/reload", headers={"Authorization": "Bearer admin-token-it"})
    # The configuration's reload reads the TLS files too: it is refused whole, with the file's key path, and the TLS
    # reload names the listener's failure.
    assert reload.status_code == 422 and reload.json()["status"] == "refused"
    assert "broken.pem" in json.dumps(reload.json()["problems"]) and "broken.pem" in json.dumps(reload.json()["failures"])
    ready = requests.get(tls_gateway.admin_url + "/readyz")
    assert ready.status_code == 503 and ready.json()["status"] == "tls_reload_failed"
    assert 'postern_tls_reloads_total{listener="127.0.0.1:' in requests.get(tls_gateway.admin_url + "/metrics").text
    assert post(tls_gateway.tls_port, context(certificates, "cognigy"))[0] == 200, "the last good CA set still serves"
    assert "broken.pem" in tls_gateway.log.read_text()

    (certificates["trusted"] / "broken.pem").unlink()
    tls_gateway.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and requests.get(tls_gateway.admin_url + "/readyz").status_code != 200:
        time.sleep(0.2)
    assert requests.get(tls_gateway.admin_url + "/readyz").status_code == 200


def test_sighup_never_ends_a_gateway_without_tls(gateway_factory):
    gateway = gateway_factory("  - {name: open, path: /open, verify: {preset: none}}\n")
    gateway.process.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    assert gateway.process.poll() is None
    assert gateway.post("/open", "{}").status_code == 200


def test_server_certificate_renewal_without_restart(tls_gateway, certificates):
    def served_serial():
        with socket.create_connection(("127.0.0.1", tls_gateway.tls13_port)) as raw:
            with context(certificates).wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True)).serial_number

    before = served_serial()
    assert before == certificates["server"].certificate.serial_number
    renewed = pki.leaf(certificates["dir"], "server-renewed", certificates["server_ca"], server=True, sans=["127.0.0.1"])
    shutil.copy(renewed.key_path, certificates["server"].key_path)
    shutil.copy(renewed.cert_path, certificates["server"].cert_path)
    tls_gateway.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and served_serial() == before:
        time.sleep(0.2)
    assert served_serial() == renewed.certificate.serial_number


def test_check_names_unreadable_tls_files(tmp_path, certificates):
    from conftest import postern
    config = tmp_path / "tls.yaml"
    config.write_text(
        "listen:\n"
        f"  - {{address: 127.0.0.1:18443, tls: {{certificate: {tmp_path}/missing.pem, privateKey: {certificates['server'].key_path}}}}}\n"
        "  - {address: 127.0.0.1:18444, tls: {certificate: x.pem, privateKey: y.pem, minVersion: '1.1', clientAuth: required}}\n"
        "sources:\n  - {name: o, path: /o, verify: {preset: none}}\n")
    errors = postern("check", "--config", str(config)).stderr.decode()
    assert "listen[1].tls.minVersion" in errors and "listen[1].tls.clientCA" in errors
    config.write_text(config.read_text().replace("  - {address: 127.0.0.1:18444", "#"))
    result = postern("check", "--config", str(config))
    assert result.returncode == 2
    assert "listen[0].tls.certificate" in result.stderr.decode() and "missing.pem" in result.stderr.decode()

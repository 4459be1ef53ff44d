"""The release tarball (`scripts/release`) runs on a server without Swift: in a mount namespace with an empty tmpfs
over the toolchain's directory, `ldd` names nothing from it, and `serve` starts and accepts a signed request, where
the development binary cannot even start. The tarball holds what docs/operations.md installs, with checksums.

scripts/test builds the release first and passes it in POSTERN_RELEASE_TARBALL; run alone, this test builds it."""

import hashlib
import os
import pathlib
import re
import shutil
import signal
import subprocess
import tarfile
import time

import pytest
import requests

from conftest import BINARY, ROOT, free_port, secret, sign

SECRET = secret("release-github-secret")


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    tarball = os.environ.get("POSTERN_RELEASE_TARBALL")
    if not tarball:
        built = subprocess.run([str(ROOT / "scripts" / "release")], capture_output=True, timeout=3600)
        assert built.returncode == 0, built.stderr.decode()[-4000:]
        tarball = re.search(r"^(dist/\S+\.tar\.gz)", built.stdout.decode(), re.M).group(1)
        tarball = ROOT / tarball
    tarball = pathlib.Path(tarball)
    directory = tmp_path_factory.mktemp("release")
    with tarfile.open(tarball) as archive:
        archive.extractall(directory, filter="data")
    (unpacked,) = directory.iterdir()
    return tarball, unpacked


def toolchain():
    """The toolchain's root: /opt/swift for /opt/swift/usr/bin/swift."""
    return pathlib.Path(shutil.which("swift")).resolve().parents[2]


def hidden(*command):
    """`command` in a mount namespace where the toolchain's directory is an empty tmpfs."""
    script = f"mount -t tmpfs tmpfs {toolchain()} && exec \"$@\""
    return ["unshare", "-m", "sh", "-c", script, "sh", *command]


def test_the_tarball_holds_the_install_and_its_checksums(release):
    tarball, unpacked = release
    assert re.fullmatch(r"postern-\d+\.\d+\.\d+-linux-(x86_64|aarch64)", unpacked.name)
    for name in ["postern", "postern.service", "postern.logrotate", "postern.yaml", "README.md", "docs/operations.md",
                 "docs/configuration.md", "SHA256SUMS"]:
        assert (unpacked / name).is_file(), name
    assert subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=unpacked).returncode == 0
    listed = (tarball.parent / (tarball.name + ".sha256")).read_text().split()[0]
    assert listed == hashlib.sha256(tarball.read_bytes()).hexdigest()
    # Stripped: no symbol table left.
    assert "no symbols" in subprocess.run(["nm", str(unpacked / "postern")], capture_output=True).stderr.decode()


def test_the_version_names_the_commit(release):
    _, unpacked = release
    version = subprocess.run([str(unpacked / "postern"), "--version"], capture_output=True, timeout=30).stdout.decode()
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True).stdout.decode().strip()
    assert re.fullmatch(rf"postern \d+\.\d+\.\d+ \(commit {head}(-dirty)?\)\n", version), version


def test_it_runs_with_the_toolchain_hidden(release, tmp_path):
    _, unpacked = release
    binary = unpacked / "postern"
    # The control: the development binary cannot load without the toolchain's libraries.
    control = subprocess.run(hidden(str(BINARY), "--version"), capture_output=True, timeout=30)
    assert control.returncode != 0 and b"error while loading shared libraries" in control.stderr
    libraries = subprocess.run(hidden("ldd", str(binary)), capture_output=True, timeout=30)
    assert libraries.returncode == 0, libraries.stderr.decode()
    assert str(toolchain()) not in libraries.stdout.decode() and "not found" not in libraries.stdout.decode()

    port, admin = free_port(), free_port()
    config = tmp_path / "postern.yaml"
    config.write_text(f"""listen: 127.0.0.1:{port}
admin: {{listen: 127.0.0.1:{admin}}}
store: sqlite:./events.db
audit: {{output: {tmp_path / 'audit.jsonl'}}}
sources:
  - name: github
    path: /hooks/github
    verify: {{preset: github, secrets: [{SECRET}]}}
""")
    started = time.monotonic()
    server = subprocess.Popen(hidden(str(binary), "serve", "--config", str(config)), stdout=subprocess.DEVNULL,
                              stderr=open(tmp_path / "log.txt", "wb"))
    try:
        while True:
            assert server.poll() is None, (tmp_path / "log.txt").read_text()
            assert time.monotonic() - started < 30
            try:
                if requests.get(f"http://127.0.0.1:{admin}/readyz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.02)
        print(f"release binary ready after {time.monotonic() - started:.3f} s")
        body = '{"action": "opened", "number": 1}'
        headers = {**sign("github", SECRET, body), "X-GitHub-Delivery": "d-1", "Content-Type": "application/json"}
        answer = requests.post(f"http://127.0.0.1:{port}/hooks/github", data=body, headers=headers, timeout=10)
        assert answer.status_code == 200, answer.text
        refused = requests.post(f"http://127.0.0.1:{port}/hooks/github", data=body, timeout=10)
        assert refused.status_code == 401 and refused.json()["error"] == "missing_signature"
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    # The static link exports the runtime's executor hook: Swift tasks run on the event loops, not on Dispatch's pool.
    assert "Swift's own thread pool" not in (tmp_path / "log.txt").read_text()

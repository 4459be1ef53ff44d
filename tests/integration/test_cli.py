"""The command line: `check` names every problem, `serve` refuses the same, `events list` reads the store."""

import json
import pathlib

from conftest import postern, secret

GOOD = """
listen: 127.0.0.1:18080
sources:
  - name: gh
    path: /gh
    verify: {preset: github, secrets: [x]}
"""

BAD = """
listen: 127.0.0.1
admin: {listen: "0.0.0.0:9090"}
sources:
  - name: a
    path: a
    verify: {preset: cognigy-webhok, secrets: [s]}
    onDuplicate: 201
  - name: b
    path: /b
  - name: c
    path: /c
    verify: {preset: stripe, secrets: [${STRIPE_SECRET_NOT_SET}]}
"""


def test_check_accepts_a_good_file_and_the_example(tmp_path):
    config = tmp_path / "good.yaml"
    config.write_text(GOOD)
    result = postern("check", "--config", str(config))
    assert result.returncode == 0, result.stderr.decode()
    example = pathlib.Path(__file__).resolve().parents[2] / "examples" / "postern.yaml"
    assert postern("check", "--config", str(example)).returncode == 0


def test_check_and_serve_name_every_problem(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text(BAD)
    for command in ("check", "serve"):
        result = postern(command, "--config", str(config))
        assert result.returncode == 2, command
        errors = result.stderr.decode()
        assert "sources[2].verify.secrets[0]: environment variable STRIPE_SECRET_NOT_SET is not set" in errors
    config.write_text(BAD.replace("${STRIPE_SECRET_NOT_SET}", "whsec_x"))
    errors = postern("check", "--config", str(config)).stderr.decode()
    for path in ["listen:", "admin.token:", "sources[0].path:", "sources[0].onDuplicate:", "sources[1].verify:",
                 "sources[0].verify.preset: unknown preset \"cognigy-webhok\""]:
        assert path in errors, f"{path} not in {errors}"


def test_events_list_reads_the_store_after_the_gateway_stopped(gateway_factory):
    key = secret("bearer-token-for-cli")
    gateway = gateway_factory(f"  - {{name: b, path: /b, verify: {{preset: bearer, secrets: [{key}]}}}}\n")
    for index in range(3):
        assert gateway.post("/b", json.dumps({"n": index}), {"Authorization": f"Bearer {key}"}).status_code == 200
    running = gateway.events()
    gateway.stop()
    after = gateway.events()
    assert running == after and len(after) == 3
    assert set(after[0]) == {"id", "source", "idempotencyKey", "receivedAt", "correlationId"}
    assert all(event["idempotencyKey"].startswith("sha256:") for event in after)

"""Runs last: the audit and log output of the whole suite holds none of the secrets the tests used."""

from conftest import OUTPUT_DIR, SECRETS_USED


def test_no_secret_in_any_audit_or_log_output():
    files = sorted(OUTPUT_DIR.iterdir())
    assert files, "no gateway output was collected"
    assert SECRETS_USED
    audit_lines = 0
    for path in files:
        text = path.read_text(errors="replace")
        if path.name.startswith("audit-"):
            audit_lines += text.count("\n")
        for value in SECRETS_USED:
            assert value not in text, f"{path.name} contains a secret"
        assert "Authorization" not in text and "Bearer " not in text, path.name
    assert audit_lines > 50, "the suite wrote too few audit lines for this check to mean anything"

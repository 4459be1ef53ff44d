"""The official JSON-Schema-Test-Suite for draft 2020-12 (tests/vectors/JSON-Schema-Test-Suite, see its README)
through the real binary: every group's schema is compiled by `postern schema check` and every instance validated,
and the verdict must be the suite's. The only exceptions are listed below with their reason: schemas Postern refuses
at load by design (remote references, other meta-schemas, unknown keywords), and where Swift's regex engine differs
from ECMA-262 (docs/configuration.md, "Patterns"). A group outside these lists that is refused, or a verdict that
differs, fails the test."""

import json
import pathlib

import pytest

from conftest import postern

SUITE = pathlib.Path(__file__).resolve().parents[1] / "vectors" / "JSON-Schema-Test-Suite" / "draft2020-12"

# Formats Postern asserts with `formatAssertion: true`; the suite's other format files test formats that pass.
ASSERTED_FORMATS = ["date-time", "date", "time", "email", "hostname", "ipv4", "ipv6", "uri", "uuid", "regex"]

# Groups refused when the schema is loaded, by design, with the reason that must appear in the refusal.
REMOTE = "remote references are not fetched"
OTHER_META_SCHEMA = "only JSON Schema draft 2020-12"
UNKNOWN_KEYWORD = "unknown schema keyword"
REFUSED = {
    ("refRemote.json", None): REMOTE,  # every group references http://localhost:1234/…
    ("dynamicRef.json", "strict-tree schema, guards against misspelled properties"): REMOTE,
    ("dynamicRef.json", "tests for implementation dynamic anchor and reference link"): REMOTE,
    ("dynamicRef.json", "$ref and $dynamicAnchor are independent of order - $defs first"): REMOTE,
    ("dynamicRef.json", "$ref and $dynamicAnchor are independent of order - $ref first"): REMOTE,
    ("dynamicRef.json", "$ref to $dynamicRef finds detached $dynamicAnchor"): REMOTE,
    ("vocabulary.json", None): OTHER_META_SCHEMA,
    ("optional/cross-draft.json", None): REMOTE,
    ("optional/dependencies-compatibility.json", None): UNKNOWN_KEYWORD,  # draft-07's `dependencies`
    ("optional/format-assertion.json", None): OTHER_META_SCHEMA,
    ("optional/refOfUnknownKeyword.json", "reference of a root arbitrary keyword "): UNKNOWN_KEYWORD,
    ("optional/refOfUnknownKeyword.json", "reference of an arbitrary keyword of a sub-schema"): UNKNOWN_KEYWORD,
    # A reference into `examples` (an annotation, not a subschema) does not resolve.
    ("optional/refOfUnknownKeyword.json", "reference internals of known non-applicator"): "is not in the schema",
    ("optional/unknownKeyword.json", None): UNKNOWN_KEYWORD,
    # Swift's regex engine has no `\cX` control escapes.
    ("optional/ecmascript-regex.json", "ECMA 262 regex escapes control codes with \\c and upper letter"): "regular expression",
    ("optional/ecmascript-regex.json", "ECMA 262 regex escapes control codes with \\c and lower letter"): "regular expression",
}
# Verdicts that differ: Swift's `\s` is Unicode's White_Space, which leaves out U+FEFF; ECMA-262's includes it.
DIFFERS = {
    ("optional/ecmascript-regex.json", "ECMA 262 \\s matches whitespace", "zero-width whitespace matches"),
    ("optional/ecmascript-regex.json", "ECMA 262 \\S matches everything but whitespace", "zero-width whitespace does not match"),
}


def suite_files():
    files = sorted(p.relative_to(SUITE).as_posix() for p in SUITE.glob("*.json"))
    files += sorted(p.relative_to(SUITE).as_posix() for p in (SUITE / "optional").glob("*.json"))
    files += [f"optional/format/{name}.json" for name in ASSERTED_FORMATS]
    return files


def refusal(file, description):
    return REFUSED.get((file, description)) or REFUSED.get((file, None))


@pytest.mark.parametrize("file", suite_files())
def test_the_official_suite(file, tmp_path):
    groups = json.loads((SUITE / file).read_text(encoding="utf-8"))
    flags = ["--format-assertion"] if file.startswith("optional/format/") else []
    checked = 0
    for number, group in enumerate(groups):
        schema = tmp_path / f"{number}.schema.json"
        schema.write_text(json.dumps(group["schema"]))
        instances = []
        for position, case in enumerate(group["tests"]):
            instance = tmp_path / f"{number}.{position}.json"
            instance.write_text(json.dumps(case["data"]))
            instances.append(instance)
        result = postern("schema", "check", *flags, str(schema), *map(str, instances))
        lines = result.stdout.decode().splitlines()
        reason = refusal(file, group["description"])
        if reason:
            assert result.returncode == 2, (file, group["description"], lines)
            assert reason in lines[0] and "invalid schema at /" in lines[0], (file, group["description"], lines)
            continue
        assert result.returncode in (0, 1) and lines[0] == f"{schema}: ok", (file, group["description"], lines)
        for case, instance, line in zip(group["tests"], instances, lines[1:], strict=True):
            valid = line == f"{instance}: valid"
            assert valid or line.startswith(f"{instance}: 422 schema_violation: /"), line
            expected = case["valid"] != ((file, group["description"], case["description"]) in DIFFERS)
            assert valid == expected, (file, group["description"], case["description"], line)
            checked += 1
    assert checked > 0 or all(refusal(file, g["description"]) for g in groups)


def test_the_suite_is_all_there():
    # The vendored copy is whole: a file lost from it would silently shrink the test above.
    assert len(list(SUITE.glob("*.json"))) == 46 and (SUITE / "optional" / "format" / "email.json").exists()

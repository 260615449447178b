"""`broadsheet schema --report` describes what `--json` prints: every example's page report, an
edition's report and a refused input's failure validate against it (and a wrong one does not)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PAGES = ["content.yaml"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*/content.yaml"))


@pytest.fixture(scope="module")
def validator():
    r = subprocess.run([PY, "-m", "layout", "schema", "--report"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    schema = json.loads(r.stdout)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _json(args, tmp_path) -> dict:
    r = subprocess.run([PY, "-m", "layout", *args, "--json"], capture_output=True, text=True, cwd=ROOT)
    assert r.stdout, r.stderr
    return json.loads(r.stdout)


@pytest.mark.parametrize("page", PAGES)
def test_every_example_report_validates(validator, page, tmp_path):
    report = _json(["build", page, "--proof", "-o", str(tmp_path / "p.pdf")], tmp_path)
    assert report["type"] == "page" and report["version"] >= 1
    validator.validate(report)
    assert report["text_audit"]["lines"] > 0


def test_check_edition_and_failure_validate(validator, tmp_path):
    validator.validate(_json(["check", "content.yaml"], tmp_path))
    edition = _json(["build", "examples/edition/edition.yaml", "--proof", "-o", str(tmp_path / "ed")], tmp_path)
    assert edition["type"] == "edition" and len(edition["pages"]) == 24
    validator.validate(edition)
    bad = tmp_path / "bad.yaml"
    bad.write_text("folio: {paper: x, date: 2024-10-31, page: three}\n", encoding="utf-8")
    failure = _json(["build", str(bad)], tmp_path)
    assert failure["type"] == "failure" and failure["diagnostics"][0]["line"] == 1
    validator.validate(failure)


def test_the_schema_refuses_what_is_not_a_report(validator, tmp_path):
    report = _json(["check", "content.yaml"], tmp_path)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**report, "findings": [{"kind": "overset", "article": "main"}]})  # lines missing
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**report, "type": "pages"})

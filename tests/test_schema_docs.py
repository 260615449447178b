"""The JSON Schema and the reference are generated from the model, and editors can use them."""

import subprocess
import sys

import jsonschema
import yaml


def test_generated_docs_up_to_date(root):
    r = subprocess.run([sys.executable, str(root / "tools" / "gen_docs.py"), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_content_yaml_points_editors_at_the_schema(root):
    first = (root / "content.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=docs/content.schema.json"


def test_schema_accepts_seed_and_flags_unknown_key(root):
    from layout.model.schema import schema

    s = schema()
    data = yaml.safe_load((root / "content.yaml").read_text(encoding="utf-8"))
    data["folio"]["date"] = str(data["folio"]["date"])  # YAML dates arrive as text in an editor
    jsonschema.validate(data, s)
    data["articles"][0]["bylin"] = "x"
    try:
        jsonschema.validate(data, s)
    except jsonschema.ValidationError as e:
        assert "bylin" in e.message
    else:
        raise AssertionError("unknown key accepted by the schema")


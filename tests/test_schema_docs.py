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



# --- every field is documented (issue 6.3): descriptions and examples for the editor's hover text


def _objects(node, path="#"):
    """Every object schema (one with `properties`) anywhere in the schema: top level, $defs, nested."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            yield path, node
        for key, value in node.items():
            yield from _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{path}/{i}")


def _properties():
    from layout.model.schema import schema

    s = schema()
    return s, [(f"{path}/properties/{name}", prop) for path, obj in _objects(s) for name, prop in obj["properties"].items()]


def test_every_property_has_a_description_and_examples():
    s, props = _properties()
    assert {"#", "#/$defs/PageSpec", "#/$defs/Margins", "#/$defs/Frame", "#/$defs/PublicServiceAd"} <= {p for p, _ in _objects(s)}
    assert len(props) > 80
    missing = []
    for where, prop in props:
        # at the property itself, not only inside an anyOf branch (that is what hover text shows)
        desc = prop.get("description")
        if not isinstance(desc, str) or not desc.strip():
            missing.append(f"{where}: description")
        examples = prop.get("examples")
        if not isinstance(examples, list) or not examples:
            missing.append(f"{where}: examples")
    assert not missing, "\n".join(missing)


def test_every_object_has_a_description():
    s, _ = _properties()
    assert [p for p, obj in _objects(s) if not (obj.get("description") or "").strip()] == []


def test_examples_validate_against_their_property():
    s, props = _properties()
    validator_class = jsonschema.validators.validator_for(s)
    bad = []
    for where, prop in props:
        # the property's subschema, with the definitions its $refs point at
        sub = {**prop, "$defs": s["$defs"]}
        sub.pop("examples", None)
        validator = validator_class(sub)
        for example in prop.get("examples", []):
            for error in validator.iter_errors(example):
                bad.append(f"{where}: {example!r}: {error.message}")
    assert not bad, "\n".join(bad)


def test_schema_validation_of_examples_is_not_vacuous():
    # the check above would pass whatever the examples if refs did not resolve: make sure a wrong value fails
    s, props = _properties()
    validator_class = jsonschema.validators.validator_for(s)
    frame = dict(props)["#/$defs/Article/properties/frame"]
    validator = validator_class({**frame, "$defs": s["$defs"]})
    assert validator.is_valid({"column": 3, "columns": 6, "line": 15, "lines": 40})
    assert not validator.is_valid({"column": 3, "colums": 6, "line": 15, "lines": 40})
    assert not validator.is_valid({"column": 0, "line": 15, "lines": 40})


def _models():
    from layout.model import content as C

    return [m for m in vars(C).values()
            if isinstance(m, type) and issubclass(m, C.Strict) and m is not C.Strict and m.__module__ == C.__name__]


def test_examples_are_accepted_by_the_model():
    # stricter than the schema (type sizes, lengths, validators): each example, put into an otherwise minimal
    # instance made of the first examples of the required fields, validates
    from layout.model.read import read
    from layout.model.reference import field_docs

    bad = []
    models = _models()
    assert len(models) >= 12
    for model in models:
        assert (model.__doc__ or "").strip(), f"{model.__name__} has no docstring"
        fields = field_docs(model)
        base = {f.name: f.examples[0] for f in fields if f.required and f.examples}
        for field in fields:
            if not (field.description or "").strip() or not field.examples:
                bad.append(f"{model.__name__}.{field.name}: no description or examples")
                continue
            for example in field.examples:
                record, problems = read({**base, field.name: example}, model)
                if problems:
                    bad.append(f"{model.__name__}.{field.name}: {example!r}: {problems}")
    assert not bad, "\n".join(bad)


def test_reference_shows_an_example_for_every_field():
    from layout.model.reference import SECTIONS, field_docs, reference_markdown, yaml_inline

    text = reference_markdown()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == sum(len(field_docs(model)) for _, model, _ in SECTIONS)
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert len(cells) == 5, row
        assert cells[3].startswith("`") and len(cells[3]) > 2, row
    assert "| `frame` | [Frame](#frame) | **required** | `{column: 6, columns: 3, line: 55, lines: 62}` |" in text
    assert "| `number` | text |  | `\"1\"` |" in text  # quoted, or YAML would read a number
    # every example, as shown, reads back as the value it stands for (a YAML date as the model reads it)
    import datetime

    def plain(v):
        if isinstance(v, datetime.date):
            return v.isoformat()
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v

    for _, model, _ in SECTIONS:
        for field in field_docs(model):
            for example in field.examples or []:
                assert plain(yaml.safe_load(yaml_inline(example))) == example, (yaml_inline(example), example)

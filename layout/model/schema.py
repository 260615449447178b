"""The JSON Schema of content.yaml, generated from the content model (editors validate and
autocomplete with it through the yaml-language-server line at the top of content.yaml)."""

from __future__ import annotations

import json

import msgspec

from layout.model.content import Document
from layout.model.values import schema_hook


def schema() -> dict:
    """The schema with the page (``Document``) at its top, as editors' YAML servers expect."""
    from layout.model.reference import _TAG_DESCRIPTIONS

    defs = msgspec.json.schema(Document, schema_hook=schema_hook)["$defs"]
    for record in defs.values():  # an ad's `kind:` is its tag: documented like any field
        kind = record.get("properties", {}).get("kind")
        if kind and kind.get("enum") and len(kind["enum"]) == 1:
            kind.update(description=_TAG_DESCRIPTIONS.get(kind["enum"][0], ""), examples=list(kind["enum"]))
    top = defs.pop("Document")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **top, "title": "broadsheet content.yaml",
            "$defs": defs}


def schema_json() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"

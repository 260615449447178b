"""The JSON Schema of content.yaml, generated from the pydantic model (editors validate and
autocomplete with it through the yaml-language-server line at the top of content.yaml)."""

from __future__ import annotations

import json

from layout.model.content import Document


def schema() -> dict:
    s = Document.model_json_schema()
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"  # what pydantic writes
    return s


def schema_json() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"

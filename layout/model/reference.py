"""The content.yaml reference in Markdown, generated from the pydantic model so it never drifts."""

from __future__ import annotations

import datetime as _dt
import json
import re
import types
import typing

import yaml
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from layout.model import content as C
from layout.model import values
from layout.model.units import Length

SECTIONS: list[tuple[str, type[BaseModel], str]] = [
    ("Top level", C.Document, ""),
    ("page", C.PageSpec, "page:"),
    ("page.margins", C.Margins, "page: {margins: ...}"),
    ("folio", C.Folio, "folio:"),
    ("typography", C.Typography, "typography:"),
    ("press", C.Press, "press:"),
    ("articles[]", C.Article, "articles: [- ...]"),
    ("headline", C.Headline, "articles[].headline"),
    ("frame", C.Frame, "a grid rectangle"),
    ("frame (of an article)", C.ModuleFrame, "articles[].frame"),
    ("notch", C.Notch, "articles[].frame.notch"),
    ("section head (in body)", C.SectionHead, "articles[].body: [- {head: ...}]"),
    ("photos[]", C.Photo, "articles[].photos"),
    ("group[] (of a photo)", C.Picture, "articles[].photos[].group"),
    ("ads[] (kind: public-service)", C.PublicServiceAd, "ads"),
    ("ads[] (kind: image)", C.ImageAd, "ads"),
]

#: canonical unit -> how editors write it
_UNIT_SHOWN = {"zi": "字", "line": "行", "col": "栏"}


def _anchor(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


#: a model named in the type column links to its section (the first one that documents it)
_SECTION_OF: dict[type, str] = {}
for _title, _model, _ in SECTIONS:
    _SECTION_OF.setdefault(_model, _title)


def _type_name(ann, metadata: tuple = ()) -> str:
    """What an editor writes for a field of this annotation, in words. ``metadata`` carries the
    validators of an ``Annotated`` type (pydantic keeps them apart from the bare annotation)."""
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        base, *more = typing.get_args(ann)
        return _type_name(base, (*metadata, *more))
    funcs = {getattr(m, "func", None) for m in metadata}
    if ann is Length:
        return "length"
    if values.size in funcs:
        return "type size"
    if values.color in funcs:
        return "colour"
    if origin in (typing.Union, types.UnionType):
        parts = [_type_name(a) for a in typing.get_args(ann) if a is not type(None)]
        return " or ".join(parts)
    if origin is list:
        return f"list of {_type_name(typing.get_args(ann)[0])}"
    if origin is dict:
        return "mapping"
    if origin is tuple:
        return "pair of numbers"
    if origin is typing.Literal:
        return " / ".join(str(a) for a in typing.get_args(ann))
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        title = _SECTION_OF.get(ann)
        return f"[{ann.__name__}](#{_anchor(title)})" if title else ann.__name__
    name = getattr(ann, "__name__", None)
    if name:
        return {"str": "text", "int": "whole number", "float": "number", "bool": "true/false", "date": "date"}.get(name, name)
    return str(ann)


def _field_type(field) -> str:
    return _type_name(field.annotation, tuple(field.metadata))


def _shown(value) -> str:
    if isinstance(value, Length):
        num = f"{value.value:g}"
        return num + _UNIT_SHOWN.get(value.unit, value.unit)
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return str(value)


def _default(field) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        try:
            value = field.default_factory()
        except TypeError:
            return ""
        if isinstance(value, BaseModel) or value in ([], {}):
            return ""
        return f"`{_shown(value)}`"
    if field.default in (None, "", PydanticUndefined):
        return ""
    if isinstance(field.default, bool):
        return f"`{str(field.default).lower()}`"
    if isinstance(field.default, tuple):
        return f"`{yaml_inline(list(field.default))}`"
    if any(getattr(m, "func", None) is values.size for m in field.metadata):
        return f"`{_shown(field.default)}pt`"
    return f"`{_shown(field.default)}`"


def _plain_ok(s: str) -> bool:
    """Can ``s`` be written unquoted inside a YAML flow collection and read back as itself?"""
    if not s or s != s.strip():
        return False
    try:
        back = yaml.safe_load(f"[{s}]")
    except yaml.YAMLError:
        return False
    if back == [s]:
        return True
    # a date written as YYYY-MM-DD is how editors write one (the model reads YAML dates)
    return isinstance(back, list) and len(back) == 1 and isinstance(back[0], _dt.date) and back[0].isoformat() == s


def yaml_inline(value) -> str:
    """A value as an editor would write it on one line of content.yaml (YAML flow style)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return value if _plain_ok(value) else json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_inline(str(k))}: {yaml_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_inline(v) for v in value) + "]"
    return yaml_inline(str(value))


def _example(field) -> str:
    examples = field.examples or []
    if not examples:
        return ""
    text = yaml_inline(examples[0]).replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _one_line(text: str) -> str:
    """Text on one line; only ASCII white space is collapsed (a full-width space 　 is content)."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip(" ")


def reference_markdown() -> str:
    out = ["# content.yaml reference", "",
           "Generated from the content model (`layout/model/content.py`) by `tools/gen_docs.py`; "
           "do not edit by hand. Lengths take units: `mm`, `pt`, `字` (em of body text), `行` (body lines), "
           "`栏` (columns); type sizes take pt or Chinese size names (`小五`, `初号`). Colours are `[C, M, Y, K]` "
           "percentages or names from `colors` (built in: " + ", ".join(f"`{k}`" for k in values.DEFAULT_COLORS) + "). "
           "The example column shows a value as it is written in content.yaml.", ""]
    for title, model, where in SECTIONS:
        out.append(f"## {title}")
        out.append("")
        doc = (model.__doc__ or "").strip()
        if doc:
            out.append(_one_line(doc))
            out.append("")
        out.append("| key | type | default | example | meaning |")
        out.append("|---|---|---|---|---|")
        for name, field in model.model_fields.items():
            desc = _one_line(field.description or "").replace("|", "\\|")
            out.append(f"| `{name}` | {_field_type(field)} | {_default(field)} | {_example(field)} | {desc} |")
        out.append("")
    return "\n".join(out)

"""The content.yaml reference in Markdown, generated from the pydantic model so it never drifts."""

from __future__ import annotations

import typing

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from layout.model import content as C

SECTIONS: list[tuple[str, type[BaseModel], str]] = [
    ("Top level", C.Document, ""),
    ("page", C.PageSpec, "page:"),
    ("page.margins", C.Margins, "page: {margins: ...}"),
    ("folio", C.Folio, "folio:"),
    ("typography", C.Typography, "typography:"),
    ("articles[]", C.Article, "articles: [- ...]"),
    ("headline", C.Headline, "articles[].headline"),
    ("frame", C.Frame, "a grid rectangle"),
    ("section head (in body)", C.SectionHead, "articles[].body: [- {head: ...}]"),
    ("photos[]", C.Photo, "articles[].photos"),
    ("ads[] (kind: public-service)", C.PublicServiceAd, "ads"),
    ("ads[] (kind: image)", C.ImageAd, "ads"),
]


def _type_name(ann) -> str:
    name = getattr(ann, "__name__", None)
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        base = typing.get_args(ann)[0]
        if getattr(base, "__name__", "") == "Length":
            return "length"
        if base is float:
            return "size"
        if typing.get_origin(base) is typing.Union and any(isinstance(a, type) and issubclass(a, BaseModel) for a in typing.get_args(base)):
            return _type_name(base)
        return "colour"
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
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
    if name:
        return {"str": "text", "int": "whole number", "float": "number", "bool": "true/false", "date": "date"}.get(name, name)
    return str(ann)


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
        return f"`{value}`"
    if field.default in (None, "", PydanticUndefined):
        return ""
    return f"`{field.default}`"


def reference_markdown() -> str:
    out = ["# content.yaml reference", "",
           "Generated from the content model (`layout/model/content.py`) by `tools/gen_docs.py`; "
           "do not edit by hand. Lengths take units: `mm`, `pt`, `字` (em of body text), `行` (body lines), "
           "`栏` (columns); type sizes take pt or Chinese size names (`小五`, `初号`). Colours are `[C, M, Y, K]` "
           "percentages or names from `colors` (built in: " + ", ".join(f"`{k}`" for k in C.DEFAULT_COLORS) + ").", ""]
    for title, model, where in SECTIONS:
        out.append(f"## {title}")
        out.append("")
        doc = (model.__doc__ or "").strip()
        if doc:
            out.append(" ".join(doc.split()))
            out.append("")
        out.append("| key | type | default | meaning |")
        out.append("|---|---|---|---|")
        for name, field in model.model_fields.items():
            desc = (field.description or "").replace("|", "\\|")
            out.append(f"| `{name}` | {_type_name(field.annotation)} | {_default(field)} | {desc} |")
        out.append("")
    return "\n".join(out)

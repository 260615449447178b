"""The content.yaml reference in Markdown, generated from the content model so it never drifts."""

from __future__ import annotations

import datetime as _dt
import json
import re
import types
import typing

import msgspec
import yaml
from msgspec import Meta

from layout.model import content as C
from layout.model import values
from layout.model.units import Length

SECTIONS: list[tuple[str, type, str]] = [
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
    ("masthead", C.Masthead, "masthead: (a front page)"),
    ("edition.yaml", C.Edition, "an edition file"),
    ("pages[] (of an edition)", C.EditionPage, "edition.yaml: pages: [- {file: ...}]"),
    ("ads.yaml: ads[] (a booking)", C.Booking, "the edition's booking list, or a CSV row"),
    ("at (of a booking)", C.GridPoint, "ads.yaml: ads[].at"),
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


class FieldDoc(msgspec.Struct, frozen=True):
    """One field of a record as the reference and the schema tests see it."""

    name: str
    type: object  # the annotation, Annotated layers included
    required: bool
    default: object  # msgspec.NODEFAULT when none (required, or made by a factory)
    factory: object  # the default factory, or msgspec.NODEFAULT
    description: str
    examples: list


#: (tag value, description) of a tagged record's tag field (``kind:`` of an ad)
_TAG_DESCRIPTIONS = {
    "public-service": "The kind of ad: public-service, drawn by the engine from the parts below.",
    "image": "The kind of ad: image, a finished file supplied by the advertiser.",
}


def field_docs(model: type) -> list[FieldDoc]:
    """The fields of a record class in order, with their documentation (a tagged record's tag,
    such as an ad's ``kind``, comes first, as editors write it)."""
    hints = typing.get_type_hints(model, include_extras=True)
    out = []
    info = msgspec.inspect.type_info(model)
    if info.tag is not None:
        out.append(FieldDoc(info.tag_field, typing.Literal[info.tag], True, msgspec.NODEFAULT, msgspec.NODEFAULT,
                            _TAG_DESCRIPTIONS.get(info.tag, ""), [info.tag]))
    for f in msgspec.structs.fields(model):
        metas = [m for m in _metas(hints[f.name])]
        desc = next((m.description for m in metas if m.description), "")
        examples = next((m.examples for m in metas if m.examples), [])
        out.append(FieldDoc(f.encode_name, hints[f.name], f.required, f.default, f.default_factory, desc, list(examples)))
    return out


def _metas(ann) -> list[Meta]:
    out = []
    while typing.get_origin(ann) is typing.Annotated:
        ann, *more = typing.get_args(ann)
        out.extend(m for m in more if isinstance(m, Meta))
    return out


def _type_name(ann) -> str:
    """What an editor writes for a field of this annotation, in words."""
    if typing.get_origin(ann) is typing.Annotated:
        return _type_name(typing.get_args(ann)[0])
    words = values.type_words(ann) if isinstance(ann, type) else None
    if words:
        return words
    origin = typing.get_origin(ann)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(ann)
        if set(args) >= {str} and any(typing.get_origin(a) is tuple for a in args):
            return "colour"
        if any(typing.get_origin(a) is typing.Literal for a in args):  # (`off` unquoted: YAML reads false)
            args = tuple(a for a in args if a is not bool)
        parts = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if origin is list:
        return f"list of {_type_name(typing.get_args(ann)[0])}"
    if origin is dict:
        return "mapping"
    if origin is tuple:
        return "pair of numbers"
    if origin is typing.Literal:
        return " / ".join(str(a) for a in typing.get_args(ann))
    if isinstance(ann, type) and issubclass(ann, msgspec.Struct):
        title = _SECTION_OF.get(ann)
        return f"[{ann.__name__}](#{_anchor(title)})" if title else ann.__name__
    name = getattr(ann, "__name__", None)
    if name:
        return {"str": "text", "int": "whole number", "float": "number", "bool": "true/false", "date": "date"}.get(name, name)
    return str(ann)


def _shown(value) -> str:
    if isinstance(value, Length):
        num = f"{value.value:g}"
        return num + _UNIT_SHOWN.get(value.unit, value.unit)
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return str(value)


def _default(field: FieldDoc) -> str:
    if field.required:
        return "**required**"
    if field.factory is not msgspec.NODEFAULT:
        value = field.factory()
        if isinstance(value, msgspec.Struct) or value in ([], {}):
            return ""
        if isinstance(value, values.TypeSize):
            return f"`{_shown(float(value))}pt`"
        return f"`{_shown(value)}`"
    if field.default in (None, "", msgspec.NODEFAULT) or field.default == []:
        return ""
    if isinstance(field.default, bool):
        return f"`{str(field.default).lower()}`"
    if isinstance(field.default, tuple):
        return f"`{yaml_inline(list(field.default))}`"
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


def _example(field: FieldDoc) -> str:
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
        for field in field_docs(model):
            desc = _one_line(field.description or "").replace("|", "\\|")
            out.append(f"| `{field.name}` | {_type_name(field.type)} | {_default(field)} | {_example(field)} | {desc} |")
        out.append("")
    return "\n".join(out)

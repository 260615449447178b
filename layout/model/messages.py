"""pydantic's errors worded for editors: file, line, column, what was expected, a hint.

The content model (``layout.model.content``) defines what content.yaml may say. A valid page is
read without it (``layout.model.fast``); this module runs when the fast reader declines a page,
so it is where pydantic is imported on the build path. It returns the page as records
(``layout.model.records``), the same objects the fast reader makes, or raises the diagnostics.
"""

from __future__ import annotations

import difflib
import math
import typing

from pydantic import BaseModel, ValidationError

from layout.errors import Diagnostic
from layout.model import content as _content
from layout.model import records
from layout.model.content import Document
from layout.model.hints import field_hint, kind_of, path_text, short
from layout.model.source import Source


# ------------------------------------------------------------------------------------------------
# pydantic errors -> diagnostics
# ------------------------------------------------------------------------------------------------

_MODEL_NAMES = {name for name, obj in vars(_content).items()
                if isinstance(obj, type) and issubclass(obj, BaseModel)}
_AD_KINDS = ("public-service", "image")


def _is_branch(part) -> bool:
    """pydantic puts union member names (``str``, ``SectionHead``, ``function-after[...]``) and
    discriminator tags into error locations; they are not keys of the editor's data."""
    return isinstance(part, str) and (
        part in _MODEL_NAMES or part in _AD_KINDS or part in ("str", "constrained-str", "int", "float", "none")
        or part.startswith(("function-", "tuple[", "union[", "list[", "constrained-", "lax-", "nullable[", "json-or-python[")))


def _clean_loc(loc: tuple, data=None) -> tuple:
    """Keep only data keys and indexes of a pydantic location. Walking the editor's data tells a
    key that happens to look like a union member's name (an unknown key `image:`) from a member."""
    out = []
    node = data
    for part in loc:
        if _is_branch(part) and not (isinstance(node, dict) and part in node):
            continue
        out.append(part)
        try:
            node = node[part] if node is not None else None
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(out)


def _model_in(ann, value=None) -> type[BaseModel] | None:
    """The model class inside an annotation (``list[Article]``, ``Frame | None``, a union of ads);
    for a union of models, the one whose ``kind`` matches ``value``'s."""
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(ann):
        m = _model_in(arg, value)
        if m is not None:
            found.append(m)
    if len(found) > 1 and isinstance(value, dict):
        for m in found:
            kind = m.model_fields.get("kind")
            if kind is not None and value.get("kind") in typing.get_args(kind.annotation):
                return m
    return found[0] if found else None


def _value_at(data, path: tuple):
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _fields_at(model: type[BaseModel], loc: tuple, data=None) -> list[str]:
    """Field names accepted at ``loc`` (for 'did you mean' hints on unknown keys)."""
    current: object = model
    for i, part in enumerate(loc):
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        value = _value_at(data, loc[: i + 1]) if data is not None else None
        if isinstance(value, list):
            nxt = loc[i + 1] if i + 1 < len(loc) and isinstance(loc[i + 1], int) else None
            value = value[nxt] if nxt is not None and nxt < len(value) else None
        current = _model_in(fields[part].annotation, value)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []



def _describe(err: dict) -> tuple[str, str]:
    kind = err["type"]
    msg = err["msg"]
    inp = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "this field is required", ""
    if kind == "extra_forbidden":
        return "unknown key", ""
    if kind in ("int_type", "int_parsing"):
        return f"expected a whole number, got {kind_of(inp)}", ""
    if kind == "int_from_float":
        return f"expected a whole number, got {inp!r}", "columns, lines and page numbers are counted in whole numbers"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {kind_of(inp)}", ""
    if kind == "finite_number":
        return f"expected a finite number, got {inp!r}", ""
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {kind_of(inp)}", ""
    if kind == "string_type":
        return f"expected text, got {kind_of(inp)}", "quote the value if it should be text" if not isinstance(inp, (dict, list)) else ""
    if kind == "string_unicode":
        return "the text contains characters that are not valid Unicode", "remove the \\ud800-style escapes"
    if kind == "string_too_short":
        return "must not be empty", ""
    if kind == "too_short":
        if ctx.get("min_length") == 1:
            return "needs at least one entry", ""
        return f"needs at least {ctx.get('min_length')} entries", ""
    if kind == "too_long":
        return f"has too many entries (at most {ctx.get('max_length')})", ""
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than") and isinstance(inp, float) \
            and not math.isfinite(inp):
        return f"expected a finite number, got {inp!r}", ""
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": ("at least", "ge"), "greater_than": ("more than", "gt"),
                 "less_than_equal": ("at most", "le"), "less_than": ("less than", "lt")}[kind]
        return f"must be {bound[0]} {ctx.get(bound[1])}, got {inp!r}", ""
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping (key: value lines), got {kind_of(inp)}", ""
    if kind in ("list_type", "tuple_type"):
        return f"expected a list (lines starting with '- ', or [a, b]), got {kind_of(inp)}", ""
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return f"expected one of {expected}, got {short(inp)}", ""
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        near = difflib.get_close_matches(str(tag), list(_AD_KINDS), n=1, cutoff=0.5)
        return f"unknown kind {tag!r}", (f"did you mean `{near[0]}`? " if near else "") + "kind is public-service or image"
    if kind == "union_tag_not_found":
        return "this ad needs a `kind:` (public-service or image)", "add `kind: public-service` or `kind: image`"
    if kind.startswith(("date_", "datetime_")):
        return f"expected a date as YYYY-MM-DD, got {short(inp)}", ""
    if kind == "value_error":
        text = msg.removeprefix("Value error, ")
        hint = ""
        if "did you mean" in text:
            text, hint = text.split("; did you mean", 1)
            hint = "did you mean" + hint
        return text, hint
    return msg, ""


_TYPE_HINTS = {
    "model_type": "write `key: value` lines indented under it (or {key: value, ...})",
    "dict_type": "write `key: value` lines indented under it (or {key: value, ...})",
    "list_type": "start each entry with '- ' on its own line (or write [a, b])",
    "tuple_type": "write it as a list: [a, b]",
    "int_parsing": "write digits only, e.g. 3",
    "int_type": "write digits only, e.g. 3",
    "float_parsing": "write a number, e.g. 1.5",
    "string_too_short": "write some text, or leave the key out if it is optional",
}


def _union_summary(value, branches: set) -> tuple[str, str]:
    """One message for a value that matches no member of a union."""
    if "Picture" in branches:
        return (f"expected a picture: a file name or {{file: ..., focus: [x, y]}}, got {kind_of(value)}",
                "e.g. - images/photo.jpg")
    if "SectionHead" in branches:
        return (f"expected a paragraph (text) or a section head ({{head: ..., number: ...}}), got {kind_of(value)}",
                "quote the paragraph if it is text" if isinstance(value, (int, float))
                else "write the paragraph's text after '- ', or delete the line")
    return f"expected text or a mapping, got {kind_of(value)}", ""


def _is_key(data, path: tuple, part) -> bool:
    node = _value_at(data, path)
    return isinstance(node, dict) and part in node


def _select_union_errors(errors: list[dict], data) -> tuple[list[dict], list[tuple[tuple, str, str]]]:
    """Of the errors of each union member, keep those of the member the editor evidently meant
    (a mapping -> the model, text -> the text member); a value that fits no member gets one
    summary message instead of one per member."""
    groups: dict[tuple, list[tuple[str, dict]]] = {}
    plain: list[dict] = []
    for err in errors:
        loc = tuple(err["loc"])
        i = next((k for k, p in enumerate(loc) if _is_branch(p) and (p in _MODEL_NAMES or "str" in p)
                  and not _is_key(data, _clean_loc(loc[:k], data), p)), None)
        if i is None:
            plain.append(err)
            continue
        groups.setdefault(_clean_loc(loc[:i], data), []).append((str(loc[i]), err))
    summaries: list[tuple[tuple, str, str]] = []
    for where, members in groups.items():
        value = _value_at(data, where)
        branches = {b for b, _ in members}
        if isinstance(value, dict):
            keep = [e for b, e in members if b in _MODEL_NAMES]
        elif isinstance(value, str):
            keep = [e for b, e in members if "str" in b]
        else:
            keep = []
        if keep:
            plain.extend(keep)
        else:
            msg, hint = _union_summary(value, branches)
            summaries.append((where, msg, hint))
    return plain, summaries



def pydantic_diagnostics(exc: ValidationError, source: Source) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set = set()
    errors, summaries = _select_union_errors(exc.errors(), source.data)
    diags: list[Diagnostic] = []
    for where, message, hint in summaries:
        diags.append(source.diagnostic(where, f"{path_text(where)}: {message}", hint=hint, code="type"))
    # a misspelt required key gives "unknown key `bylin`" and "`byline` is required": say it once
    missing = {_clean_loc(tuple(e["loc"]), source.data) for e in errors if e["type"] == "missing"}
    explained: set[tuple] = set()
    for err in errors:
        loc = _clean_loc(tuple(err["loc"]), source.data)
        if err["type"] == "extra_forbidden" and loc:
            accepted = _fields_at(Document, loc[:-1], source.data)
            for near in difflib.get_close_matches(str(loc[-1]), accepted, n=3, cutoff=0.5):
                if loc[:-1] + (near,) in missing:
                    explained.add(loc[:-1] + (near,))
                    break
    for err in errors:
        loc = _clean_loc(tuple(err["loc"]), source.data)
        if err["type"] == "missing" and loc in explained:
            continue
        message, hint = _describe(err)
        where = path_text(loc)
        if err["type"] == "extra_forbidden" and loc:
            key = loc[-1]
            accepted = _fields_at(Document, loc[:-1], source.data)
            near = [n for n in difflib.get_close_matches(str(key), accepted, n=3, cutoff=0.5) if loc[:-1] + (n,) in explained]
            near = near or difflib.get_close_matches(str(key), accepted, n=1, cutoff=0.5)
            hint = f"did you mean `{near[0]}`?" if near else (f"accepted here: {', '.join(accepted)}" if accepted else "")
            parent = ".".join(str(p) for p in loc[:-1] if not isinstance(p, int))
            d = source.diagnostic(loc, f"unknown key `{key}`" + (f" in {parent}" if parent else ""),
                                  hint=hint, key=True, code="unknown-key")
        elif err["type"] == "missing" and loc and isinstance(loc[-1], int):  # a pair given one value
            parent = path_text(loc[:-1])
            d = source.diagnostic(loc[:-1], f"{parent}: too few values (value {loc[-1] + 1} is missing)",
                                  hint=field_hint(loc[:-1]), code="missing-key")
        elif err["type"] == "missing" and loc:
            parent = path_text(loc[:-1])
            d = source.diagnostic(loc[:-1], f"`{loc[-1]}` is required" + (f" in {parent}" if parent else ""),
                                  hint=hint or f"add `{loc[-1]}:` here", code="missing-key")
        else:
            if not hint:
                hint = _TYPE_HINTS.get(err["type"]) or field_hint(loc)
            d = source.diagnostic(loc, f"{where}: {message}" if where else message, hint=hint, code=err["type"])
        diags.append(d)
    for d in diags:
        sig = (d.line, d.column, d.message)
        if sig not in seen:
            seen.add(sig)
            out.append(d)
    return out



def to_records(value):
    """A validated pydantic value as records: models become the record class of the same name."""
    if isinstance(value, BaseModel):
        rec = object.__new__(getattr(records, type(value).__name__))
        rec.__dict__.update({k: to_records(v) for k, v in value.__dict__.items()})
        rec.model_fields_set = set(value.model_fields_set)
        return rec
    if isinstance(value, list):
        return [to_records(v) for v in value]
    if isinstance(value, tuple):
        return tuple(to_records(v) for v in value)
    if isinstance(value, dict):
        return {k: to_records(v) for k, v in value.items()}
    return value


def checked_document(source: Source):
    """The page as records, validated by pydantic; raises :class:`ValidationError`'s diagnostics
    as a list (the caller adds the loader's warnings)."""
    try:
        return to_records(Document.model_validate(source.data)), []
    except ValidationError as exc:
        return None, pydantic_diagnostics(exc, source)

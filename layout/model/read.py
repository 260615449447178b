"""content.yaml's data to records: ``msgspec.convert`` into the content model, or every problem
of the file, worded for editors.

A valid file is read in one call to msgspec (a fraction of a millisecond for a page). msgspec stops
at the first problem; an editor wants all of them at once, with a message that says what was
expected, and a place in the file. So when msgspec refuses the data, :func:`Reader` reads it
again the same way, record by record and value by value, each value converted by msgspec alone
against its field's type: a refused value is a problem at its own path, and the rest of the file
is still read. The model (``layout.model.content``) stays the only definition of what is valid;
this module only walks it and words what msgspec refused.

Every text is stripped of surrounding white space before it is read (an editor never means it).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import types
import typing
from typing import Any

import msgspec
from msgspec import Meta
from msgspec.structs import fields as struct_fields

from layout.errors import Problem
from layout.model.content import Document, Edition
from layout.model.hints import field_hint, kind_of, path_text, short
from layout.model.values import Length, TypeSize, dec_hook


def read(data: Any, model: type = Document) -> tuple[Any, list[Problem]]:
    """The records of ``data`` (a page by default, or ``Edition``), or None and the problems."""
    data = stripped(data)
    try:
        return msgspec.convert(data, model, dec_hook=dec_hook, strict=False), []
    except msgspec.ValidationError as exc:
        first = str(exc)
    reader = Reader()
    reader.value(data, model, ())
    problems = reader.problems or [Problem((), f"the file is not a valid {model.__name__.lower()}: {first}")]
    return None, _merged(problems, data, model)


def stripped(data: Any) -> Any:
    """``data`` with every text stripped of surrounding white space (keys are left alone)."""
    if isinstance(data, str):
        return data.strip()
    if isinstance(data, dict):
        return {k: stripped(v) for k, v in data.items()}
    if isinstance(data, list):
        return [stripped(v) for v in data]
    return data


# ------------------------------------------------------------------------------------------------
# the model's types, as the reader walks them
# ------------------------------------------------------------------------------------------------


def _unwrap(t) -> tuple[Any, list[Meta]]:
    """A type without its ``Annotated`` layers, and their ``Meta`` objects (outermost first)."""
    metas: list[Meta] = []
    while typing.get_origin(t) is typing.Annotated:
        t, *more = typing.get_args(t)
        metas.extend(m for m in more if isinstance(m, Meta))
    return t, metas


def _is_record(t) -> bool:
    return isinstance(t, type) and issubclass(t, msgspec.Struct)


def _members(t) -> tuple:
    """The members of a union type (``A | B``, ``Union[A, B]``), or ``(t,)``."""
    if typing.get_origin(t) in (typing.Union, types.UnionType):
        return typing.get_args(t)
    return (t,)


def _extra_message(metas: list[Meta]) -> str:
    for m in metas:
        if m.extra and "message" in m.extra:
            return m.extra["message"]
    return ""


def _hints(record: type) -> dict[str, Any]:
    return typing.get_type_hints(record, include_extras=True)


class Reader:
    """Reads data against the model like ``msgspec.convert``, but goes on after a problem."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, path: tuple, message: str, hint: str = "", code: str = "type", key: bool = False) -> None:
        self.problems.append(Problem(path, message, hint, code, key))

    # a value of any type: returns the converted value, or _BAD
    def value(self, v, t, path: tuple):
        base, metas = _unwrap(t)
        members = _members(base)
        if len(members) > 1:
            return self.union(v, t, base, members, metas, path)
        if _is_record(base):
            return self.record(v, base, path)
        origin = typing.get_origin(base)
        if origin is list:
            return self.sequence(v, t, typing.get_args(base)[0], metas, path)
        if origin is dict:
            return self.mapping(v, t, typing.get_args(base)[1], path)
        return self.leaf(v, t, base, metas, path)

    def union(self, v, t, base, members, metas, path):
        if v is None and type(None) in members:
            return None
        real = [m for m in members if m is not type(None)]
        if len(real) == 1:
            return self.value(v, real[0], path)
        records = [m for m in real if _is_record(_unwrap(m)[0])]
        if not records:
            return self.leaf(v, t, base, metas, path)
        tagged = [r for r in records if msgspec.inspect.type_info(r).tag is not None]
        if tagged and len(tagged) == len(real):
            return self.tagged(v, tagged, path)
        # a record or a plain value (a paragraph or a section head; a file name or {file, focus})
        if isinstance(v, dict):
            return self.value(v, records[0], path)
        plain = [m for m in real if not _is_record(_unwrap(m)[0])]
        if isinstance(v, str) and plain:
            return self.value(v, plain[0], path)
        message, hint = _union_summary(v, records[0].__name__)
        self.add(path, f"{path_text(path)}: {message}", hint)
        return _BAD

    def tagged(self, v, records: list, path: tuple):
        info = msgspec.inspect.type_info(records[0])
        field = info.tag_field
        if not isinstance(v, dict):
            self.add(path, f"{path_text(path)}: expected a mapping (key: value lines), got {kind_of(v)}",
                     _TYPE_HINTS["mapping"])
            return _BAD
        kinds = {msgspec.inspect.type_info(r).tag: r for r in records}
        if field not in v:
            self.add(path, f"{path_text(path)}: this ad needs a `{field}:` ({' or '.join(kinds)})",
                     " or ".join(f"`{field}: {k}`" for k in kinds).join(("add ", "")), code="union_tag_not_found")
            return _BAD
        tag = v[field]
        if not isinstance(tag, str) or tag not in kinds:
            near = difflib.get_close_matches(str(tag), list(kinds), n=1, cutoff=0.5)
            self.add(path, f"{path_text(path)}: unknown kind {tag!r}",
                     (f"did you mean `{near[0]}`? " if near else "") + f"kind is {' or '.join(kinds)}",
                     code="union_tag_invalid")
            return _BAD
        return self.record({k: x for k, x in v.items() if k != field}, kinds[tag], path, tag=(field, tag))

    def record(self, v, record: type, path: tuple, tag: tuple | None = None):
        if not isinstance(v, dict):
            self.add(path, f"{path_text(path)}: expected a mapping (key: value lines), got {kind_of(v)}"
                     if path else f"expected a mapping (key: value lines), got {kind_of(v)}",
                     _TYPE_HINTS["mapping"])
            return _BAD
        hints = _hints(record)
        known = {f.encode_name: f for f in struct_fields(record)}
        before = len(self.problems)
        for k in v:
            if k not in known:
                self.add(path + (k,), "unknown key", code="extra_forbidden", key=True)
        out = {}
        for name, f in known.items():
            if name not in v:
                if f.required:
                    self.add(path + (name,), "required", code="missing")
                continue
            out[f.name] = self.value(v[name], hints[f.name], path + (name,))
        if len(self.problems) > before:
            return _BAD
        for name, check in record.checks:  # checks beyond types and bounds, at their field
            if name and name in out:
                try:
                    check(out[name])
                except ValueError as exc:
                    self.value_error(path + (name,), str(exc))
                    return _BAD
        try:
            return msgspec.convert({**v, **(dict([tag]) if tag else {})}, record, dec_hook=dec_hook, strict=False)
        except msgspec.ValidationError as exc:  # a check of the whole record
            self.value_error(path, str(exc).split(" - at `")[0])
            return _BAD

    def sequence(self, v, t, item, metas, path):
        if not self.plain(v, typing.Annotated[(list[Any], *metas)] if metas else list[Any], t, metas, path):
            return _BAD
        out = [self.value(x, item, path + (i,)) for i, x in enumerate(v)]
        return _BAD if any(x is _BAD for x in out) else out

    def mapping(self, v, t, item, path):
        if not self.plain(v, dict[str, Any], t, [], path):
            return _BAD
        out = {k: self.value(x, item, path + (k,)) for k, x in v.items()}
        return _BAD if any(x is _BAD for x in out.values()) else out

    def plain(self, v, shape, t, metas, path) -> bool:
        """The container itself (a list, a mapping, and its length) is what it should be."""
        try:
            msgspec.convert(v, shape, strict=False)
            return True
        except msgspec.ValidationError as exc:
            self.refused(v, t, metas, path, str(exc))
            return False

    def leaf(self, v, t, base, metas, path):
        try:
            return msgspec.convert(v, t, dec_hook=dec_hook, strict=False)
        except msgspec.ValidationError as exc:
            self.refused(v, t, metas, path, str(exc))
            return _BAD

    # wording -------------------------------------------------------------------------------------

    def value_error(self, path: tuple, text: str) -> None:
        hint = ""
        if "; did you mean" in text:
            text, hint = text.split("; did you mean", 1)
            hint = "did you mean" + hint
        where = path_text(path)
        self.add(path, f"{where}: {text}" if where else text, hint, code="value_error")

    def refused(self, v, t, metas, path: tuple, error: str) -> None:
        """Word msgspec's refusal of ``v`` (of type ``t``) at ``path``."""
        text, _, at = error.partition(" - at `$")
        sub = _path_of(at.rstrip("`")) if at else ()
        where = path  # (a colour or a focus point is one value: the problem is located at it)
        inner = _value_at(v, sub)
        base, metas2 = _unwrap(_type_at(t, sub))
        metas = metas2 or metas
        for member in _members(base):  # (`int | None`: the int's bounds)
            b, m = _unwrap(member)
            if b is not type(None) and m:
                metas = metas + m
                if len(_members(base)) == 2:
                    base = b
        message, hint, code = _describe(text, inner, base, metas)
        if code == "value_error":
            self.value_error(where, message)
            return
        shown = path_text(where)
        self.add(where, f"{shown}: {message}" if shown else message, hint, code)


_BAD = object()


def _path_of(text: str) -> tuple:
    """msgspec's ``.a[0].b`` as a data path."""
    out: list = []
    for part in text.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("[") and part.endswith("]"):
            inner = part[1:-1]
            out.append(int(inner) if inner.lstrip("-").isdigit() else inner)
        else:
            out.append(part)
    return tuple(out)


def _value_at(v, path: tuple):
    for p in path:
        try:
            v = v[p]
        except (KeyError, IndexError, TypeError):
            return None
    return v


def _type_at(t, path: tuple):
    """The type of the value at ``path`` inside a value of type ``t`` (tuples, lists)."""
    for p in path:
        base, _ = _unwrap(t)
        shaped = [m for m in _members(base) if typing.get_origin(_unwrap(m)[0]) in (tuple, list, dict)]
        base = shaped[0] if shaped else next((m for m in _members(base) if m is not type(None)), base)
        base, _ = _unwrap(base)
        args = typing.get_args(base)
        origin = typing.get_origin(base)
        if origin is tuple and isinstance(p, int) and p < len(args):
            t = args[p]
        elif origin in (list, dict) and args:
            t = args[-1]
        else:
            return t
    return t


def _literals(base) -> tuple:
    """The values a Literal type (or the Literal member of a union) allows."""
    out: list = []
    for m in _members(base):
        m, _ = _unwrap(m)
        if typing.get_origin(m) is typing.Literal:
            out.extend(typing.get_args(m))
    return tuple(out)


def _describe(text: str, v, base, metas: list[Meta]) -> tuple[str, str, str]:
    """(message, hint, code) for msgspec's ``text`` about value ``v`` of type ``base``."""
    extra = _extra_message(metas)
    if text.startswith("Expected `") and ("` >=" in text or "` <=" in text or "` >" in text or "` <" in text):
        if extra:
            return extra, "", "value_error"
        if isinstance(v, float) and not math.isfinite(v):
            return f"expected a finite number, got {v!r}", "", "finite_number"
        bound = next((m for m in metas if m.ge is not None or m.le is not None or m.gt is not None or m.lt is not None), None)
        if bound is not None:
            shown = float if "`float`" in text else (lambda x: x)
            if "` >=" in text or "` >" in text:
                lo = bound.ge if bound.ge is not None else bound.gt
                return f"must be {'at least' if bound.ge is not None else 'more than'} {shown(lo)}, got {v!r}", "", "range"
            hi = bound.le if bound.le is not None else bound.lt
            return f"must be {'at most' if bound.le is not None else 'less than'} {shown(hi)}, got {v!r}", "", "range"
        return text, "", "range"
    if "of length >=" in text or "of length <=" in text:
        if extra:
            return extra, "", "value_error"
        if isinstance(v, str):
            return "must not be empty", _TYPE_HINTS["empty"], "string_too_short"
        n = next((m.min_length for m in metas if m.min_length is not None), None)
        if "of length >=" in text:
            return ("needs at least one entry" if n in (None, 1) else f"needs at least {n} entries"), "", "too_short"
        n = next((m.max_length for m in metas if m.max_length is not None), None)
        return f"has too many entries (at most {n})", "", "too_long"
    if text.startswith("Invalid enum value") or (text.startswith("Expected `") and _literals(base)):
        options = _literals(base)
        shown = [repr(o) for o in options]
        listed = ", ".join(shown[:-1]) + f" or {shown[-1]}" if len(shown) > 1 else "".join(shown)
        near = difflib.get_close_matches(str(v), [str(o) for o in options], n=1, cutoff=0.6)
        return f"expected one of {listed}, got {short(v)}", f"did you mean {near[0]!r}?" if near else "", "literal_error"
    if not text.startswith("Expected `") and not text.startswith("Invalid"):
        return text, "", "value_error"  # a reader's own message (a length, a type size)
    # a value of the wrong kind
    if base is _dt.date or "`date`" in text or "date" in text.lower() and "Invalid" in text:
        return f"expected a date as YYYY-MM-DD, got {short(v)}", "", "date_type"
    if extra:
        return extra, "", "value_error"
    if base is bool:
        return f"expected true or false, got {kind_of(v)}", "", "bool_type"
    if base is int:
        if isinstance(v, float) and not isinstance(v, bool):
            return f"expected a whole number, got {v!r}", "columns, lines and page numbers are counted in whole numbers", "int_from_float"
        return f"expected a whole number, got {kind_of(v)}", "" if isinstance(v, bool) else _TYPE_HINTS["int"], "int_type"
    if base is float:
        return f"expected a number, got {kind_of(v)}", "" if isinstance(v, bool) else _TYPE_HINTS["float"], "float_type"
    if base is str:
        return f"expected text, got {kind_of(v)}", "" if isinstance(v, (dict, list)) else "quote the value if it should be text", "string_type"
    origin = typing.get_origin(base)
    if origin is typing.Literal:
        options = [repr(o) for o in typing.get_args(base)]
        listed = ", ".join(options[:-1]) + f" or {options[-1]}" if len(options) > 1 else "".join(options)
        return f"expected one of {listed}, got {short(v)}", "", "literal_error"
    if origin in (list, tuple) or "`array`" in text:
        return (f"expected a list (lines starting with '- ', or [a, b]), got {kind_of(v)}",
                _TYPE_HINTS["tuple" if origin is tuple else "list"], "list_type")
    if origin is dict or "`object`" in text:
        return f"expected a mapping (key: value lines), got {kind_of(v)}", _TYPE_HINTS["mapping"], "dict_type"
    if isinstance(base, type) and issubclass(base, (Length, TypeSize)):
        return text, "", "value_error"
    return f"{text[0].lower()}{text[1:]}", "", "type"


_TYPE_HINTS = {
    "mapping": "write `key: value` lines indented under it (or {key: value, ...})",
    "list": "start each entry with '- ' on its own line (or write [a, b])",
    "tuple": "write it as a list: [a, b]",
    "int": "write digits only, e.g. 3",
    "float": "write a number, e.g. 1.5",
    "empty": "write some text, or leave the key out if it is optional",
}


def _union_summary(value, record: str) -> tuple[str, str]:
    """One message for a value that matches no member of a union."""
    if record == "Picture":
        return (f"expected a picture: a file name or {{file: ..., focus: [x, y]}}, got {kind_of(value)}",
                "e.g. - images/photo.jpg")
    if record == "SectionHead":
        return (f"expected a paragraph (text) or a section head ({{head: ..., number: ...}}), got {kind_of(value)}",
                "quote the paragraph if it is text" if isinstance(value, (int, float))
                else "write the paragraph's text after '- ', or delete the line")
    return f"expected text or a mapping, got {kind_of(value)}", ""


# ------------------------------------------------------------------------------------------------
# unknown and missing keys: one message for a misspelt required key
# ------------------------------------------------------------------------------------------------


def _fields_at(model: type, path: tuple, data) -> list[str]:
    """Keys accepted at ``path`` (for 'did you mean' hints on unknown keys)."""
    t: Any = model
    node = data
    for p in path:
        node = _value_at(node, (p,))
        base, _ = _unwrap(t)
        if isinstance(p, int):
            base = next((m for m in _members(base) if m is not type(None)), base)
            base, _ = _unwrap(base)
            args = typing.get_args(base)
            t = args[0] if args else None
            continue
        members = [m for m in _members(base) if m is not type(None)]
        record = _pick_record(members, node if isinstance(node, dict) else None)
        if record is None:
            return []
        hints = _hints(record)
        if p not in hints:
            return []
        t = hints[p]
    base, _ = _unwrap(t)
    members = [_unwrap(m)[0] for m in _members(base) if m is not type(None)]
    record = _pick_record(members, node if isinstance(node, dict) else None)
    return [f.encode_name for f in struct_fields(record)] if record is not None else []


def _pick_record(members, value):
    """The record class among a union's members that ``value`` (a mapping) is meant for."""
    records = [_unwrap(m)[0] for m in members if _is_record(_unwrap(m)[0])]
    if len(records) > 1 and isinstance(value, dict):
        for r in records:
            info = msgspec.inspect.type_info(r)
            if info.tag is not None and value.get(info.tag_field) == info.tag:
                return r
    return records[0] if records else None


#: keys editors write from other systems' vocabulary (or British spelling), and ours: the
#: suggestion for an unknown key before any near spelling ("colour" is not "column_rules")
SYNONYMS = {
    "colour": "color", "colours": "colors", "subtitle": "subhead", "deck": "subhead", "dek": "subhead",
    "title": "headline", "head": "headline", "hed": "headline", "author": "byline", "by": "byline",
    "overline": "kicker", "eyebrow": "kicker", "text": "body", "paragraphs": "body", "image": "file",
    "images": "photos", "pictures": "photos", "cutline": "caption", "photographer": "credit",
}


def _merged(problems: list[Problem], data, model: type) -> list[Problem]:
    """Unknown and missing keys worded with their neighbours in mind: a misspelt required key
    (`bylin`) is one problem ("unknown key `bylin`, did you mean `byline`?"), not two."""
    missing = {p.path for p in problems if p.code == "missing"}
    explained: set[tuple] = set()
    out: list[Problem] = []
    for p in problems:
        if p.code != "extra_forbidden":
            continue
        accepted = _fields_at(model, p.path[:-1], data)
        for near in difflib.get_close_matches(str(p.path[-1]), accepted, n=3, cutoff=0.5):
            if p.path[:-1] + (near,) in missing:
                explained.add(p.path[:-1] + (near,))
                break
    for p in problems:
        if p.code == "extra_forbidden":
            key = p.path[-1]
            accepted = _fields_at(model, p.path[:-1], data)
            near = [n for n in difflib.get_close_matches(str(key), accepted, n=3, cutoff=0.5)
                    if p.path[:-1] + (n,) in explained]
            synonym = SYNONYMS.get(str(key).lower())
            near = near or ([synonym] if synonym in accepted else []) or \
                difflib.get_close_matches(str(key), accepted, n=1, cutoff=0.6)
            hint = f"did you mean `{near[0]}`?" if near else (f"accepted here: {', '.join(accepted)}" if accepted else "")
            parent = ".".join(str(x) for x in p.path[:-1] if not isinstance(x, int))
            out.append(Problem(p.path, f"unknown key `{key}`" + (f" in {parent}" if parent else ""), hint,
                               "unknown-key", key=True))
        elif p.code == "missing":
            if p.path in explained:
                continue
            parent = path_text(p.path[:-1])
            name = p.path[-1]
            out.append(Problem(p.path[:-1], f"`{name}` is required" + (f" in {parent}" if parent else ""),
                               f"add `{name}:` here", "missing-key"))
        else:
            if not p.hint:
                p = Problem(p.path, p.message, field_hint(p.path), p.code, p.key)
            out.append(p)
    return out


__all__ = ["Problem", "read", "stripped", "Edition"]

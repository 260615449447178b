"""The fast reader: content.yaml's data to records, without pydantic, for pages that are valid.

It interprets the model as data (``layout.model.spec``, generated from the pydantic classes) and
accepts only values in their plain form: a whole number as an int, text as a str, a list as a
list. Whatever else it meets (a missing or unknown key, ``"3"`` for 3, ``3.0`` for a whole
number, a value a check refuses) makes it *decline*, and the caller validates the page with
pydantic instead, which then accepts the value the way pydantic does or words the error. So the
reader needs no messages of its own, and a page it accepts comes out exactly as pydantic would
make it (``tests/test_fast_reader.py`` compares the two on every example and on generated pages).
"""

from __future__ import annotations

import datetime as _dt
import math

from layout.model import values
from layout.model.records import CLASSES, default_value
from layout.model.spec import MODELS
from layout.model.units import Length

#: characters Python's strip() removes and pydantic's does not (pydantic trims Unicode White_Space only)
_ODD_SPACE = "\x1c\x1d\x1e\x1f"


class Decline(Exception):
    """The value is not in its plain valid form: pydantic decides."""


def read(data):
    """The page's records, or None when pydantic must look at the page."""
    try:
        return _model("Document", data)
    except (Decline, ValueError, OverflowError):
        return None


def _model(name: str, data):
    if type(data) is not dict:
        raise Decline
    spec = MODELS[name]
    fields = spec["fields"]
    if len(data) > len(fields):
        raise Decline
    rec = object.__new__(CLASSES[name])
    out = rec.__dict__
    seen = 0
    for field, t, default in fields:
        if field in data:
            out[field] = _value(t, data[field])
            seen += 1
        elif default[0] == "req":
            raise Decline
        else:
            out[field] = default_value(field, default, name)
    if seen != len(data):  # a key that is no field
        raise Decline
    rec.model_fields_set = {k for k in data}
    for check in spec["checks"]:
        getattr(values, check)(rec)
    return rec


def _value(t: tuple, v):
    kind = t[0]
    if kind == "str":
        if type(v) is not str or any(c in v for c in _ODD_SPACE):
            raise Decline
        v = v.strip()
        if t[1] is not None and len(v) < t[1]:
            raise Decline
        return v
    if kind == "int":
        if type(v) is not int or (t[1] is not None and v < t[1]) or (t[2] is not None and v > t[2]):
            raise Decline
        return v
    if kind == "float":
        if type(v) is int:
            v = float(v)
        elif type(v) is not float or not math.isfinite(v):
            raise Decline
        if (t[1] is not None and v < t[1]) or (t[2] is not None and v > t[2]):
            raise Decline
        return v
    if kind == "opt":
        return None if v is None else _value(t[1], v)
    if kind == "model":
        return _model(t[1], v)
    if kind == "before":
        return _value(t[2], getattr(values, t[1])(v))
    if kind == "after":
        return getattr(values, t[2])(_value(t[1], v))
    if kind == "lit":
        if type(v) is not str or v not in t[1]:
            raise Decline
        return v
    if kind == "list":
        if type(v) is not list or (t[2] is not None and len(v) < t[2]):
            raise Decline
        item = t[1]
        return [_value(item, x) for x in v]
    if kind == "bool":
        if type(v) is not bool:
            raise Decline
        return v
    if kind == "union":
        members = [m for m in t[1] if _takes(m, v)]
        if len(members) != 1:
            raise Decline
        return _value(members[0], v)
    if kind == "tagged":
        if type(v) is not dict or type(v.get(t[1])) is not str or v[t[1]] not in t[2]:
            raise Decline
        return _model(t[2][v[t[1]]], v)
    if kind == "dict":
        if type(v) is not dict:
            raise Decline
        out = {}
        for k, x in v.items():
            if type(k) is not str or k != k.strip():
                raise Decline
            out[k] = _value(t[1], x)
        return out
    if kind == "tuple":
        if type(v) not in (list, tuple) or len(v) != len(t[1]):
            raise Decline
        return tuple(_value(m, x) for m, x in zip(t[1], v))
    if kind == "length":
        if type(v) is not Length:
            raise Decline
        return v
    if kind == "date":
        if type(v) is not _dt.date:
            raise Decline
        return v
    if kind == "any":
        return v
    raise Decline  # (a kind this reader does not know: let pydantic decide)


def _takes(t: tuple, v) -> bool:
    """Whether a union member takes a value of ``v``'s plain type (the member is then the only
    one pydantic's smart union could pick)."""
    kind = t[0]
    if kind == "after":
        return _takes(t[1], v)
    if kind in ("str", "lit"):
        return type(v) is str
    if kind in ("model", "tagged", "dict"):
        return type(v) is dict
    if kind in ("list", "tuple"):
        return type(v) in (list, tuple)
    if kind == "int":
        return type(v) is int
    if kind == "float":
        return type(v) in (int, float)
    if kind == "bool":
        return type(v) is bool
    return False

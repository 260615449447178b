"""The fast reader: content.yaml's data to records, without pydantic, for pages that are valid.

It interprets the model as data (``layout.model.spec``, generated from the pydantic classes) and
accepts only values in their plain form: a whole number as an int, text as a str, a list as a
list. Whatever else it meets (a missing required key, an unknown key, ``"3"`` for 3, ``3.0``
for a whole number, a value a check refuses) makes it *decline*, and the caller validates the
page with pydantic instead, which then accepts the value the way pydantic does or words the
error. So the reader needs no messages of its own, and a page it accepts comes out exactly as
pydantic would make it (``tests/test_fast_reader.py`` compares the two on every example and on
generated pages). Edition files are read the same way (``read(data, "Edition")``).
"""

from __future__ import annotations

import copy
import datetime as _dt
import math
import re

from layout.model import values
from layout.model.records import CLASSES, default_value
from layout.model.spec import MODELS
from layout.model.units import Length

#: characters Python's strip() removes and pydantic's does not (pydantic trims Unicode White_Space
#: only), and lone surrogates (pydantic refuses them; the YAML loader never makes them)
_ODD = re.compile("[\x1c-\x1f\ud800-\udfff]")


class Decline(Exception):
    """The value is not in its plain valid form: pydantic decides."""


def read(data, model: str = "Document"):
    """The page's records (or an edition file's, with ``model="Edition"``), or None when
    pydantic must look at the data."""
    try:
        return _model(model, data)
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
        rec = getattr(values, check)(rec)  # (as pydantic, the record an after-check returns)
    return rec


def _value(t: tuple, v):
    kind = t[0]
    if kind == "str":
        if type(v) is not str or _ODD.search(v):
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
    if kind == "any":  # (a copy: the records share nothing mutable with the YAML data)
        return copy.deepcopy(v) if isinstance(v, (dict, list)) else v
    raise Decline  # (a kind this reader does not know: let pydantic decide)


def _takes(t: tuple, v) -> bool:
    """Whether a union member may take ``v``, by its plain type. A member the reader cannot
    judge that way (one with a before-validator, an optional, a date, ...) counts as taking it,
    so that a union with such a member declines rather than guesses which member pydantic
    would pick."""
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
    return True

"""Writes ``layout/model/spec.py``: the content model's fields, types, constraints, defaults and
checks as plain data, derived from the pydantic classes of ``layout.model.content`` (a page
and an edition file).

The fast reader (``layout.model.fast``) interprets that data, so a build of a valid page needs
neither pydantic's import nor its class construction (together about half of a whole build).
pydantic stays the definition: this generator reads it, ``tests/test_fast_reader.py`` fails when
the committed spec no longer matches it, and ``make spec`` (``python -m layout.model.specgen``)
writes it again.

Type specs are tuples: ``("str", min_len)``, ``("int", ge, le)``, ``("float", ge, le)``,
``("bool",)``, ``("date",)``, ``("any",)``, ``("length",)``, ``("lit", choices)``,
``("opt", t)``, ``("list", t, min_len)``, ``("dict", t)``, ``("tuple", ts)``,
``("union", ts)``, ``("tagged", key, {tag: model})``, ``("model", name)``,
``("before", function, t)`` and ``("after", t, function)``, the functions named from
``layout.model.values`` (found by identity: a model's validators *are* those functions). Defaults: ``("req",)``, ``("is", value)``, ``("new", "list"|"dict")``
or ``("model", name)`` (the model read from an empty mapping).
"""

from __future__ import annotations

import datetime as _dt
import pprint
import types
import typing
from pathlib import Path

import annotated_types as at
from pydantic import AfterValidator, BaseModel, BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from layout.model import content, values
from layout.model.units import Length

SPEC_FILE = Path(__file__).with_name("spec.py")

#: Validators the fast reader needs not run: it never takes true/false for a number in the first place.
SUBSUMED = {"_no_bool_for_numbers"}
#: What the reader interprets of a model's config, a field and an inner ``Field(...)``; anything
#: else set there may change validation, so the generator refuses it rather than ignore it.
CONFIG_KEYS = {"extra", "str_strip_whitespace", "title", "json_schema_extra"}
FIELD_KEYS = {"annotation", "default", "default_factory", "description", "examples", "title"}
INNER_FIELD_KEYS = {"discriminator"}


class SpecError(Exception):
    """The model uses something the fast reader cannot interpret; extend the generator and the reader."""


def _function_name(func) -> str:
    for name, obj in vars(values).items():
        if obj is func:
            return name
    raise SpecError(f"validator {func!r} is not a function of layout.model.values")


def _split(metadata) -> tuple[list, list, dict, str | None]:
    befores, afters, limits, disc = [], [], {}, None
    for m in metadata:
        if isinstance(m, BeforeValidator):
            befores.append(_function_name(m.func))
        elif isinstance(m, AfterValidator):
            afters.append(_function_name(m.func))
        elif isinstance(m, at.Ge):
            limits["ge"] = m.ge
        elif isinstance(m, at.Le):
            limits["le"] = m.le
        elif isinstance(m, at.MinLen):
            limits["min_len"] = m.min_length
        elif isinstance(m, FieldInfo) and m.discriminator and set(m._attributes_set) <= INNER_FIELD_KEYS:
            disc = m.discriminator
        elif isinstance(m, (PlainSerializer, WithJsonSchema)):
            continue  # (output and schema only)
        else:
            raise SpecError(f"unknown annotation {m!r}")
    if len(befores) > 1 or len(afters) > 1:
        raise SpecError("more than one before or after validator on one type: their order would matter")
    return befores, afters, limits, disc


def _type(ann, metadata=()) -> tuple:
    if typing.get_origin(ann) is typing.Annotated:
        base, *meta = typing.get_args(ann)
        return _type(base, [*meta, *metadata])
    befores, afters, limits, disc = _split(metadata)
    t = _base(ann, limits, disc)
    for f in afters:
        t = ("after", t, f)
    for f in befores:
        t = ("before", f, t)
    return t


def _base(ann, limits: dict, disc: str | None) -> tuple:
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    used = set()

    def take(*names):
        used.update(n for n in names if n in limits)
        return tuple(limits.get(n) for n in names)

    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if len(members) < len(args):  # Optional: the limits go to the value
            inner = members[0] if len(members) == 1 else typing.Union[tuple(members)]
            return ("opt", _type(inner, _limits_back(limits)))
        if disc:
            tags = {}
            for m in members:
                for tag in typing.get_args(m.model_fields[disc].annotation):
                    tags[tag] = m.__name__
            t = ("tagged", disc, tags)
        else:
            t = ("union", tuple(_type(m) for m in members))
    elif origin is typing.Literal:
        t = ("lit", args)
    elif origin is list:
        t = ("list", _type(args[0]), *take("min_len"))
    elif origin is dict:
        if args[0] is not str:
            raise SpecError(f"mapping keys other than text: {ann!r}")
        t = ("dict", _type(args[1]))
    elif origin is tuple:
        if Ellipsis in args:
            raise SpecError(f"variable tuples: {ann!r}")
        t = ("tuple", tuple(_type(a) for a in args))
    elif ann is str:
        t = ("str", *take("min_len"))
    elif ann is int:
        t = ("int", *take("ge", "le"))
    elif ann is float:
        t = ("float", *take("ge", "le"))
    elif ann is bool:
        t = ("bool",)
    elif ann is _dt.date:
        t = ("date",)
    elif ann is typing.Any:
        t = ("any",)
    elif ann is Length:
        t = ("length",)
    elif isinstance(ann, type) and issubclass(ann, BaseModel):
        t = ("model", ann.__name__)
    else:
        raise SpecError(f"unknown type {ann!r}")
    if set(limits) - used:
        raise SpecError(f"limits {sorted(set(limits) - used)} cannot apply to {ann!r}")
    return t


def _limits_back(limits: dict) -> list:
    out = []
    if "ge" in limits:
        out.append(at.Ge(limits["ge"]))
    if "le" in limits:
        out.append(at.Le(limits["le"]))
    if "min_len" in limits:
        out.append(at.MinLen(limits["min_len"]))
    return out


def _default(field: FieldInfo) -> tuple:
    if field.is_required():
        return ("req",)
    if field.default_factory is not None:
        if field.default_factory in (list, dict):
            return ("new", field.default_factory.__name__)
        value = field.default_factory()
        if isinstance(value, BaseModel):
            if value.model_fields_set:
                raise SpecError(f"a default model with fields set: {value!r}")
            return ("model", type(value).__name__)
        if isinstance(value, Length):
            return ("is", value)
        raise SpecError(f"unknown default factory {field.default_factory!r}")
    value = field.default
    if value is PydanticUndefined or isinstance(value, (list, dict, set)):
        raise SpecError(f"default {value!r} needs a factory")
    return ("is", value)


def model_spec(cls: type[BaseModel]) -> dict:
    decorators = cls.__pydantic_decorators__
    field_checks: dict[str, list[tuple[str, str]]] = {}
    for name, dec in decorators.field_validators.items():
        if name in SUBSUMED:
            continue
        if dec.info.mode not in ("before", "after"):
            raise SpecError(f"{cls.__name__}.{name}: mode {dec.info.mode}")
        for f in dec.info.fields:
            if f not in cls.model_fields:
                raise SpecError(f"{cls.__name__}.{name}: validator of {f!r}, which is no field here")
            field_checks.setdefault(f, []).append((dec.info.mode, _function_name(dec.func)))
    fields = []
    for name, field in cls.model_fields.items():
        extra = set(field._attributes_set) - FIELD_KEYS
        if extra:
            raise SpecError(f"{cls.__name__}.{name}: the reader does not interpret {sorted(extra)}")
        t = _type(field.annotation, field.metadata)
        for mode, f in field_checks.get(name, []):
            t = ("after", t, f) if mode == "after" else ("before", f, t)
        fields.append((name, t, _default(field)))
    checks = []
    for name, dec in decorators.model_validators.items():
        if dec.info.mode != "after":
            raise SpecError(f"{cls.__name__}.{name}: model validators run after the fields")
        checks.append(_function_name(dec.func))
    config = cls.model_config
    if set(config) - CONFIG_KEYS or config.get("extra") != "forbid" or not config.get("str_strip_whitespace"):
        raise SpecError(f"{cls.__name__}: the reader assumes extra='forbid' and str_strip_whitespace, and "
                        f"interprets no other config ({sorted(set(config) - CONFIG_KEYS)})")
    bases = [b.__name__ for b in cls.__bases__ if issubclass(b, BaseModel) and b not in (BaseModel, content.Strict)]
    return {"fields": tuple(fields), "checks": tuple(checks), "base": bases[0] if bases else None}


def models() -> dict[str, dict]:
    """Every model of ``layout.model.content`` (a page's and an edition file's), in order."""
    out = {}
    for module in (content,):
        for name, obj in vars(module).items():
            if (isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__
                    and obj is not content.Strict):
                if name in out:
                    raise SpecError(f"two models named {name}")
                out[name] = model_spec(obj)
    return out


def render() -> str:
    body = pprint.pformat(models(), width=110, sort_dicts=False)
    return ('"""The content model as plain data for the fast reader. Generated by layout/model/specgen.py from\n'
            'layout/model/content.py: do not edit; run `make spec` after changing the model."""\n\n'
            "from layout.model.units import Length\n\n"
            f"MODELS = {body}\n")


def main() -> None:
    text = render()
    if SPEC_FILE.exists() and SPEC_FILE.read_text(encoding="utf-8") == text:
        print(f"{SPEC_FILE} is current")
        return
    SPEC_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {SPEC_FILE}")


if __name__ == "__main__":
    main()

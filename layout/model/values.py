"""What one value of content.yaml may be, beyond what a type says: lengths with units, type sizes
by name, and the checks that tie a record's fields together.

The content model (``layout.model.content``) declares each field's type and bounds; msgspec reads
the data into those types. A few values are written the way editors write them and need reading
rather than converting: ``12mm``, ``3行``, ``小五``. Those are custom types here (:class:`LengthMm`,
:class:`LengthPt`, :class:`LengthZi`, :class:`TypeSize`), read by :func:`dec_hook` and described
to JSON Schema by :func:`schema_hook`. Each raises :class:`ValueError` with the editor's message
when the value is wrong; the model's reader reports it at the value's place.

Checks that need more than one value (a custom page size needs its width and height) are plain
functions named by the model classes (``checks``), run when a record is made.
"""

from __future__ import annotations

from typing import Any

from layout.model.units import Length, UnitError, parse_length, parse_size


class LengthPt(Length):
    """A length whose bare number is in points."""

    __slots__ = ()
    default_unit = "pt"


class LengthMm(Length):
    """A length whose bare number is in millimetres."""

    __slots__ = ()
    default_unit = "mm"


class LengthZi(Length):
    """A length whose bare number is in 字 (em of the body text)."""

    __slots__ = ()
    default_unit = "zi"


class TypeSize(float):
    """A type size in points, written as points (9pt, 84) or a Chinese size name (小五)."""

    __slots__ = ()


def dec_hook(kind: type, value: Any) -> Any:
    """Read a value of one of this module's types (msgspec calls this for custom types)."""
    if issubclass(kind, Length):
        if isinstance(value, Length):
            return kind(value.value, value.unit)
        try:
            length = parse_length(value, default_unit=kind.default_unit)
        except UnitError as exc:
            raise ValueError(str(exc)) from None
        return kind(length.value, length.unit)
    if kind is TypeSize:
        try:
            return TypeSize(parse_size(value))
        except UnitError as exc:
            raise ValueError(str(exc)) from None
    raise NotImplementedError(f"no reader for {kind.__name__}")


_LENGTH_PATTERN = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*(mm|cm|pt|in|字|行|栏|zi|em|line|lines|col|cols)?\s*$"
_LENGTH_SCHEMA = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": _LENGTH_PATTERN}],
    "description": "A length: 12mm, 9pt, 2字 (em of body text), 3行 (body lines), 2栏 (columns, with the gutters "
                   "between them); a bare number is in points.",
}
_SCHEMAS: dict[type, dict] = {
    LengthPt: _LENGTH_SCHEMA,
    LengthMm: {**_LENGTH_SCHEMA, "description": "A length; a bare number is in millimetres."},
    LengthZi: {**_LENGTH_SCHEMA, "description": "A length; a bare number is in 字 (em of the text's size)."},
    TypeSize: {"anyOf": [{"type": "number"}, {"type": "string"}],
               "description": "A type size (字号): points (9pt, 84) or a Chinese size name (初号 小初 一号 小一 二号 小二 三号 "
                              "小三 四号 小四 五号 小五 六号 小六 七号 八号; 小五 = 9pt, 初号 = 42pt)."},
}


def schema_hook(kind: type) -> dict:
    """The JSON Schema of a custom type (msgspec calls this while writing the schema)."""
    try:
        return dict(_SCHEMAS[kind])
    except KeyError:
        raise NotImplementedError(f"no schema for {kind.__name__}") from None


def type_words(kind: type) -> str | None:
    """What an editor writes for a value of a custom type, in words (for the reference)."""
    if issubclass(kind, Length):
        return "length"
    if kind is TypeSize:
        return "type size"
    return None


# ------------------------------------------------------------------------------------------------
# checks of a whole record (named in a model class's ``checks``)
# ------------------------------------------------------------------------------------------------


def custom_needs_size(spec) -> None:
    """A custom page size needs its width and height."""
    if spec.size == "custom" and (spec.width is None or spec.height is None):
        raise ValueError("size: custom needs both width and height")


def sizes_in_order(head) -> None:
    """A head's fitting range runs from min_size up to max_size."""
    if head.min_size is not None and head.max_size is not None and head.min_size > head.max_size:
        raise ValueError(f"min_size ({head.min_size:g}pt) is larger than max_size ({head.max_size:g}pt)")


def single_characters(characters: list[str]) -> None:
    """The characters of a public-service ad are one character each."""
    for ch in characters:
        if len(ch) != 1:
            raise ValueError(f"each entry must be one character, got {ch!r}")


DEFAULT_COLORS: dict[str, tuple[float, float, float, float]] = {
    "black": (0, 0, 0, 100),
    "white": (0, 0, 0, 0),
    "accent": (0, 100, 100, 10),
    "red": (0, 100, 100, 0),
    "green": (85, 10, 100, 10),
    "tint": (0, 0, 0, 10),
}


# ------------------------------------------------------------------------------------------------
# ad sizes of a booking list
# ------------------------------------------------------------------------------------------------

#: named ad sizes as ad desks write them -> the canonical name (layout.plan.sizes measures them)
AD_SIZE_NAMES: dict[str, str] = {
    "整版": "full", "full": "full", "full page": "full",
    "半版": "half", "half": "half", "half page": "half",
    "通栏": "strip", "strip": "strip",
    "半通栏": "half-strip", "half-strip": "half-strip", "half strip": "half-strip",
    "1/4版": "quarter", "四分之一版": "quarter", "quarter": "quarter", "1/4": "quarter",
    "1/8版": "eighth", "八分之一版": "eighth", "eighth": "eighth", "1/8": "eighth",
    "报眼": "ear", "ear": "ear", "报耳": "ear",
}

_MODULAR = r"^\s*(\d+)\s*(?:栏|cols?|columns?)?\s*[xX×*]\s*(\d+)\s*(?:行|lines?)?\s*$"


def ad_size(text: str) -> tuple[str, int, int]:
    """A booking's size: ``("named", 0, 0)`` with the canonical name in place of "named" for a
    named size (整版, 半版, 通栏, 半通栏, 1/4版, 1/8版, 报眼 and full, half, strip, quarter,
    eighth, ear), or ``("modular", columns, lines)`` for 栏 x 行 (``4栏x30行``, ``4x30``).
    Raises ValueError with the editor's message."""
    import re

    key = " ".join(str(text).strip().lower().split())
    if key in AD_SIZE_NAMES:
        return (AD_SIZE_NAMES[key], 0, 0)
    m = re.match(_MODULAR, key)
    if m:
        cols, lines = int(m.group(1)), int(m.group(2))
        if cols < 1 or lines < 1:
            raise ValueError(f"ad size {text!r}: columns and lines start at 1")
        return ("modular", cols, lines)
    import difflib

    near = difflib.get_close_matches(key, list(AD_SIZE_NAMES), n=1, cutoff=0.5)
    raise ValueError(f"unknown ad size {text!r}: " + (f"did you mean {near[0]!r}? " if near else "")
                     + "a named size (整版 半版 通栏 半通栏 1/4版 1/8版 报眼, or full half strip half-strip quarter "
                       "eighth ear) or columns x lines such as 4栏x30行")


"""Lengths in the units editors use, resolved to points.

An editor writes ``12mm``, ``9pt``, ``2字`` (em of body text), ``3行`` (body lines),
``2栏`` (columns, including the gutters between them) or a Chinese size name (``小五``, ``初号``).
``字``, ``行`` and ``栏`` depend on the page's grid, so a :class:`Length` keeps its unit until
:meth:`Length.resolve` is given a :class:`GridContext`. ASCII spellings (``zi``, ``em``,
``line``/``lines``, ``col``/``cols``) are accepted too, since not every editor types Chinese.
"""

from __future__ import annotations

import math
import re
from msgspec import Struct

MM = 72.0 / 25.4

# Chinese type sizes in pt, the CTeX/Word/WPS convention (design/typography.md).
CHINESE_SIZES: dict[str, float] = {
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0,
    "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0,
    "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5.0,
}

UNIT_ALIASES: dict[str, str] = {
    "mm": "mm", "cm": "cm", "pt": "pt", "in": "in", "px": "pt",
    "字": "zi", "zi": "zi", "em": "zi",
    "行": "line", "line": "line", "lines": "line",
    "栏": "col", "col": "col", "cols": "col", "column": "col", "columns": "col",
}

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_PATTERN = re.compile(rf"^\s*({_NUMBER})\s*([^\s\d.+-][^\s]*)?\s*$")
_EXPONENT = re.compile(rf"^\s*{_NUMBER}[eE][+-]?\d+\s*(\S*)\s*$")

#: No length or size an editor means is this large (a page is under 2000 mm); a bigger number is a
#: typo, and refusing it here keeps absurd figures (1e300) away from the page geometry.
MAX_MAGNITUDE = 100_000.0
#: The largest type size accepted, in points (a 对开 page is 1545 pt tall).
MAX_TYPE_SIZE = 1000.0


class UnitError(ValueError):
    """A length that cannot be read; the message says what was expected."""


class GridContext(Struct, frozen=True):
    """What the relative units mean on one page: body em, line pitch, column and gutter."""

    em: float  # pt, the body text size
    line: float  # pt, the baseline-grid pitch
    column: float  # pt, one column's width
    gutter: float  # pt, the space between two columns


class Length:
    """A number and its unit (canonical: pt mm cm in zi line col), kept until the grid is known.

    A plain class, not a Struct or a dataclass: the content model's reader (msgspec) would read
    those from a mapping, while a length is written as ``12mm`` or a bare number and read by
    :func:`parse_length` (``layout.model.values``)."""

    __slots__ = ("value", "unit")

    def __init__(self, value: float, unit: str):
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "unit", unit)

    def __setattr__(self, name, value):
        raise AttributeError("a Length is immutable")

    def __eq__(self, other) -> bool:
        return isinstance(other, Length) and (self.value, self.unit) == (other.value, other.unit)

    def __hash__(self) -> int:
        return hash((self.value, self.unit))

    def __repr__(self) -> str:
        return f"Length({self.value!r}, {self.unit!r})"

    def __reduce__(self):
        return (type(self), (self.value, self.unit))

    def resolve(self, ctx: GridContext | None = None) -> float:
        """The length in points; relative units need the page's grid."""
        v, u = self.value, self.unit
        if u == "pt":
            return v
        if u == "mm":
            return v * MM
        if u == "cm":
            return v * 10 * MM
        if u == "in":
            return v * 72.0
        if ctx is None:
            raise UnitError(f"'{self}' is relative to the page grid, which is not known here")
        if u == "zi":
            return v * ctx.em
        if u == "line":
            return v * ctx.line
        if u == "col":
            # n columns span n column widths and the n-1 gutters between them
            return v * ctx.column + max(v - 1, 0) * ctx.gutter
        raise UnitError(f"unknown unit {u!r}")

    def __str__(self) -> str:
        num = f"{self.value:.6f}".rstrip("0").rstrip(".")
        return f"{num}{self.unit}"


def closest_unit(word: str) -> str | None:
    """The accepted unit an editor most likely meant (``mn`` -> ``mm``), for hints."""
    import difflib

    match = difflib.get_close_matches(word.lower(), list(UNIT_ALIASES), n=1, cutoff=0.4)
    return match[0] if match else None


def parse_length(text: object, *, default_unit: str = "pt") -> Length:
    """Read ``12mm``, ``9 pt``, ``2字``, ``3行``, ``2栏``, ``小五`` or a bare number.

    A bare number takes ``default_unit`` (pt for type sizes and rules). Raises
    :class:`UnitError` with a message that names what is accepted.
    """
    if isinstance(text, bool):
        raise UnitError(f"expected a length such as 12mm or 9pt, got {text!r}")
    if isinstance(text, int) and abs(text) > MAX_MAGNITUDE:  # (float() of a huge int overflows)
        raise UnitError(f"a number of {len(str(abs(text)))} digits is far too large for a length on a page")
    if isinstance(text, (int, float)):
        return Length(_plausible(float(text), text), default_unit)
    if not isinstance(text, str):
        raise UnitError(f"expected a length such as 12mm or 9pt, got {type(text).__name__}")
    s = text.strip()
    if s in CHINESE_SIZES:
        return Length(CHINESE_SIZES[s], "pt")
    if _EXPONENT.match(s):
        raise UnitError(f"write the number in {text!r} without an exponent, e.g. 12mm or 0.5mm")
    m = _PATTERN.match(s)
    if not m:
        near = [n for n in CHINESE_SIZES if n[-1:] == s[-1:]] if s else []
        hint = f" (Chinese sizes: {', '.join(near or list(CHINESE_SIZES)[:6])} …)" if s and not s[0].isdigit() else ""
        raise UnitError(f"expected a length such as 12mm, 9pt, 2字, 3行, 2栏 or 小五, got {text!r}{hint}")
    number, unit = m.group(1), m.group(2)
    if unit is None:
        return Length(_plausible(float(number), text), default_unit)
    canonical = UNIT_ALIASES.get(unit) or UNIT_ALIASES.get(unit.lower())
    if canonical is None:
        guess = closest_unit(unit)
        hint = f"; did you mean {number}{guess}?" if guess else ""
        raise UnitError(
            f"unknown unit {unit!r} in {text!r}: use mm, cm, pt, in, 字, 行 or 栏{hint}"
        )
    return Length(_plausible(float(number), text), canonical)


def _plausible(value: float, text: object) -> float:
    if not math.isfinite(value):
        raise UnitError(f"expected a length such as 12mm or 9pt, got {text!r} (not a finite number)")
    if abs(value) > MAX_MAGNITUDE:
        raise UnitError(f"{text!r} is far too large for a length on a page")
    return value


def parse_size(text: object) -> float:
    """A type size: pt number, a length in pt/mm, or a Chinese size name; always absolute."""
    length = parse_length(text, default_unit="pt")
    if length.unit in ("zi", "line", "col"):
        raise UnitError(f"a type size must be absolute (pt, mm or a name like 小五), got {text!r}")
    pt = length.resolve()
    if pt <= 0:
        raise UnitError(f"a type size must be larger than 0, got {text!r}")
    if pt > MAX_TYPE_SIZE:
        raise UnitError(f"a type size of {pt:g}pt is larger than any page allows (at most {MAX_TYPE_SIZE:g}pt), got {text!r}")
    return pt

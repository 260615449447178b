"""What one value of content.yaml may be: the conversions and checks behind the content model.

They live apart from the pydantic classes (``layout.model.content``) because two readers use
them: pydantic, which defines the model and words every error, and the fast reader
(``layout.model.fast``), which builds a page without importing pydantic at all. Each function
takes a value (or a record), returns the value to keep, and raises :class:`ValueError` with the
editor's message when the value is wrong. A validator method ``_name`` of a content model
delegates to the function ``name`` here; the generated spec (``layout.model.spec``) refers to
these functions by name.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from layout.model.units import Length, UnitError, parse_length, parse_size


def _length(default_unit: str):
    def convert(v: Any) -> Length:
        if isinstance(v, Length):
            return v
        try:
            return parse_length(v, default_unit=default_unit)
        except UnitError as exc:
            raise ValueError(str(exc)) from None

    convert.__name__ = f"length_{default_unit}"
    return convert


#: a length whose bare number is in points, millimetres or 字
length_pt = _length("pt")
length_mm = _length("mm")
length_zi = _length("zi")


def size(v: Any) -> float:
    """A type size: points or a Chinese size name (小五 = 9pt)."""
    try:
        return parse_size(v)
    except UnitError as exc:
        raise ValueError(str(exc)) from None


def color(v: Any) -> Any:
    """A palette name (stripped) or [C, M, Y, K] percentages (as a tuple of floats)."""
    if isinstance(v, str):
        s = v.strip()
        if not s:
            raise ValueError("empty colour name")
        return s
    if isinstance(v, (list, tuple)) and len(v) == 4 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
        if not all(0 <= x <= 100 for x in v):  # (written so that NaN fails too)
            raise ValueError("CMYK percentages must lie between 0 and 100")
        return tuple(float(x) for x in v)
    raise ValueError("expected a colour: [C, M, Y, K] percentages such as [0, 100, 100, 0], or a palette name such as accent")


def date(v):
    """A folio or edition date as YYYY-MM-DD text (YAML's own date type passes through)."""
    if isinstance(v, (int, float)):  # 20241031 would otherwise be read as seconds since 1970
        raise ValueError(f"expected a date as YYYY-MM-DD, got {v!r}")
    if isinstance(v, str):
        try:
            return _dt.date.fromisoformat(v.strip())
        except ValueError:
            raise ValueError(f"expected a date as YYYY-MM-DD, got {v!r}") from None
    return v


def on_off(v):
    """YAML 1.1 reads unquoted `off`/`on`/`no`/`yes` as booleans: take them as the editor wrote them."""
    if isinstance(v, bool):
        return "auto" if v else "off"
    return v


def paragraph(v: str) -> str:
    if not v.strip():
        raise ValueError("empty paragraph")
    return v


def file_name(v: str) -> str:
    if not v.strip():
        raise ValueError("empty file name")
    return v


def focus(v):
    """A focal point's coordinates are fractions of the picture."""
    if not all(0.0 <= c <= 1.0 for c in v):
        raise ValueError("focus coordinates lie between 0 and 1")
    return v


def no_empty(v):
    """No empty paragraph in an article's body."""
    for i, block in enumerate(v):
        if isinstance(block, str) and not block.strip():
            raise ValueError(f"paragraph {i + 1} is empty")
    return v


def single(v):
    """The characters of a public-service ad are one character each."""
    for ch in v:
        if len(ch.strip()) != 1:
            raise ValueError(f"each entry must be one character, got {ch!r}")
    return [c.strip() for c in v]


def custom_needs_size(spec):
    """A custom page size needs its width and height."""
    if spec.size == "custom" and (spec.width is None or spec.height is None):
        raise ValueError("size: custom needs both width and height")
    return spec


def sizes_in_order(head):
    """A head's fitting range runs from min_size up to max_size."""
    if head.min_size is not None and head.max_size is not None and head.min_size > head.max_size:
        raise ValueError(f"min_size ({head.min_size:g}pt) is larger than max_size ({head.max_size:g}pt)")
    return head


DEFAULT_COLORS: dict[str, tuple[float, float, float, float]] = {
    "black": (0, 0, 0, 100),
    "white": (0, 0, 0, 0),
    "accent": (0, 100, 100, 10),
    "red": (0, 100, 100, 0),
    "green": (85, 10, 100, 10),
    "tint": (0, 0, 0, 10),
}

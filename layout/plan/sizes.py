"""Named ad sizes measured on a page's grid, as Chinese ad desks count them (newsroom notes):

========== =========== ============================================================
name       Latin       columns x lines on a grid of C columns and L lines
========== =========== ============================================================
整版        full        C x L: the whole type area (a page of ads only)
半版        half        C x L/2: the lower half
通栏        strip       C x L/5: a band across the full width (1/4 to 1/6 of the page)
半通栏      half-strip  C x L/10: half a 通栏's height
1/4版       quarter     C/2 x L/2
1/8版       eighth      C/2 x L/4
报眼        ear         the room beside the masthead on its lines (an ear of the front page)
========== =========== ============================================================

Halves round up (an odd column count gives the ad the larger half); lines round to the nearest
whole line, at least one. ``4栏x30行`` is 4 columns by 30 lines on any grid.
"""

from __future__ import annotations

from layout.model.values import ad_size

#: (columns, lines) of each named size as fractions of the grid
_FRACTIONS: dict[str, tuple[float, float]] = {
    "full": (1.0, 1.0), "half": (1.0, 0.5), "strip": (1.0, 0.2), "half-strip": (1.0, 0.1),
    "quarter": (0.5, 0.5), "eighth": (0.5, 0.25),
}


def kind_of(size: str) -> str:
    """The canonical name of a size (``full``, ``ear`` ...), or ``modular``."""
    return ad_size(size)[0]


def measure(size: str, columns: int, lines: int, ear: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """(columns, lines) of ``size`` on a grid of ``columns`` x ``lines``; for ``ear``, the ear's
    own size (``ear``: (columns, lines) of the room beside the masthead), or None on a page
    without one."""
    name, c, ln = ad_size(size)
    if name == "modular":
        return (c, ln)
    if name == "ear":
        return ear
    fc, fl = _FRACTIONS[name]
    cols = columns if fc == 1.0 else -(-columns // 2)
    rows = lines if fl == 1.0 else max(1, int(lines * fl + 0.5))
    return (cols, rows)

"""Setting short text (heads, captions, folio, ad lines) and turning composed lines into glyph runs.

Body paragraphs go through the line composer; a single line of display text is measured here
from the face's advance widths, with optional tracking, and aligned in a box.
"""

from __future__ import annotations

from layout.display import BLACK, CMYK, Glyphs
from layout.text.api import Metrics, SetLine


def natural_width(text: str, metrics: Metrics, size: float, tracking: float = 0.0) -> float:
    """Width of ``text`` set solid at ``size`` with ``tracking`` em between characters."""
    if not text:
        return 0.0
    return sum(metrics.advance(c) for c in text) * size + tracking * size * (len(text) - 1)


def set_line(text: str, *, font: str, metrics: Metrics, size: float, x: float, baseline: float,
             width: float | None = None, align: str = "left", tracking: float = 0.0,
             color: CMYK = BLACK, role: str = "", source: str = "", overprint: bool | None = None) -> Glyphs:
    """One line of display text in a box ``[x, x + width]``; returns a positioned glyph run."""
    xs: list[float] = []
    widths: list[float] = []
    pos = 0.0
    for ch in text:
        adv = metrics.advance(ch) * size
        xs.append(pos)
        widths.append(adv)
        pos += adv + tracking * size
    total = pos - tracking * size if text else 0.0
    if width is not None:
        if align == "center":
            x += (width - total) / 2
        elif align == "right":
            x += width - total
    if overprint is None:
        overprint = color == BLACK
    return Glyphs(x=x, y=baseline, text=text, font=font, size=size,
                  xs=tuple(x + v for v in xs), widths=tuple(widths), color=color,
                  overprint=overprint, role=role, source=source)


def glyphs_from_line(line: SetLine, *, x: float, baseline: float, font: str, size: float,
                     color: CMYK = BLACK, role: str = "body", source: str = "") -> Glyphs:
    """A composed line (offsets from its start) placed at ``x`` on ``baseline``."""
    return Glyphs(x=x, y=baseline, text=line.text, font=font, size=size,
                  xs=tuple(x + v for v in line.xs), widths=tuple(line.widths), color=color,
                  overprint=color == BLACK, role=role, source=source)

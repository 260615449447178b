"""Where a set glyph's ink lies on the line: the model the overlap checks use.

A glyph is drawn as its full box ``[x, x + advance]`` (``SetLine.xs``). Full-width marks keep
their ink in one half (GB style, see :mod:`layout.text.rules_zh`): closing marks and stops in
the left half, opening marks in the right half, the middle dot in the centre. Everything else
(Han, Latin letters, dashes, ellipses, proportional marks) is taken to fill its advance. White
space has no ink.
"""

from __future__ import annotations

from . import rules_zh as R


def ink_span(ch: str, x: float, advance: float) -> tuple[float, float] | None:
    """Ink extent ``(left, right)`` in pt of ``ch`` drawn at ``x`` with full ``advance`` (pt)."""
    cls = R.char_class(ch)
    if cls in ("space", "fullspace"):
        return None
    frac = R.INK_FRACTION.get(cls)
    if frac is None:
        return (x, x + advance)
    return (x + frac[0] * advance, x + frac[1] * advance)


def overlaps(text: str, xs, advances, tol: float = 1e-6) -> int:
    """How many consecutive inked glyphs overlap (ink of one reaching past the next's start)."""
    count = 0
    prev_right = None
    for ch, x, adv in zip(text, xs, advances):
        span = ink_span(ch, x, adv)
        if span is None:
            continue
        if prev_right is not None and span[0] < prev_right - tol:
            count += 1
        prev_right = span[1] if prev_right is None else max(prev_right, span[1])
    return count

"""Where a set glyph's ink lies on the line: the model the overlap checks use.

A glyph is drawn as its full box ``[x, x + advance]`` (``SetLine.xs``). Full-width marks keep
their ink in one half (GB style, see :mod:`layout.text.rules_zh`): closing marks and stops in
the left half, opening marks in the right half, the middle dot in the centre. Everything else
(Han, Latin letters, dashes, ellipses, proportional marks) is taken to fill its advance. White
space has no ink.
"""

from __future__ import annotations

from . import rules_zh as R


def overlaps(text: str, xs, advances, tol: float = 1e-6) -> int:
    """How many consecutive inked glyphs overlap (ink of one reaching past the next's start).
    A glyph at ``x`` with full ``advance`` has its ink where its class puts it (the module
    docstring: ``INK_FRACTION`` of the advance, or all of it); white space has none."""
    count = 0
    prev_right = None
    char_class, fraction = R.char_class, R.INK_FRACTION
    for ch, x, adv in zip(text, xs, advances):
        cls = char_class(ch)
        if cls == "space" or cls == "fullspace":
            continue
        frac = fraction.get(cls)
        if frac is None:
            left, right = x, x + adv
        else:
            left, right = x + frac[0] * adv, x + frac[1] * adv
        if prev_right is None:
            prev_right = right
            continue
        if left < prev_right - tol:
            count += 1
        if right > prev_right:
            prev_right = right
    return count

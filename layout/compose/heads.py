"""Headlines: one line or a few balanced lines, optionally fitted to the frame's width.

A Chinese head breaks at its spaces (a full-width space parts parallel phrases) or, lacking
them, between characters where no mark would start a line; the lines are balanced so the upper
one is not the shorter. With ``fit``, the head takes the largest size between its minimum and
maximum at which it fills the width on its allowed lines: what an editor does by hand with a
size slider in 方正飞腾.
"""

from __future__ import annotations

from itertools import combinations

from layout.compose.textset import natural_width
from layout.text.api import Metrics

NO_LINE_START = set("、，。；：！？”’」』）］｝〕〗】》〉·～")
SPACES = (" ", "\u3000")


def _pieces(text: str) -> tuple[list[str], bool]:
    """Units a head may break between: words at spaces, else single characters."""
    if any(sp in text for sp in SPACES):
        words, cur = [], ""
        for ch in text:
            if ch in SPACES:
                if cur:
                    words.append(cur)
                cur = ""
            else:
                cur += ch
        if cur:
            words.append(cur)
        return words, True
    return list(text), False


def break_head(text: str, metrics: Metrics, size: float, width: float, max_lines: int,
               tracking: float = 0.0) -> list[str] | None:
    """The head's lines at ``size`` within ``width`` on at most ``max_lines`` lines, or None."""
    if natural_width(text, metrics, size, tracking) <= width + 1e-6:
        return [text]
    pieces, spaced = _pieces(text)
    joiner = "\u3000" if "\u3000" in text else (" " if spaced else "")
    best: tuple[float, list[str]] | None = None
    for n in range(2, max_lines + 1):
        if n > len(pieces):
            break
        for cuts in combinations(range(1, len(pieces)), n - 1):
            bounds = (0, *cuts, len(pieces))
            lines = [joiner.join(pieces[a:b]) for a, b in zip(bounds, bounds[1:])]
            if not spaced and any(ln[0] in NO_LINE_START for ln in lines[1:]):
                continue
            widths = [natural_width(ln, metrics, size, tracking) for ln in lines]
            if max(widths) > width + 1e-6:
                continue
            # balanced: smallest spread; an upper line shorter than the next costs extra
            spread = max(widths) - min(widths)
            spread += sum(0.5 * (b - a) for a, b in zip(widths, widths[1:]) if b > a)
            if best is None or spread < best[0]:
                best = (spread, lines)
        if best is not None:
            return best[1]
    return None


def fit_head(text: str, metrics: Metrics, width: float, *, size: float, fit: bool, min_size: float | None,
             max_size: float | None, max_lines: int, tracking: float = 0.0) -> tuple[float, list[str], bool]:
    """(size, lines, shrunk): the size to set the head at and its lines. ``shrunk`` says the head
    did not fit as asked and was set smaller than its minimum allows (the report warns)."""
    hi = max_size or size
    lo = min_size or (size / 2 if fit else size)
    if fit:
        s = hi
        while s >= lo - 1e-6:
            lines = break_head(text, metrics, s, width, max_lines, tracking)
            if lines is not None:
                return s, lines, False
            s -= 0.5
    else:
        lines = break_head(text, metrics, size, width, max_lines, tracking)
        if lines is not None:
            return size, lines, False
    # nothing fits: one line scaled to the width (the build report says so)
    natural = natural_width(text, metrics, 1.0, tracking)
    s = min(lo if fit else size, width / natural * 0.995)
    return s, [text], True

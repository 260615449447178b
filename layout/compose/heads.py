"""Headlines: one line or a few balanced lines, optionally fitted to the frame's width.

A Chinese head breaks at its spaces (a full-width space parts parallel phrases) or, lacking
them, between characters where no mark would start a line; the lines are balanced so the upper
one is not the shorter. With ``fit``, the head takes the largest size between its minimum and
maximum at which it fills the width on its allowed lines: what an editor does by hand with a
size slider in 方正飞腾.

Widths grow linearly with the size, so the best way to break a head is found once, at size 1,
and the size then follows by division: no search over sizes.
"""

from __future__ import annotations

from itertools import combinations

from layout.compose.textset import natural_width
from layout.text.api import Metrics
from layout.text.rules_zh import can_break

SPACES = (" ", "\u3000")
MAX_PARTITIONS = 20000  # enough for 4 lines of a 40-character head


def _pieces(text: str) -> tuple[list[str], list[str]]:
    """Units a head may break between (words at spaces, else single characters) and the
    separator that stood after each unit (kept inside a line, dropped at a break)."""
    if not any(sp in text for sp in SPACES):
        return list(text), [""] * len(text)
    words, seps, cur = [], [], ""
    for ch in text:
        if ch in SPACES:
            if cur:
                words.append(cur)
                seps.append(ch)
            elif seps:
                seps[-1] += ch
            cur = ""
        else:
            cur += ch
    if cur:
        words.append(cur)
        seps.append("")
    return words, seps


def _layouts(text: str, metrics: Metrics, max_lines: int, tracking: float):
    """Every way to set the head on 1..max_lines lines, as (lines, widths at size 1)."""
    pieces, seps = _pieces(text)
    if not pieces:
        return
    yield [text], [natural_width(text, metrics, 1.0, tracking)]
    count = 0
    for n in range(2, min(max_lines, len(pieces)) + 1):
        for cuts in combinations(range(1, len(pieces)), n - 1):
            count += 1
            if count > MAX_PARTITIONS:
                return
            bounds = (0, *cuts, len(pieces))
            lines = ["".join(p + s for p, s in zip(pieces[a:b - 1], seps[a:b - 1])) + pieces[b - 1]
                     for a, b in zip(bounds, bounds[1:])]
            if not all(can_break(a[-1], b[0], "basic") for a, b in zip(lines, lines[1:])):
                continue
            yield lines, [natural_width(ln, metrics, 1.0, tracking) for ln in lines]


def _cost(widths: list[float]) -> float:
    """Balance: the spread of line widths, an upper line shorter than the next costing extra."""
    spread = max(widths) - min(widths)
    return spread + sum(0.5 * (b - a) for a, b in zip(widths, widths[1:]) if b > a)


def break_head(text: str, metrics: Metrics, size: float, width: float, max_lines: int,
               tracking: float = 0.0) -> list[str] | None:
    """The head's lines at ``size`` within ``width`` on at most ``max_lines`` lines, or None:
    one line when it fits, else the fewest lines, best balanced."""
    limit = width / size + 1e-9
    best: tuple[int, float, list[str]] | None = None
    for lines, widths in _layouts(text, metrics, max_lines, tracking):
        if max(widths) > limit:
            continue
        key = (len(lines), _cost(widths))
        if best is None or key < best[:2]:
            best = (*key, lines)
    return best[2] if best else None


def fit_head(text: str, metrics: Metrics, width: float, *, size: float, fit: bool, min_size: float | None,
             max_size: float | None, max_lines: int, tracking: float = 0.0) -> tuple[float, list[str], bool]:
    """(size, lines, shrunk): the size to set the head at and its lines. ``shrunk`` says the head
    did not fit as asked and was set smaller than its minimum allows (the report warns)."""
    hi = max_size or size
    lo = min_size or (size / 2 if fit else size)
    if not fit:
        lines = break_head(text, metrics, size, width, max_lines, tracking)
        if lines is not None:
            return size, lines, False
    else:
        # the largest size any layout allows, capped at `hi`; fewer lines win a tie
        best: tuple[float, int, float, list[str]] | None = None
        for lines, widths in _layouts(text, metrics, max_lines, tracking):
            s = min(hi, width / max(max(widths), 1e-9))
            s = int(s * 2) / 2  # half-point steps, as editors size heads
            key = (-s, len(lines), _cost(widths))
            if best is None or key < best[:3]:
                best = (*key, lines)
        if best is not None and -best[0] >= lo - 1e-6:
            return -best[0], best[3], False
    # nothing fits: one line scaled to the width (the build report says so)
    natural = natural_width(text, metrics, 1.0, tracking)
    s = min(lo if fit else size, width / natural * 0.995)
    return s, [text], True

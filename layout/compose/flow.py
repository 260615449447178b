"""Body text flowing through an article's columns on the baseline grid, around obstacles.

An article's body area is its frame below the headline block, column by column, less the grid
rectangles of photos and ads inside it (and, for a stepped module, less its notch). Each column becomes a list of free line intervals; the
composed lines and section heads are poured into them in reading order (down a column, then the
next column to the right; where a photo crosses the whole story, the band above it across its
columns first, then the band below). Every body line lands on a grid line, and section heads take whole
grid lines, so the baselines of neighbouring columns stay aligned. What does not fit is overset.
"""

from __future__ import annotations

from msgspec import Struct

from layout.model.frames import notch_frame
from layout.model.content import Frame


class Slot(Struct, frozen=True):
    """A run of free grid lines in one column: lines ``first`` .. ``first + count - 1``."""

    column: int
    first: int
    count: int


class TextLine(Struct, dict=True):
    """One body line to place (the composed line and what it belongs to)."""

    line: object  # layout.text.api.SetLine
    source: str
    paragraph: int
    at: tuple = ()  # where the paragraph is in content.yaml


class HeadBlock(Struct, dict=True):
    """A section head: needs ``lines`` consecutive grid lines, plus ``space_above`` unless it
    opens a column; it must be followed by at least ``keep`` body lines in the same column."""

    head: object  # layout.model.content.SectionHead
    lines: int = 2
    space_above: int = 1
    keep: int = 2
    source: str = ""
    at: tuple = ()  # where the head is in content.yaml


class Placed(Struct, dict=True):
    column: int
    line: int  # first grid line (1-based)
    item: object  # TextLine or HeadBlock
    lines: int = 1


class FlowResult(Struct, dict=True):
    placed: list[Placed]
    overset_items: list[object]
    free_lines: int  # unused grid lines left at the end (underset)


def column_spans(frame: Frame, top_line: int, notch_gap: int = 1) -> dict[int, tuple[int, int]]:
    """The body's first and last grid line in each column of a module, in reading order (left
    to right). ``top_line`` is where the body starts under the headline block; in a stepped
    module the columns above a bottom notch end over it, and the columns under a top notch
    (which the heads do not span) start ``notch_gap`` lines below it (the line of the rule that
    parts them from the story in the notch)."""
    last = frame.line + frame.lines - 1
    notch = notch_frame(frame)
    spans: dict[int, tuple[int, int]] = {}
    for col in range(frame.column, frame.column + frame.columns):
        first, end = top_line, last
        if notch is not None and notch.column <= col < notch.column + notch.columns:
            if notch.line == frame.line:
                first = notch.line + notch.lines + notch_gap
            else:
                end = notch.line - 1
        spans[col] = (first, end)
    return spans


def free_slots(frame: Frame, top_line: int, obstacles: list[Frame], standoff: int = 1,
               spans: dict[int, tuple[int, int]] | None = None) -> list[Slot]:
    """Free intervals per column of ``frame`` from ``top_line`` down, in reading order.

    An obstacle keeps ``standoff`` empty lines above it when text would run into it from above,
    so text never touches a photo's top edge. ``spans`` gives each column's first and last line
    (default :func:`column_spans`: the frame below ``top_line``, less a stepped module's notch).
    """
    slots: list[Slot] = []
    if spans is None:
        spans = column_spans(frame, top_line)
    walls: dict[int, list[bool]] = {}
    for col, (first, last) in spans.items():
        blocked = walls[col] = [False] * (last + 2)
        for ob in obstacles:
            if ob.column <= col < ob.column + ob.columns:
                start = max(ob.line, first)
                end = min(ob.line + ob.lines - 1, last)
                if start <= end:
                    pad_start = max(first, start - standoff) if ob.line > first else start
                    for ln in range(pad_start, end + 1):
                        blocked[ln] = True
        run_start = None
        for ln in range(first, last + 2):
            free = ln <= last and not blocked[ln]
            if free and run_start is None:
                run_start = ln
            elif not free and run_start is not None:
                slots.append(Slot(col, run_start, ln - run_start))
                run_start = None
    return _by_bands(slots, spans, walls)


#: lines each column of a band above a picture across the story holds at least, for the band
#: to be read across its columns before the text below the picture
MIN_BAND = 3


def _by_bands(slots: list[Slot], spans: dict[int, tuple[int, int]], walls: dict[int, list[bool]]) -> list[Slot]:
    """Slots in reading order when a photo (or photos side by side) crosses every column of the
    story: the band above it is read across its columns first, then the band below, as a reader
    takes a picture across the story for a divide (down column 1 past the picture into its
    lower half, before column 2's upper half, read as a jump). Without such a divide, down each
    column and on to the next."""
    if len(spans) < 2 or len(slots) <= len(spans):
        return slots
    top = min(f for f, _ in spans.values())
    bottom = max(e for _, e in spans.values())
    divides: list[int] = []  # the first line of each run of lines blocked in every column
    across = False
    for ln in range(top, bottom + 1):
        present = [c for c, (f, e) in spans.items() if f <= ln <= e]
        wall = len(present) == len(spans) and all(walls[c][ln] for c in present)
        if wall and not across:
            divides.append(ln)
        across = wall
    # a band of a line or two above the picture is no band to read across (a line left over
    # between the heads and the picture): such a divide keeps the reading down the columns
    kept, prev = [], top
    for d in divides:
        band = [sl for sl in slots if prev <= sl.first < d]
        if band and min(sl.count for sl in band) >= MIN_BAND:
            kept.append(d)
        prev = d
    divides = kept
    if not divides:
        return slots
    order = {c: k for k, c in enumerate(spans)}
    return sorted(slots, key=lambda s: (sum(1 for d in divides if d <= s.first), order[s.column], s.first))


def pour(items: list[object], slots: list[Slot]) -> FlowResult:
    """Place items into slots in order; heads keep with the lines that follow them."""
    placed: list[Placed] = []
    si = 0
    pos = 0  # offset inside the current slot
    i = 0
    while i < len(items) and si < len(slots):
        slot = slots[si]
        room = slot.count - pos
        item = items[i]
        if isinstance(item, HeadBlock):
            above = item.space_above if pos > 0 else 0
            need = above + item.lines + min(item.keep, _lines_after(items, i))
            if need > room:
                si, pos = si + 1, 0
                continue
            placed.append(Placed(slot.column, slot.first + pos + above, item, item.lines))
            pos += above + item.lines
        else:
            if room <= 0:
                si, pos = si + 1, 0
                continue
            placed.append(Placed(slot.column, slot.first + pos, item, 1))
            pos += 1
        i += 1
        if pos >= slot.count:
            si, pos = si + 1, 0
    free = 0
    if si < len(slots):
        free = slots[si].count - pos + sum(s.count for s in slots[si + 1:])
    return FlowResult(placed=placed, overset_items=items[i:], free_lines=free)


def _lines_after(items: list[object], i: int) -> int:
    n = 0
    for item in items[i + 1:]:
        if isinstance(item, HeadBlock):
            break
        n += 1
    return n


def pour_balanced(items: list[object], slots: list[Slot]) -> FlowResult:
    """Pour, then, if the text does not fill the frame, balance it: the lowest line ``cap``
    such that everything still fits when no column runs below ``cap``. The article's columns
    then end together (the last one at most a line or a kept-together head shorter) instead of
    the first columns filling and the last standing short."""
    full = pour(items, slots)
    if full.overset_items or full.free_lines == 0 or not slots:
        return full

    def capped(cap, tall: set | None = None) -> list[Slot]:
        """Slots cut at line ``cap`` (``cap - 1`` for columns not in ``tall``, when given)."""
        out = []
        for s in slots:
            c = cap if tall is None or s.column in tall else cap - 1
            if s.first <= c:
                out.append(Slot(s.column, s.first, min(s.count, c - s.first + 1)))
        return out

    lo = min(s.first for s in slots)
    hi = max(s.first + s.count - 1 for s in slots)
    best = full
    while lo < hi:
        mid = (lo + hi) // 2
        trial = pour(items, capped(mid))
        if trial.overset_items:
            lo = mid + 1
        else:
            best, hi = trial, mid
    # then as few columns as possible reach the cap: the first r columns end on it, the others
    # a line higher, so the columns' last lines differ by at most one
    columns = list(dict.fromkeys(s.column for s in slots))
    for r in range(1, len(columns)):
        trial = pour(items, capped(hi, set(columns[:r])))
        if not trial.overset_items:
            best = trial
            break
    best.free_lines = full.free_lines  # the same text in the same frame: the same room left over
    return best

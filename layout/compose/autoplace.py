"""Automatic page layout (``place: auto``): slice the type area into modules and fit stories to them.

Pure Python: no ReportLab, no I/O. The caller measures each story (body lines and headline lines
per width, from the composer) and gets back grid frames; ``docs/auto-layout.md`` explains the
algorithm, the score and the limits in full.

Model
-----
The type area is ``columns`` x ``lines`` grid cells. Every story and ad becomes one rectangle
(a module) and together they tile the area exactly, as a *guillotine* (slicing) layout: the area is
cut straight through, top to bottom or side to side, and each part again, until every part holds
one item.

A story ``w`` columns wide and ``h`` lines tall is composed as:

* the headline block across all ``w`` columns at the top: ``head = head_lines(w)`` lines;
* its photo, if any, at the top right under the head: ``pc = photo_columns(w)`` columns (default
  ``max(1, round(2w/3))``, clamped to ``1..w``) and ``ph`` lines, where
  ``ph = round((pc * column_width_lines + (pc - 1) * gutter_lines) / aspect) + caption_lines``
  (rounded half up; at least one line of picture);
* the body through all ``w`` columns below the head and around the photo: its *capacity* is
  ``w * (h - head) - pc * ph`` column-lines.

*Fit* = ``text_lines(w) - capacity``, in column-lines (lines of text in one column, as the overset
report counts them): positive = overset, negative = underset (balanced columns show ``-fit / w``
blank lines at the foot of each column). A story **fits** when ``-2w <= fit <= w``: at most two
blank lines per column, or at most one line per column over. Those are its *good* heights (three or
four at each width); every height from ``head + max(ph, 1)`` up is *allowed*, at a high cost.

Rules: modules tile the area; each story's width is in ``[min_columns, max_columns]``; the lead
(first story by priority, then id) touches the top; every ad is *grounded* (on the page bottom, or
on ads only: ads stack from the bottom) and touches its side (``right``/``left``, or stands against
ads of its side only toward it; ``any``: no side).
These are hard: widths are relaxed only in the last search stage (``WIDTH_RELAX_COST`` a column),
the placement rules only by the last-resort layout, when nothing else tiles (``RULE_RELAX_COST``).

Score (an ``int``, lower is better): fit, text legs outside ``LEG_MIN..LEG_MAX``, the lead narrower
than the page, priority-weighted depth of every story's top, priority inversions (a story above a
more important one), tombstones (two stories side by side under one cut, their heads level), and
the relaxation costs. See the ``*_COST`` constants and ``docs/auto-layout.md``.

Determinism: items are ordered (stories by priority then id, ads by id), costs are integers, cuts
are tried in a fixed order and only a strictly lower cost replaces the best, and the search stops on
a work budget (a count of tried splits and cuts, derived from ``time_limit`` but not from the
clock). The wall clock is a safety net only; when it fires a note says so.
"""

from __future__ import annotations

import math
import time
from typing import Callable, Literal

from msgspec import Struct, field

# --- score weights (integers) -------------------------------------------------------------------
BLANK_COST = 1             # per blank column-line inside the window (up to two lines per column)
TIGHT_COST = 20            # a story over by at most one line per column ...
TIGHT_LINE_COST = 8        # ... plus this per column-line over
UNDERSET_COST = 100        # more than two blank lines per column ...
UNDERSET_LINE_COST = 6     # ... plus this per blank column-line beyond them, plus x*x/(4w)
OVERSET_COST = 150         # more than one line per column over ...
OVERSET_LINE_COST = 30     # ... plus this per column-line beyond, plus x*x/w (convex: a cut
                           # shared by several stories costs less than one story cut deeply)
LEG_MIN, LEG_MAX = 14, 70  # preferred text legs (lines of text in one column)
LEG_COST = 3               # per line a leg is outside [LEG_MIN, LEG_MAX]
LEAD_NARROW_COST = 60      # per column the lead is narrower than the page
FLEX_PHOTO_COST = 1        # copyfit: per line a photo is taller or shorter than its aspect gives
FLEX_WIDTH_COST = 10       # copyfit: a photo width other than the story's first choice
FLEX_TEXT_LINES = 2        # copyfit: one cost unit per this many lines tracking must win or lose
FLEX_BLANK_COST = 8        # copyfit: per blank column-line beyond FLEX_BLANK_FREE that copyfit
FLEX_BLANK_FREE = 2        # cannot fill (a copyfitted story should end flush)
TOMB_COST = 40             # a side-by-side cut with stories on both sides (heads level)
INVERSION_COST = 60        # per priority step a story sits above a more important one
WIDTH_RELAX_COST = 400     # per column outside a story's [min_columns, max_columns]
RULE_RELAX_COST = 20000    # per broken rule: lead off the top, ad off its side or off the ground
SQUEEZE_COST = 5000        # a story too short for its headline and photo
                           # (both only in the last-resort layout)


def depth_weight(priority: int) -> int:
    """Cost per line between the page top and a story's top: 4 at priority 2, down to 1 from 5."""
    return max(1, 6 - priority)


# --- search limits ----------------------------------------------------------------------------------
EXACT_ITEMS = 8            # every subset of items searched up to this many items (stories + ads)
SPLIT_BUDGET = 40_000      # heuristic family: most ordered splits, summed over its item sets
CLOCK_SLACK = 8.0          # the wall clock stops a search only this many times past its time limit
WORK_RATE = 200_000        # work units (splits, runs and cuts tried) budgeted per second of time_limit
ALPHA_SPREADS = (0.04, 0.12)  # text scaled to the page: each story may take this much more or less
LARGE = 10 ** 12           # "impossible"


class Story(Struct, frozen=True):
    """An article to place.

    ``text_lines(w)``: column-lines its body needs set ``w`` columns wide (all columns together).
    ``head_lines(w)``: lines its headline block takes at that width (with the space before the
    body). ``photo``: ``(aspect w/h, caption lines)`` of its one photo, or ``None``.
    ``photo_columns(w)``: the photo's width in columns for a story ``w`` wide (default
    ``max(1, round(2w/3))``), or several widths to choose from, the first preferred.
    The callables are called once per width, for widths in ``[min_columns, max_columns]`` and,
    only when the search must relax widths, others in ``1..columns``.

    Copyfit (a story the composer will fit, ``fit: auto``): ``text_range(w)``: the fewest and the
    most column-lines the body takes at the tightest and loosest tracking copyfit allows;
    ``photo_range``: the fraction by which the photo's picture may be shorter or taller than its
    aspect gives. The search then counts a story as fitting when some photo height and some
    text length in those ranges fill its module, and its fit is what copyfit cannot absorb.
    """

    id: str
    priority: int                       # 1 = lead; larger = less important
    min_columns: int
    max_columns: int
    text_lines: Callable[[int], int]
    head_lines: Callable[[int], int]
    photo: tuple[float, int] | None = None
    photo_columns: Callable[[int], int | tuple[int, ...]] | None = None
    text_range: Callable[[int], tuple[int, int]] | None = None
    photo_range: float = 0.0


class AdBlock(Struct, frozen=True):
    """An ad of fixed size; ``side``: the edge of the type area it keeps to; ``column``: where
    its frame was drawn or booked (None: anywhere): ads keep that order from left to right
    (a row of classifieds stays in the order the ad desk placed it)."""

    id: str
    columns: int
    lines: int
    side: Literal["right", "left", "any"] = "right"
    column: int | None = None


class Placement(Struct, dict=True):
    """Frames are ``(column, columns, line, lines)``, 1-based, like ``layout.model.content.Frame``.

    ``photos``: story id -> its photo's frame (inside the story's frame; absent if the story has
    no photo, or, in the last-resort layout only, no room for it). ``fit``: story id ->
    ``text_lines(w) - capacity`` in column-lines (+ overset, - underset). ``score``: the total
    cost (lower is better). ``notes``: how the layout was found and what is wrong with it.
    """

    frames: dict[str, tuple[int, int, int, int]]
    photos: dict[str, tuple[int, int, int, int]]
    score: int
    fit: dict[str, int]
    notes: list[str] = field(default_factory=list)


def default_photo_columns(w: int) -> int:
    """About two thirds of the story's width, at least one column."""
    return max(1, min(w, (2 * w + 1) // 3))


def round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


# --- costs ----------------------------------------------------------------------------------------

def fit_cost(fit: int, w: int) -> int:
    """Cost of a story ``fit`` column-lines over (+) or under (-) at width ``w``."""
    if fit <= 0:
        blank = -fit
        if blank <= 2 * w:
            return BLANK_COST * blank
        x = blank - 2 * w
        return BLANK_COST * 2 * w + UNDERSET_COST + UNDERSET_LINE_COST * x + x * x // (4 * w)
    if fit <= w:
        return TIGHT_COST + TIGHT_LINE_COST * fit
    x = fit - w
    return TIGHT_COST + TIGHT_LINE_COST * w + OVERSET_COST + OVERSET_LINE_COST * x + x * x // w


def leg_cost(leg: int) -> int:
    if leg < LEG_MIN:
        return LEG_COST * (LEG_MIN - leg)
    if leg > LEG_MAX:
        return LEG_COST * (leg - LEG_MAX)
    return 0


class _Shape(Struct, dict=True):
    """A story (or ad) at one width: its geometry and the heights it can take."""

    w: int
    head: int = 0
    text: int = 0
    pc: int = 0             # photo columns (0: no photo), the first choice
    ph: int = 0             # photo lines, caption included, as the aspect gives them
    caption: int = 0
    hmin: int = 1           # lowest allowed height
    base: int = 0           # cost independent of height: lead narrowness, width relaxation
    ok: int = 0             # bitset of allowed heights
    good: int = 0           # bitset of heights inside the fit window (set per stage)
    costs: dict[int, int] = field(default_factory=dict)
    least: int = LARGE      # lowest cost over the allowed heights
    text_lo: int = 0        # copyfit: the text at its tightest and loosest (== text without)
    text_hi: int = 0
    options: tuple = ()     # photo choices (pc, natural lines, fewest, most), the first preferred
    flexible: bool = False  # copyfitted: blank lines it cannot fill cost more
    _geo: dict = field(default_factory=dict)

    def choose(self, h: int) -> tuple[int, int, int, int, int]:
        """(photo columns, photo lines, capacity, fit, cost) at height ``h``: the photo choice
        (width, and height within the copyfit range) that costs least. Fit is what copyfit's
        tracking cannot absorb (text - capacity without copyfit). A photo that does not fit is
        cropped to the room under the head, or dropped when not even its caption fits."""
        got = self._geo.get(h)
        if got is not None:
            return got
        room = max(0, h - self.head)
        w = self.w
        best = None
        for k, (pc0, ph0, lo, hi) in enumerate(self.options or ((0, 0, 0, 0),)):
            for ph in range(lo, hi + 1):
                pc, q = pc0, ph
                if pc and q > room:
                    q = room
                    if q <= self.caption:
                        pc = q = 0
                capacity = max(0, w * room - pc * q)
                if capacity < self.text_lo:
                    fit, track = self.text_lo - capacity, self.text_lo - self.text
                elif capacity > self.text_hi:
                    fit, track = self.text_hi - capacity, self.text_hi - self.text
                else:
                    fit, track = 0, capacity - self.text
                c = fit_cost(fit, w) + FLEX_PHOTO_COST * abs(q - ph0) * (pc > 0) + abs(track) // FLEX_TEXT_LINES
                if self.flexible and fit < -FLEX_BLANK_FREE:
                    c += FLEX_BLANK_COST * (-fit - FLEX_BLANK_FREE)
                c += FLEX_WIDTH_COST if k else 0
                body = room
                if pc < w:
                    c += leg_cost(max(0, body))
                if pc and body - q > 0:
                    c += leg_cost(body - q)
                key = (c, abs(q - ph0), k)
                if best is None or key < best[0]:
                    best = (key, (pc, q, capacity, fit, c))
        got = self._geo[h] = best[1]
        return got

    def cost(self, h: int, lines: int) -> int:
        got = self.costs.get(h)
        if got is not None:
            return got
        c = self.base + self.choose(h)[4]
        if h < self.hmin:
            c += SQUEEZE_COST
        if 1 <= h <= lines:
            self.costs[h] = c
        return c


class _Item:
    def __init__(self, index: int, story: Story | None, ad: AdBlock | None, lead: bool,
                 columns: int, lines: int, cw: float, gl: float):
        self.index = index
        self.story = story
        self.ad = ad
        self.lead = lead
        self.kind = "story" if story else "ad"
        self.id = story.id if story else ad.id
        self.priority = story.priority if story else 0
        self.side = ad.side if ad else ""
        self.columns, self.lines, self.cw, self.gl = columns, lines, cw, gl
        if story:
            self.lo = min(story.min_columns, columns)
            self.hi = min(story.max_columns, columns)
        else:
            self.lo = self.hi = ad.columns
        self._shapes: dict[int, _Shape] = {}

    def in_range(self, w: int) -> bool:
        return self.lo <= w <= self.hi

    def shape(self, w: int) -> _Shape | None:
        """The item at width ``w`` (any width for a story, its own for an ad)."""
        got = self._shapes.get(w)
        if got is not None or w in self._shapes:
            return got
        if self.ad is not None:
            got = None
            if w == self.ad.columns:
                got = _Shape(w=w, hmin=self.ad.lines, ok=1 << self.ad.lines, good=1 << self.ad.lines,
                             costs={self.ad.lines: 0}, least=0)
        else:
            got = self._story_shape(w)
        self._shapes[w] = got
        return got

    def _story_shape(self, w: int) -> _Shape:
        s = self.story
        head = max(0, int(s.head_lines(w)))
        text = max(0, int(s.text_lines(w)))
        text_lo = text_hi = text
        if s.text_range is not None:
            a, b = s.text_range(w)
            text_lo, text_hi = min(int(a), text), max(int(b), text)
        pc = ph = caption = 0
        options = []
        if s.photo is not None:
            aspect, caption = s.photo
            caption = max(0, int(caption))
            got = (s.photo_columns or default_photo_columns)(w)
            widths = (got,) if isinstance(got, int) else tuple(got)
            for x in dict.fromkeys(max(1, min(w, int(x))) for x in widths):
                width_lines = x * self.cw + (x - 1) * self.gl
                picture = max(1, round_half_up(width_lines / aspect))
                flex = int(picture * max(0.0, s.photo_range))
                lo = max(1, picture - flex)
                options.append((x, picture + caption, lo + caption, picture + flex + caption))
            pc, ph = options[0][:2]
        relax = 0 if self.in_range(w) else (self.lo - w if w < self.lo else w - self.hi)
        base = (LEAD_NARROW_COST * (self.columns - w) if self.lead else 0) + WIDTH_RELAX_COST * relax
        hmin = max(1, head + max(min((o[2] for o in options), default=0), 1))
        shape = _Shape(w=w, head=head, text=text, pc=pc, ph=ph, caption=caption,
                       hmin=hmin, base=base, text_lo=text_lo, text_hi=text_hi, options=tuple(options),
                       flexible=s.text_range is not None)
        for h in range(shape.hmin, self.lines + 1):
            shape.ok |= 1 << h
            shape.least = min(shape.least, shape.cost(h, self.lines))
        return shape


def _window(shape: _Shape, lo: int, hi: int) -> int:
    """Allowed heights at which the story fits a text of some length in ``lo..hi`` (widened by
    what copyfit can do: the text's range and the photo heights it may choose)."""
    bits = 0
    x = shape.ok
    w = shape.w
    lo -= shape.text - shape.text_lo
    hi += shape.text_hi - shape.text
    options = shape.options or ((0, 0, 0, 0),)
    while x:
        low = x & -x
        h = low.bit_length() - 1
        x ^= low
        room = h - shape.head
        for pc, _, a, b in options:
            # capacity runs from w*room - pc*b to w*room - pc*a in steps of pc
            top = w * room - pc * a
            bottom = w * room - pc * b
            if top >= lo - w and bottom <= hi + 2 * w:
                if pc == 0 or any(lo - w <= w * room - pc * q <= hi + 2 * w for q in range(a, b + 1)):
                    bits |= low
                    break
    return bits


# --- bitset helpers -------------------------------------------------------------------------------

def _bits(x: int):
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def _runs(x: int) -> list[tuple[int, int]]:
    """Runs of set bits as (start, length)."""
    starts = x & ~(x << 1)
    ends = x & ~(x >> 1)
    out = []
    while starts:
        s = (starts & -starts).bit_length() - 1
        e = (ends & -ends).bit_length() - 1
        out.append((s, e - s + 1))
        starts &= starts - 1
        ends &= ends - 1
    return out


def _smear(y: int, m: int) -> int:
    """y | y << 1 | ... | y << (m - 1)."""
    r, k = y, 1
    while 2 * k <= m:
        r |= r << k
        k *= 2
    if k < m:
        r |= r << (m - k)
    return r


class Abort(Exception):
    pass


# --- layout trees ---------------------------------------------------------------------------------
# ("leaf", item index) | ("v", left width, left, right) | ("h", top height, top, bottom)

class _Page:
    """Items, placement rules and the cost of cuts, shared by the search and the evaluator."""

    def __init__(self, items: list[_Item], columns: int, lines: int):
        self.items = items
        self.n = len(items)
        self.C, self.L = columns, lines
        self.ads = sum(1 << it.index for it in items if it.kind == "ad")
        self.left_ads = sum(1 << it.index for it in items if it.kind == "ad" and it.side == "left")
        self.right_ads = sum(1 << it.index for it in items if it.kind == "ad" and it.side == "right")
        placed = [it for it in items if it.kind == "ad" and it.ad.column is not None]
        self.placed_ads = sum(1 << it.index for it in placed)
        self.placed_list = [it.index for it in placed]
        self.left_of = {it.index: sum(1 << o.index for o in placed if o.ad.column < it.ad.column) for it in placed}
        self.stories = sum(1 << it.index for it in items if it.kind == "story")
        self.lead = sum(1 << it.index for it in items if it.lead)
        self.weight = [depth_weight(it.priority) if it.kind == "story" else 0 for it in items]
        self._hcut: dict[tuple[int, int], tuple[int, int]] = {}

    def v_rules(self, A: int, B: int) -> int:
        """Broken rules when A is left of B: right-side ads in A, left-side ads in B, unless
        the other part holds only ads of that side (an ad keeps to its side when it stands
        against the ads stacked toward that side: a booked ad beside the page's own ad at the
        outer edge, a row of classifieds); and an ad in A whose column is right of one in B."""
        bad = 0
        if B & ~self.right_ads:
            bad += (A & self.right_ads).bit_count()
        if A & ~self.left_ads:
            bad += (B & self.left_ads).bit_count()
        placed = A & self.placed_ads
        if placed and B & self.placed_ads:
            for i in self.placed_list:
                if placed >> i & 1 and B & self.left_of[i]:
                    bad += 1
        return bad

    def h_rules(self, A: int, B: int) -> int:
        """Broken rules when A is above B: the lead in B; ads in A not standing on ads only."""
        bad = 1 if B & self.lead else 0
        if A & self.ads and B & ~self.ads:
            bad += (A & self.ads).bit_count()
        return bad

    def v_cost(self, A: int, B: int) -> int:
        return TOMB_COST if A & self.stories and B & self.stories else 0

    def h_terms(self, A: int, B: int) -> tuple[int, int]:
        """A above B: (depth weight of B's stories, inversion cost of the pairs)."""
        got = self._hcut.get((A, B))
        if got is None:
            items = self.items
            a_st = [i for i in range(self.n) if A >> i & 1 and items[i].kind == "story"]
            b_st = [i for i in range(self.n) if B >> i & 1 and items[i].kind == "story"]
            inv = sum(items[i].priority - items[j].priority for i in a_st for j in b_st
                      if items[j].priority < items[i].priority)
            got = self._hcut[(A, B)] = (sum(self.weight[i] for i in b_st), INVERSION_COST * inv)
        return got

    def leaf_cost(self, i: int, w: int, h: int) -> int:
        it = self.items[i]
        shape = it.shape(w)
        if shape is None or (it.kind == "ad" and h != it.ad.lines):
            return LARGE
        return shape.cost(h, self.L)

    def evaluate(self, tree, w: int, h: int, column: int = 1, line: int = 1,
                 frames: dict | None = None, cuts: list | None = None) -> tuple[int, int]:
        """(cost, item mask) of a layout tree in a ``w`` x ``h`` box; fills ``frames`` and
        ``cuts``. The same terms as the search, with every broken rule at RULE_RELAX_COST."""
        if tree[0] == "leaf":
            i = tree[1]
            if frames is not None:
                frames[i] = (column, w, line, h)
            return self.leaf_cost(i, w, h), 1 << i
        kind, x, a, b = tree
        if kind == "v":
            ca, A = self.evaluate(a, x, h, column, line, frames, cuts)
            cb, B = self.evaluate(b, w - x, h, column + x, line, frames, cuts)
            cut = self.v_cost(A, B) + RULE_RELAX_COST * self.v_rules(A, B)
        else:
            ca, A = self.evaluate(a, w, x, column, line, frames, cuts)
            cb, B = self.evaluate(b, w, h - x, column, line + x, frames, cuts)
            wB, inv = self.h_terms(A, B)
            cut = x * wB + inv + RULE_RELAX_COST * self.h_rules(A, B)
        if cuts is not None:
            cuts.append((kind, A, B))
        return ca + cb + cut, A | B


# --- the search -----------------------------------------------------------------------------------

class Search:
    def __init__(self, page: _Page, deadline: float):
        self.page = page
        self.items = page.items
        self.n = page.n
        self.C, self.L = page.C, page.L
        self.full = (1 << (self.L + 1)) - 1
        self.deadline = deadline
        self.work = 0
        self.check_at = 0
        self.budget = LARGE

    # -- families of item sets ----------------------------------------------------------------
    def family(self, free_stories: int | None):
        """Item sets searched, their ordered splits (A: top or left part) and unordered splits.

        ``None``: every subset. Else the first ``free_stories`` stories and the ads are free and
        the other stories form contiguous runs in reading order (earlier runs top or left).
        """
        n = self.n
        if free_stories is None:
            fam = sorted(range(1, 1 << n), key=lambda m: (m.bit_count(), m))
            splits: dict[int, list[tuple[int, int]]] = {}
            for S in fam:
                out = []
                A = (S - 1) & S
                while A:
                    out.append((A, S ^ A))
                    A = (A - 1) & S
                splits[S] = out
        else:
            story_idx = [it.index for it in self.items if it.kind == "story"]
            free = story_idx[:free_stories] + [it.index for it in self.items if it.kind == "ad"]
            rest = story_idx[free_stories:]
            runs = [0] + [sum(1 << rest[t] for t in range(i, j + 1))
                          for i in range(len(rest)) for j in range(i, len(rest))]
            free_masks = [sum(1 << free[t] for t in range(len(free)) if k >> t & 1)
                          for k in range(1 << len(free))]
            fam = sorted({f | r for f in free_masks for r in runs} - {0},
                         key=lambda m: (m.bit_count(), m))
            famset = set(fam)
            freemask = sum(1 << i for i in free)
            splits = {}
            for S in fam:
                out = []
                fS = S & freemask
                rest_in = [i for i in rest if S >> i & 1]
                cuts = [(sum(1 << i for i in rest_in[:t]), sum(1 << i for i in rest_in[t:]))
                        for t in range(len(rest_in) + 1)]
                fa = fS
                while True:
                    for ra, rb in cuts:
                        A, B = fa | ra, (fS ^ fa) | rb
                        if A and B and A in famset and B in famset:
                            out.append((A, B))
                    if fa == 0:
                        break
                    fa = (fa - 1) & fS
                splits[S] = out
        parts = {}
        for S, sp in splits.items():
            seen: set[tuple[int, int]] = set()
            parts[S] = [k for A, B in sp
                        if (k := (A, B) if A < B else (B, A)) not in seen and not seen.add(k)]
        return fam, splits, parts

    def _tick(self, units: int) -> None:
        self.work += units
        if self.work > self.check_at:
            self.check_at = self.work + 2000
            if self.work > self.budget:
                raise Abort("budget")
            if time.perf_counter() > self.deadline:
                raise Abort("time")

    # -- one stage --------------------------------------------------------------------------------
    def run(self, fam, splits, parts, K: int, alpha: float, spread: float,
            relax_width: bool) -> int | None:
        """The best cost of a stage, or None when nothing tiles. Raises Abort past the budget."""
        C, L, full = self.C, self.L, self.full
        page = self.page
        widths = range(1, C + 1)
        # allowed widths and the fit window of every story for this stage
        self.shapes: list[dict[int, _Shape]] = []
        for it in self.items:
            sh = {}
            for w in widths:
                if it.in_range(w) or (relax_width and it.kind == "story"):
                    s = it.shape(w)
                    if s is not None:
                        if it.kind == "story":
                            s.good = _window(s, round_half_up(alpha * (1 - spread) * s.text),
                                             round_half_up(alpha * (1 + spread) * s.text))
                        sh[w] = s
            self.shapes.append(sh)
        # shape functions: F[e][S][w] = bitset of heights S can fill w columns wide with at most
        # e items outside their fit window
        F: list[dict[int, list[int]]] = [dict() for _ in range(K + 1)]
        lb: dict[int, int] = {}
        for S in fam:
            if S & (S - 1) == 0:
                sh = self.shapes[S.bit_length() - 1]
                for e in range(K + 1):
                    F[e][S] = [0] + [(sh[w].good if e == 0 else sh[w].ok) if w in sh else 0
                                     for w in widths]
                lb[S] = min((x.least for x in sh.values()), default=LARGE)
                continue
            ps = parts[S]
            lb[S] = min((lb[A] + lb[B] for A, B in ps), default=LARGE)
            ops = 0                                             # work done, for the budget
            for e in range(K + 1):
                acc = [0] * (C + 1)
                for A, B in ps:
                    for ea in range(e + 1):
                        FA, FB = F[ea][A], F[e - ea][B]
                        ops += 1
                        for w1 in widths:
                            a = FA[w1]
                            if not a:
                                continue
                            b = FB[w1]
                            if b:                               # horizontal cut: heights add
                                # the sum set, over the runs of set bits of the sparser part
                                ra, rb = _runs(a), _runs(b)
                                if len(ra) > len(rb):
                                    ra, b = rb, a
                                x = 0
                                for st, ln in ra:
                                    x |= _smear(b, ln) << st
                                acc[w1] |= x
                                ops += len(ra) + 1
                            ops += 1
                            for w2 in range(1, C + 1 - w1):     # vertical cut: equal heights
                                b = FB[w2]
                                if b:
                                    acc[w1 + w2] |= a & b
                F[e][S] = [x & full for x in acc]
            self._tick(ops // 2)
        self.F, self.lb, self.K = F, lb, K
        self.splits = splits
        self.memo: dict[int, tuple] = {}
        ALL = (1 << self.n) - 1
        if not (F[K][ALL][C] >> L) & 1:
            return None
        cost = self._best(C, L, ALL, K, 0)
        return None if cost >= LARGE else cost

    @staticmethod
    def _rule(bad: int) -> int:
        """The search keeps every placement rule (only the last resort may break one)."""
        return LARGE if bad else 0

    def _leaf(self, i: int, w: int, h: int, e: int) -> int:
        s = self.shapes[i].get(w)
        if s is None or not ((s.good if e == 0 else s.ok) >> h) & 1:
            return LARGE
        return s.costs[h]

    def _best(self, w: int, h: int, S: int, e: int, mode: int) -> int:
        """Best cost of S in a w x h box with at most e items off their window. mode 0: any cut;
        1: no vertical cut at the top (a vertical cut's left part); 2: no horizontal cut."""
        if S & (S - 1) == 0:
            return self._leaf(S.bit_length() - 1, w, h, e)
        node = self._node(w, h, S, e)
        if mode == 1:
            return node[2]
        if mode == 2:
            return node[0]
        return node[0] if node[0] <= node[2] else node[2]

    def _node(self, w: int, h: int, S: int, e: int) -> tuple:
        key = (((S * (self.C + 1) + w) * (self.L + 1) + h) * (self.K + 1)) + e
        got = self.memo.get(key)
        if got is not None:
            return got
        self._tick(1)
        page, F, lb = self.page, self.F, self.lb
        sp = self.splits[S]
        best_v, choice_v = LARGE, None
        best_h, choice_h = LARGE, None
        # vertical cuts: A (left; not cut vertically again) | B
        for w1 in range(1, w):
            w2 = w - w1
            for A, B in sp:
                base = lb[A] + lb[B]
                if base >= best_v:
                    continue
                cut = self._rule(page.v_rules(A, B))
                if cut >= LARGE:
                    continue
                cut += page.v_cost(A, B)
                if base + cut >= best_v:
                    continue
                for ea in range(e + 1):
                    eb = e - ea
                    if not (F[ea][A][w1] >> h) & 1 or not (F[eb][B][w2] >> h) & 1:
                        continue
                    self.work += 1
                    ca = self._best(w1, h, A, ea, 1)
                    if ca + lb[B] + cut >= best_v:
                        continue
                    c = ca + cut + self._best(w2, h, B, eb, 0)
                    if c < best_v:
                        best_v, choice_v = c, ("v", w1, A, B, ea)
        # horizontal cuts: A (top; not cut horizontally again) over B
        low = (1 << h) - 1
        for A, B in sp:
            base = lb[A] + lb[B]
            if base >= best_h:
                continue
            rule = self._rule(page.h_rules(A, B))
            if rule >= LARGE:
                continue
            wB, inv = page.h_terms(A, B)
            rule += inv
            for ea in range(e + 1):
                eb = e - ea
                fa = F[ea][A][w] & low
                fb = F[eb][B][w] & low
                if not fa or not fb:
                    continue
                for h1 in _bits(fa):                    # ascending
                    if not (fb >> (h - h1)) & 1:
                        continue
                    cut = rule + h1 * wB
                    if base + cut >= best_h:
                        break                           # the depth term only grows with h1
                    self.work += 1
                    ca = self._best(w, h1, A, ea, 2)
                    if ca + lb[B] + cut >= best_h:
                        continue
                    c = ca + cut + self._best(w, h - h1, B, eb, 0)
                    if c < best_h:
                        best_h, choice_h = c, ("h", h1, A, B, ea)
        got = (best_v, choice_v, best_h, choice_h)
        self.memo[key] = got
        return got

    def tree(self, w: int, h: int, S: int, e: int, mode: int = 0):
        """The layout tree behind ``_best``."""
        if S & (S - 1) == 0:
            return ("leaf", S.bit_length() - 1)
        bv, cv, bh, ch = self._node(w, h, S, e)
        choice = ch if mode == 1 else cv if mode == 2 else (cv if bv <= bh else ch)
        kind, x, A, B, ea = choice
        if kind == "v":
            return ("v", x, self.tree(x, h, A, ea, 1), self.tree(w - x, h, B, e - ea, 0))
        return ("h", x, self.tree(w, x, A, ea, 2), self.tree(w, h - x, B, e - ea, 0))


# --- last resort: ads stacked on their sides, stories shared out over the rest -------------------

def _construct(page: _Page) -> list:
    """Candidate layout trees, each with whether it puts an ad off its side, that always tile
    when the ads can be stacked at all (the caller scores those that keep the sides first). Full-width ads lie at the foot; the others stack widest lowest on their side
    (``any`` on the right, or on the left; then, breaking sides, all on one side); the free space
    is cut into rectangles, each holding one or more stories side by side or one above another."""
    C = page.C
    stories = [it for it in page.items if it.kind == "story"]
    # full-width ads make a common base at the foot of the page; the others stack on it
    base = sorted([it for it in page.items if it.kind == "ad" and it.ad.columns == C],
                  key=lambda a: (-a.ad.lines, a.index))
    ads = [it for it in page.items if it.kind == "ad" and it.ad.columns < C]
    L = page.L - sum(a.ad.lines for a in base)
    if L <= 0:
        if L < 0 or stories:
            return []
        tree = ("leaf", base[-1].index)
        for a in reversed(base[:-1]):
            tree = ("h", a.ad.lines, ("leaf", a.index), tree)
        return [tree]

    def on_base(tree):
        """``tree`` (L lines tall) over the full-width ads, the tallest lowest."""
        height = L
        for a in reversed(base):                            # top to bottom
            tree = ("h", height, tree, ("leaf", a.index))
            height += a.ad.lines
        return tree

    out = []
    sides = [(lambda it: it.side != "left"), (lambda it: it.side == "right"),
             (lambda it: True), (lambda it: False)]
    for option, to_right in enumerate(sides):
        # (the last two options put every ad on one side: they break a side when an ad asks
        # for the other one; the caller takes them only when nothing else tiles)
        breaks = option >= 2 and any(to_right(a) != (a.side != "left") and a.side != "any" for a in ads)
        right = sorted([a for a in ads if to_right(a)], key=lambda a: (-a.ad.columns, -a.ad.lines, a.index))
        left = sorted([a for a in ads if not to_right(a)], key=lambda a: (-a.ad.columns, -a.ad.lines, a.index))
        WR = right[0].ad.columns if right else 0
        WL = left[0].ad.columns if left else 0
        HR = sum(a.ad.lines for a in right)
        HL = sum(a.ad.lines for a in left)
        if WL + WR > C or HR > L or HL > L:
            continue
        for top_band in (True, False):
            free: list[tuple[int, int]] = []        # (w, h) of each free rectangle, reading order

            def FREE(w, h):
                free.append((w, h))
                return ("free", len(free) - 1)

            def stack(col_ads, W, H, on_right):
                """A strip W x H with ``col_ads`` (widest first = lowest) at its foot, on its right
                (or left) edge; the gap beside a narrower ad is a full-height free column, so
                every ad stands on ads only."""
                a = col_ads[0]
                if a.ad.columns < W:
                    gap = ("free-later", W - a.ad.columns, H)
                    rest = stack(col_ads, a.ad.columns, H, on_right)
                    return ("v", W - a.ad.columns, gap, rest) if on_right else ("v", a.ad.columns, rest, gap)
                above = H - a.ad.lines
                if above <= 0:
                    return ("leaf", a.index)
                top = stack(col_ads[1:], W, above, on_right) if len(col_ads) > 1 else ("free-later", W, above)
                return ("h", above, top, ("leaf", a.index))

            if not ads:
                tree = ("free-later", C, L)
            else:
                Hb = max(HL, HR) if top_band else L
                if Hb <= 0 or (top_band and Hb >= L):
                    continue
                parts = []
                if left:
                    parts.append((WL, stack(left, WL, Hb, False)))
                if C - WL - WR > 0:
                    parts.append((C - WL - WR, ("free-later", C - WL - WR, Hb)))
                if right:
                    parts.append((WR, stack(right, WR, Hb, True)))
                tree = parts[-1][1]
                for wpart, sub in reversed(parts[:-1]):
                    tree = ("v", wpart, sub, tree)
                if top_band:
                    tree = ("h", L - Hb, ("free-later", C, L - Hb), tree)

            # number the free rectangles in reading order (a walk gives top-left first enough)
            def number(t, col, line, w, h):
                if t[0] == "free-later":
                    return ("free", FREE(t[1], t[2])[1], col, line)
                if t[0] == "leaf":
                    return t
                kind, x, a, b = t
                if kind == "v":
                    return (kind, x, number(a, col, line, x, h), number(b, col + x, line, w - x, h))
                return (kind, x, number(a, col, line, w, x), number(b, col, line + x, w, h - x))

            tree = number(tree, 1, 1, C, L)
            positions = {}

            def where(t):
                if t[0] == "free":
                    positions[t[1]] = (t[3], t[2])
                elif t[0] != "leaf":
                    where(t[2])
                    where(t[3])

            where(tree)
            if len(free) > len(stories) or (not stories and free):
                continue
            order = sorted(range(len(free)), key=lambda k: positions[k])
            groups: dict[int, list[_Item]] = {k: [] for k in order}
            remaining = list(stories)
            if remaining:
                tops = [k for k in order if positions[k][0] == 1]
                first = max(tops, key=lambda k: (free[k][0], -order.index(k))) if tops else order[0]
                groups[first].append(remaining.pop(0))
                for k in order:
                    if not groups[k]:
                        groups[k].append(remaining.pop(0))
                for it in remaining:
                    k = max(order, key=lambda k: (free[k][0] * free[k][1] // (len(groups[k]) + 1),
                                                  -order.index(k)))
                    groups[k].append(it)

            def fill(k):
                w, h = free[k]
                return _share(groups[k], w, h)

            def place_free(t):
                if t[0] == "free":
                    return fill(t[1])
                if t[0] == "leaf":
                    return t
                return (t[0], t[1], place_free(t[2]), place_free(t[3]))

            try:
                out.append((on_base(place_free(tree)), breaks))
            except ValueError:
                continue
    return out


def _share(group: list[_Item], w: int, h: int):
    """Stories of ``group`` (in priority order) side by side or one above another in w x h."""
    m = len(group)
    if m == 1:
        return ("leaf", group[0].index)
    need = [max(1, it.shape(it.lo).text + 20) for it in group]
    lows = [it.lo for it in group]
    if w >= sum(lows) and (w * 10 >= h or h < m):
        sizes = [lo + extra for lo, extra in zip(lows, _apportion(need, w - sum(lows) + m))]
        sizes = [x - 1 for x in sizes]                  # _apportion gave each at least one
        kind = "v"
    elif h >= m:
        sizes, kind = _apportion(need, h), "h"
    elif w >= m:
        sizes, kind = _apportion(need, w), "v"
    else:
        raise ValueError("no room")
    tree = ("leaf", group[-1].index)
    for it, size in zip(reversed(group[:-1]), reversed(sizes[:-1])):
        tree = (kind, size, ("leaf", it.index), tree)
    return tree


def _apportion(weights: list[int], total: int) -> list[int]:
    """Split ``total`` into parts proportional to ``weights``, each at least 1 (largest remainder)."""
    m = len(weights)
    spare = total - m
    s = sum(weights)
    raw = [spare * x / s for x in weights]
    sizes = [1 + int(r) for r in raw]
    left = total - sum(sizes)
    for i in sorted(range(m), key=lambda i: (-(raw[i] - int(raw[i])), i))[:left]:
        sizes[i] += 1
    return sizes


# --- entry point ----------------------------------------------------------------------------------

def place(stories: list[Story], ads: list[AdBlock], columns: int, lines: int, *,
          time_limit: float = 2.0, column_width_lines: float = 9.75,
          gutter_lines: float = 0.75) -> Placement:
    """Lay out ``stories`` and ``ads`` on a ``columns`` x ``lines`` grid (see the module docstring).

    ``column_width_lines``: a column's width in body lines (column width / line pitch: 117pt / 12pt
    = 9.75 on the seed grid); ``gutter_lines`` likewise for the gutter (9pt / 12pt = 0.75). They
    only size photos. ``time_limit`` (seconds) sets the work budget; the result depends on it (and
    on the input) but not on the machine's speed, unless the wall clock runs out first, which a
    note reports.

    Raises ``ValueError`` on malformed input (duplicate ids, an ad larger than the page, a story
    with ``min_columns > max_columns``) or when the ads cannot be stacked from the bottom with the
    stories given (e.g. more separate gaps beside the ads than stories to fill them).
    """
    start = time.perf_counter()
    time_limit = max(0.05, time_limit)
    if columns < 1 or lines < 1:
        raise ValueError("the grid needs at least one column and one line")
    ids = [s.id for s in stories] + [a.id for a in ads]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate ids: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1})))
    for a in ads:
        if not (1 <= a.columns <= columns and 1 <= a.lines <= lines):
            raise ValueError(f"ad {a.id!r} ({a.columns} x {a.lines}) does not fit a {columns} x {lines} page")
        if a.side not in ("right", "left", "any"):
            raise ValueError(f"ad {a.id!r}: side must be right, left or any, not {a.side!r}")
    for s in stories:
        if s.min_columns < 1 or s.max_columns < s.min_columns:
            raise ValueError(f"story {s.id!r}: need 1 <= min_columns <= max_columns")
        if s.photo is not None and not s.photo[0] > 0:
            raise ValueError(f"story {s.id!r}: the photo's aspect (width / height) must be positive")
    if sum(a.columns * a.lines for a in ads) > columns * lines:
        raise ValueError("the ads are larger than the page")
    if not stories and not ads:
        raise ValueError("nothing to place")

    order = sorted(stories, key=lambda s: (s.priority, s.id))
    items = [_Item(k, s, None, k == 0, columns, lines, column_width_lines, gutter_lines)
             for k, s in enumerate(order)]
    items += [_Item(len(order) + k, None, a, False, columns, lines, column_width_lines, gutter_lines)
              for k, a in enumerate(sorted(ads, key=lambda a: a.id))]
    page = _Page(items, columns, lines)
    search = Search(page, start + CLOCK_SLACK * time_limit)
    n = len(items)

    # stages: (items allowed off their window, alpha, spread, widths relaxed, note); the search
    # never breaks a placement rule (the last resort below keeps them where it can)
    alphas = _estimate_alpha(items, ads, columns, lines)
    alpha = alphas[0]
    stages: list[tuple[int, float, float, bool, str]] = [(0, 1.0, 0.0, False, "")]
    narrow, wide = ALPHA_SPREADS
    if abs(alpha - 1.0) > 0.01:
        stages.append((0, alpha, narrow, False, ""))
    stages += [(0, a, wide, False, "") for a in alphas]
    stages += [
               (1, alpha, wide, False, "one story off its fit window"),
               (2, alpha, wide, False, "two stories off their fit windows"),
               (2, alpha, wide, True, "story widths relaxed to 1..columns")]

    # families of item sets, most thorough first
    families: list[int | None] = [None] if n <= EXACT_ITEMS else []
    k_best = next((k for k in range(len(order), -1, -1)
                   if _split_count(len(order), len(ads), k) <= SPLIT_BUDGET), 0)
    if n > EXACT_ITEMS or k_best < len(order):
        families.append(k_best)
    if families[-1] != 0:
        families.append(0)

    found = None
    timed_out = False
    for fam_k in families:
        last = fam_k == families[-1]
        fam, splits, parts = search.family(fam_k)
        # one work budget for all stages of a family: this decides, so that the same page gives
        # the same layout on a busy machine (an edition's pages build side by side, a CI runner
        # is shared); the clock is a safety net only, far past what the budget takes anywhere
        # (CLOCK_SLACK times the limit), after which the last resort takes milliseconds
        search.work, search.check_at = 0, 0
        search.budget = int(WORK_RATE * time_limit * (0.4 if last else 0.6))
        search.deadline = start + CLOCK_SLACK * time_limit * (1.0 if last else 0.75)
        for K, a, spread, rw, stage_note in stages:
            try:
                cost = search.run(fam, splits, parts, K, a, spread, rw)
            except Abort as why:
                timed_out = timed_out or str(why) == "time"
                break                                       # on to a cheaper family
            if cost is not None:
                found = (cost, search.tree(columns, lines, (1 << n) - 1, K), fam_k, a, spread,
                         stage_note)
                break
        if found is not None:
            break

    notes: list[str] = []
    if found is not None:
        cost, tree, fam_k, a, spread, stage_note = found
        if fam_k is None:
            notes.append(f"exact search over {n} items")
        else:
            notes.append(f"heuristic search over {n} items: the first {fam_k} stories and the ads "
                         "free, the other stories in reading-order runs")
        if spread:
            notes.append(f"the text does not fill the page as measured (room / text = {a:.2f}): "
                         f"stories fitted to {a * 100:.0f}% of their text, give or take "
                         f"{spread * 100:.0f}%")
        if stage_note:
            notes.append(stage_note)
    else:
        trees = _construct(page)
        if not trees:
            raise ValueError("no modular layout found: the ads cannot be stacked from the bottom "
                             "with the stories given (too few stories for the gaps beside them)")
        kept = [t for t, breaks in trees if not breaks] or [t for t, _ in trees]
        scored = [(page.evaluate(t, columns, lines)[0], k) for k, t in enumerate(kept)]
        cost, k = min(scored)
        tree = kept[k]
        notes.append("last-resort layout: ads stacked on their sides, stories shared out over the "
                     "rest (the search found no tiling within its budget)")
    if timed_out:
        notes.append(f"time limit {time_limit:g}s reached: the search was cut short")

    out: dict[int, tuple[int, int, int, int]] = {}
    cuts: list = []
    score, _ = page.evaluate(tree, columns, lines, 1, 1, out, cuts)
    assert score == cost, (score, cost)

    frames: dict[str, tuple[int, int, int, int]] = {}
    photos: dict[str, tuple[int, int, int, int]] = {}
    fit: dict[str, int] = {}
    for it in items:
        col, w, line, h = out[it.index]
        frames[it.id] = (col, w, line, h)
        if it.kind != "story":
            continue
        shape = it.shape(w)
        pc, ph, capacity, f, _ = shape.choose(h)
        fit[it.id] = f
        if pc:
            photos[it.id] = (col + w - pc, pc, line + shape.head, ph)
        lows = {o[0]: o[2] for o in shape.options}
        if shape.pc and (not pc or ph < lows.get(pc, 0)):
            notes.append(f"story {it.id!r}: photo " + ("cropped" if pc else "dropped") + " (no room)")
        if shape.text_lo != shape.text_hi or any(o[2] != o[3] for o in shape.options):
            flex = []
            natural = {o[0]: o[1] for o in shape.options}
            if pc and (pc, ph) != (shape.pc, shape.ph):
                flex.append(f"photo sized {pc} x {ph} lines to the text (its aspect gives {pc} x "
                            f"{natural.get(pc, ph)}; first choice {shape.pc} x {shape.ph})")
            if capacity != shape.text and f == 0:
                flex.append(f"text {capacity - shape.text:+d} lines left to copyfit's tracking")
            if flex:  # the layout's own choices, within the range copyfit allows
                notes.append(f"story {it.id!r}: " + ", ".join(flex))
        if not it.in_range(w):
            notes.append(f"story {it.id!r}: {w} columns, outside {it.lo}..{it.hi}")
        f = fit[it.id]
        if f > 0:
            notes.append(f"story {it.id!r}: {f} lines overset")
        elif f < -2 * w:
            notes.append(f"story {it.id!r}: {-f} column-lines underset "
                         f"({-f // w} blank lines per column)")
    tombs = sum(1 for kind, A, B in cuts if kind == "v" and page.v_cost(A, B))
    if tombs:
        notes.append(f"{tombs} side-by-side cut(s) with headlines level (tombstones)")
    return Placement(frames=frames, photos=photos, score=int(score), fit=fit, notes=notes)


def _estimate_alpha(items: list[_Item], ads: list[AdBlock], columns: int, lines: int) -> list[float]:
    """Room for body text over the text there is (the area the ads leave, less headlines and
    photos), estimated two ways: with stories at a typical width (the lead at its widest, the
    others at a third or half of the page), and with each at the width where its headline and
    photo take least room. The first comes first unless headlines and photos would fill the page."""
    area = columns * lines - sum(a.columns * a.lines for a in ads)
    stories = [it for it in items if it.kind == "story"]
    if not stories:
        return [1.0]

    def overhead(shape: _Shape) -> int:
        return shape.w * shape.head + shape.pc * shape.ph + shape.w // 2

    typical_room, least_room, text = area, area, 0
    for it in stories:
        w = it.hi if it.lead else max(it.lo, min(it.hi, (columns + 1) // 2 if len(stories) <= 3
                                                  else (columns + 2) // 3))
        typical_room -= overhead(it.shape(w))
        least_room -= min(overhead(it.shape(x)) for x in range(it.lo, it.hi + 1))
        text += it.shape(w).text
    if text <= 0:
        return [1.0]
    typical = max(0.05, min(20.0, typical_room / text))
    least = max(0.05, min(20.0, least_room / text))
    out = [typical, least] if typical_room > 0 else [least, typical]
    return out if abs(least - typical) > 0.05 * min(least, typical) else out[:1]


def _split_count(n_stories: int, n_ads: int, k: int) -> int:
    """About how many ordered splits the heuristic family with ``k`` free stories has."""
    free = k + n_ads
    m = n_stories - k
    runs = [(1, 0)] + [(m - length + 1, length) for length in range(1, m + 1)]
    return sum(cnt * (3 ** free) * (length + 1) for cnt, length in runs)

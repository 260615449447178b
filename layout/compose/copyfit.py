"""Copyfit (``fit: auto``): make a story fill its module exactly, as a make-up editor would.

An article with ``fit: auto`` is composed a few times in a scratch context (its own notes and
errors, no image preparation) with small adjustments, each within bounds:

* **photo height** — the article's main photo (the widest, then the tallest) grows or shrinks by
  whole grid lines, at most :data:`PHOTO_RANGE` of its picture height (on a ``place: auto`` page,
  of the height the picture's own proportions give, so that the layout's choice and copyfit's
  together stay within that range), staying inside the module (clear of a stepped module's notch),
  below the headline block, clear of the other photos and ads, and, for a photo group, with cells
  no smaller than validation allows. A photo that ends on its columns' last body line keeps its
  foot there and moves its top; any other photo keeps its top;
* **main head size** — between the headline's ``min_size`` and ``max_size`` when given, else within
  :data:`HEAD_BAND` of its size (a fitted head only shrinks), and never at a size that no longer
  fits the head's width (the frame's, or beside a top notch the columns the head spans). It
  changes the headline block by whole lines; every photo standing directly under the head moves
  with it, and a size whose headline block would run into a photo, an ad or a bottom notch is not
  tried;
* **body tracking** (字距, ``ParagraphStyle.tracking``: the em added between characters) — for
  Latin text only, within :data:`TRACKING_BOUNDS`, in steps of :data:`TRACKING_STEP` em.
  ``letterspace`` is not touched: it is the Latin composer's allowance for justifying one line,
  not the body's colour. Chinese body text keeps its character grid (every full line holds the
  column's 字 count, and glyph boxes never overlap), so its tracking bounds are 0 … 0: a Chinese
  story is fitted by its photo and head only (whole lines).

Photo and head change the room by whole lines (a photo line is worth its columns, a head line the
head's width); tracking changes the text itself, finely. So the search is: measure the story as
written; if it does not fit exactly, measure tracking at its limit (how many lines tracking alone
can win or lose); rank the photo/head changes by how close they bring the remainder to what
tracking can close (estimated from the geometry), measure the best few, then bisect the tracking.
Every trial is the real composer (:func:`layout.compose.article.compose_article`), so what is
measured is what is set. A trial that leaves a photo the engine places without room, puts a
photo inside the headline block or runs the heads into a notch (more often than the story as
written) is never chosen. The best trial wins: no overset first, then the fewest empty lines,
then the smallest change; the story as written is always a candidate, so copyfit never makes a
story worse. A story copyfit cannot fit is still reported as overset, with its numbers.

Cost: at most :data:`MAX_TRIALS` compositions of the one article (a handful in practice), plus
the real one, and at most :data:`MAX_HEAD_SIZES` headline blocks set to find the head sizes
(a bisection over the half-point sizes of the band, which always ends on the nearest one).
Deterministic: the same trials in the same order, no clock, no randomness.
"""

from __future__ import annotations

import math

from msgspec import Struct, field
from msgspec.structs import replace

from layout.compose.article import compose_article, compose_headblock, notch_rule
from layout.compose.context import Context, Notes
from layout.compose.flow import column_spans
from layout.compose.heads import fit_head
from layout.display import Item
from layout.model.frames import head_frame, inside, notch_frame, overlap
from layout.findings import Copyfit, CopyfitChange, FitState
from layout.model.content import Article, Frame
from layout.model.frames import group_problems
from layout.text.languages import is_chinese

#: body tracking copyfit may set, in em. Chinese: none — any positive tracking makes a full line
#: hold one character fewer (the character grid is lost) and negative tracking makes glyph boxes
#: overlap, so a Chinese story is fitted by whole lines (photo, head). Latin: letter-spacing this
#: small is not seen, and the composition audit stays clean.
TRACKING_BOUNDS = {"zh": (0.0, 0.0), "latin": (-0.01, 0.02)}
#: tracking moves in steps of this many em (the bisection's grid)
TRACKING_STEP = 0.005
#: a photo's picture (its frame less the caption lines) may grow or shrink by this fraction
PHOTO_RANGE = 0.25
#: a head without min_size/max_size may change size by this fraction (a fitted head only shrinks)
HEAD_BAND = 0.15
#: heads are sized in half points, as editors do
HEAD_STEP = 0.5
#: compositions one article may take while searching (the real one not counted)
MAX_TRIALS = 14
#: headline blocks set to find the head sizes that change the block's height (bisection)
MAX_HEAD_SIZES = 16  # 2 x (log2 of the half points in a +-15 % band of a 90 pt head, + 1)
#: photo/head changes measured when there is no tracking to bisect (Chinese), and when there is
PLANS_WITHOUT_TRACKING, PLANS_WITH_TRACKING = 6, 3
#: how much each kind of change "costs", against an empty line left at the foot of a column: a
#: head line is the most visible change, a photo line less, a tracking step (0.005 em) least; so a
#: single empty line is left rather than resizing the head, but filled by a little tracking.
#: Overset always counts first: copyfit never trades a line of overset for anything.
COST_HEAD_LINE, COST_PHOTO_LINE, COST_TRACK_STEP, COST_EMPTY_LINE = 12, 4, 1, 8
#: what a trial may not do more often than the story as written (Notes.problems kinds)
_PROBLEMS = ("photo-unplaced", "photo-in-head", "head-in-notch")


def tracking_bounds(language: str) -> tuple[float, float]:
    """(least, most) body tracking copyfit may add for text in ``language``, em."""
    return TRACKING_BOUNDS["zh" if is_chinese(language) else "latin"]


class Plan(Struct, frozen=True):
    """One set of adjustments: body tracking (em), the main photo's change in lines, the head size."""

    tracking: float = 0.0
    photo: int = 0
    head: float | None = None  # None: as written
    head_delta: int = 0  # lines the headline block grows (+) or shrinks (-) at ``head``


class Trial(Struct, dict=True):
    over: int
    under: int
    headline_shrunk: bool
    problems: int = 0  # photos left unplaced or in the heads, heads in a notch; errors

    @property
    def excess(self) -> int:
        """Lines over (+) or empty (-)."""
        return self.over - self.under


class _Photo(Struct, dict=True):
    index: int
    name: str
    frame: Frame
    reserved: int
    lo: int  # least change in lines (negative)
    hi: int  # most change in lines
    columns: int
    bottom_anchored: bool


class Setup(Struct, dict=True):
    art: Article
    ctx: Context
    obstacles: list[Frame]
    base_tracking: float
    t_lo: float
    t_hi: float
    body_top: int
    photo: _Photo | None
    heads: list[tuple[int, float, float]] = field(default_factory=list)  # (delta lines, requested, actual pt)
    head_size: float = 0.0  # the head's size as written (pt, as set)
    trials: dict = field(default_factory=dict)
    movers: list[int] = field(default_factory=list)  # other photos directly under the head: they move with it
    notch_gap: int = 0  # lines under a top notch kept for the rule (as the composer does)
    base_problems: int = 0


def compose_fitted(art: Article, ctx: Context, obstacles: list[Frame]) -> list[Item]:
    """Compose ``art`` like :func:`compose_article`, copyfitted when it says ``fit: auto``; what
    changed goes to ``ctx.notes`` as a :class:`~layout.findings.Copyfit` finding."""
    if art.fit != "auto" or art.frame is None:
        return compose_article(art, ctx, obstacles)
    if art.jump_to is not None:
        # a story that jumps to another page is cut by its jump line, not fitted
        ctx.notes.notice("jump-not-fitted", art.id, f"article {art.id!r}: fit: auto is left alone for a story that "
                                                    f"jumps to page {art.jump_to} (the jump line cuts it); it is set as written")
        return compose_article(art, ctx, obstacles)
    s = _setup(art, ctx, obstacles)
    plan, before, after = search(s)
    too_long = after.over > 0 and after.over * 2 > before.over
    if too_long:
        # far too long (not even half the overset absorbed): the desk must cut the copy, and a
        # story shrunk for so little would only hide how much; it is set as written. A story
        # brought within a few lines keeps its changes: those few lines are all there is to cut
        plan, after = Plan(tracking=s.base_tracking), before
    fitted, tracking = apply(s, plan)
    n_over, n_under = len(ctx.notes.overset), len(ctx.notes.underset)
    items = compose_article(fitted, _with_tracking(ctx, tracking, s), obstacles)
    # the real composition's own figures (the same as the trial's: composition is deterministic)
    after = Trial(over=sum(o.lines for o in ctx.notes.overset[n_over:]),
                  under=sum(u.lines for u in ctx.notes.underset[n_under:]), headline_shrunk=after.headline_shrunk)
    note = "too long to fit with any change allowed: set as written (cut the copy)" if too_long else ""
    ctx.notes.findings.append(_record(s, plan, before, after, ctx.article_path(art), note))
    return items


# --- the search --------------------------------------------------------------------------------

def search(s: Setup) -> tuple[Plan, Trial, Trial]:
    """(best plan, the story as written, the best plan's result)."""
    p0 = Plan(tracking=s.base_tracking)
    t0 = _measure(s, p0)
    s.base_problems = t0.problems
    best = (p0, t0)
    if t0.over == 0 and t0.under == 0:
        return p0, t0, t0

    def consider(plan: Plan) -> Trial:
        nonlocal best
        tr = _measure(s, plan)
        if _key(s, plan, tr) < _key(s, *best):
            best = (plan, tr)
        return tr

    # what tracking alone can do, at its limit in the direction needed
    reach_down = reach_up = 0
    if t0.over and s.t_lo < s.base_tracking:
        lim = consider(replace(p0, tracking=s.t_lo))
        reach_down = max(0, t0.excess - lim.excess)
    elif t0.under and s.t_hi > s.base_tracking:
        lim = consider(replace(p0, tracking=s.t_hi))
        reach_up = max(0, lim.excess - t0.excess)
    tracks = s.t_lo < s.t_hi
    # coarse plans (photo, head) ranked by how well tracking can close what they leave
    plans = _coarse_plans(s, t0.excess, reach_down, reach_up)
    for plan, _miss in plans[:PLANS_WITH_TRACKING if tracks else PLANS_WITHOUT_TRACKING]:
        if _done(best[1]) or len(s.trials) >= MAX_TRIALS:
            break
        base = t0 if (plan.photo == 0 and plan.head is None) else consider(plan)
        if base.problems <= s.base_problems:
            bisect_tracking(s, plan, base, consider)
    return best[0], t0, best[1]


def _done(t: Trial) -> bool:
    return t.over == 0 and t.under == 0


def bisect_tracking(s: Setup, plan: Plan, at_base: Trial, consider) -> None:
    """From ``plan`` (measured: ``at_base``), move tracking towards filling the module: up while
    lines are empty, down while lines are over. Line counts grow with tracking (near enough), so
    bisect the step grid for the first step that fills the module, or, when even the limit does
    not, the first that does as well as the limit (the least tracking for the same result)."""
    if _done(at_base) or len(s.trials) >= MAX_TRIALS:
        return
    up = at_base.under > 0
    steps = _steps(plan.tracking, s.t_hi if up else s.t_lo)
    if not steps:
        return
    limit = consider(replace(plan, tracking=steps[-1]))
    if (limit.over, limit.under) == (at_base.over, at_base.under):
        return  # tracking does nothing here: no step would
    if up:
        goal = 0 if limit.excess >= 0 else limit.excess
        want = lambda t: t.excess >= goal  # noqa: E731 - filled (or as full as it gets)
    else:
        goal = 0 if limit.excess <= 0 else limit.excess
        want = lambda t: t.excess <= goal  # noqa: E731 - fits (or as little over as it gets)
    lo, hi = 0, len(steps) - 1  # the answer: the first index with want(); the last one has it
    while lo < hi and len(s.trials) < MAX_TRIALS:
        mid = (lo + hi) // 2
        tr = consider(replace(plan, tracking=steps[mid]))
        if _done(tr):
            return
        if want(tr):
            hi = mid
        else:
            lo = mid + 1
    if up and hi > 0 and len(s.trials) < MAX_TRIALS:
        consider(replace(plan, tracking=steps[hi - 1]))  # the last step short of it (no overshoot)


def _steps(frm: float, to: float) -> list[float]:
    """Tracking values from ``frm`` (excluded) to ``to`` (included) on the step grid."""
    n = int(round(abs(to - frm) / TRACKING_STEP))
    sign = 1 if to > frm else -1
    return [round(frm + sign * TRACKING_STEP * k, 4) for k in range(1, n + 1)]


def _coarse_plans(s: Setup, excess: int, reach_down: int, reach_up: int) -> list[tuple[Plan, int]]:
    """Photo and head changes, best first by the lines they are expected to leave for tracking to
    close (estimated from the geometry: a photo line is worth its columns, a head line the head's
    width), then by how visible they are; with the lines each misses even with tracking at its
    limit. Only changes in the right direction (towards filling the module) and within bounds are
    listed."""
    w = head_frame(s.art.frame).columns
    photo_opts = [0]
    if s.photo is not None:
        photo_opts = list(range(s.photo.lo, s.photo.hi + 1))
    head_opts = [(0, None)] + [(d, req) for d, req, _ in s.heads]
    cols = s.photo.columns if s.photo is not None else 0
    moved = s.photo is not None and _under_head(s.art, s.photo.frame, s.body_top)
    # a photo under the head moves with it; one on the column's foot loses the head's lines
    head_cols = max(1, w - cols) if (moved and s.photo.bottom_anchored) else w
    steps_to_limit = len(_steps(s.base_tracking, s.t_lo if excess > 0 else s.t_hi))
    ranked = []
    for dh, req in head_opts:
        for dp in photo_opts:
            if (dp or dh) and (dp * excess > 0 or dh * excess > 0 or not _plan_ok(s, dp, dh)):
                continue  # a change that makes it worse, or leaves its bounds
            residual = excess + dp * cols + dh * head_cols
            if -reach_up <= residual <= reach_down:
                miss = 0
            elif residual > reach_down:
                miss = 3 * (residual - reach_down)  # overset left: worse than lines empty
            else:
                miss = -reach_up - residual
            # what closing the residual by tracking is expected to cost, step by step
            reach = reach_down if residual > 0 else reach_up
            per_line = COST_TRACK_STEP * steps_to_limit / max(reach, 1)
            cost = COST_PHOTO_LINE * abs(dp) + COST_HEAD_LINE * abs(dh) + math.ceil(abs(residual) * per_line)
            ranked.append((miss, cost, abs(dh), abs(dp), dh, dp, req))
    ranked.sort(key=lambda r: r[:6])
    return [(Plan(tracking=s.base_tracking, photo=dp, head=req, head_delta=dh), miss)
            for miss, *_, dh, dp, req in ranked]


def _key(s: Setup, plan: Plan, tr: Trial) -> tuple:
    steps = round(abs(plan.tracking - s.base_tracking) / TRACKING_STEP)
    cost = COST_HEAD_LINE * abs(plan.head_delta) + COST_PHOTO_LINE * abs(plan.photo) + COST_TRACK_STEP * steps
    return (tr.problems > s.base_problems, tr.over, tr.headline_shrunk, COST_EMPTY_LINE * tr.under + cost, tr.under,
            plan.photo, plan.tracking, plan.head or 0.0)


def _measure(s: Setup, plan: Plan) -> Trial:
    got = s.trials.get(plan)
    if got is not None:
        return got
    art, tracking = apply(s, plan)
    notes = Notes()
    ctx = replace(_with_tracking(s.ctx, tracking, s), notes=notes)
    compose_article(art, ctx, s.obstacles)
    problems = sum(1 for kind, _ in notes.problems if kind in _PROBLEMS)
    tr = Trial(over=sum(o.lines for o in notes.overset), under=sum(u.lines for u in notes.underset),
               headline_shrunk=any(kind == "head-shrunk" for kind, _ in notes.problems), problems=problems)
    s.trials[plan] = tr
    return tr


# --- applying a plan ----------------------------------------------------------------------------

def apply(s: Setup, plan: Plan) -> tuple[Article, float]:
    """The article with the plan's photos and head, and the body tracking to set it with."""
    art = s.art
    update: dict = {}
    if plan.head is not None:
        update["headline"] = head_at(art, plan.head)
    changed = _changed_frames(s, plan.photo, plan.head_delta)
    if changed:
        photos = list(art.photos)
        for i, f in changed.items():
            photos[i] = replace(art.photos[i], frame=f)
        update["photos"] = photos
    if update:
        art = replace(art, **update)
    return art, plan.tracking


def _with_tracking(ctx: Context, tracking: float, s: Setup) -> Context:
    if abs(tracking - s.base_tracking) < 1e-9:
        return ctx
    return replace(ctx, body={**ctx.body, "tracking": tracking})


def head_at(art: Article, size: float):
    h = art.headline
    if h.fit:
        lo = h.min_size or h.size / 2
        return replace(h, max_size=size, min_size=min(lo, size))
    upd = {"size": size}
    if h.min_size is not None and h.min_size > size:
        upd["min_size"] = size
    if h.max_size is not None and h.max_size < size:
        upd["max_size"] = size
    return replace(h, **upd)


def _frame(f: Frame, line: int, lines: int) -> Frame:
    return Frame(column=f.column, columns=f.columns, line=line, lines=lines)


def _under_head(art: Article, f: Frame, body_top: int) -> bool:
    """A photo standing directly under the headline block (its first line the body's first, in
    the head's columns): it moves with the block. One beside a top notch, outside the head's
    columns, stays where it is."""
    hf = head_frame(art.frame)
    return f.line == body_top and f.column < hf.column + hf.columns and hf.column < f.column + f.columns


def _photo_frame(s: Setup, dp: int, dh: int) -> Frame:
    """The main photo changed by ``dp`` lines, the head's block by ``dh``."""
    p = s.photo
    f = p.frame
    line, lines = f.line, f.lines + dp
    if _under_head(s.art, f, s.body_top):  # directly under the head: it moves with the head
        if p.bottom_anchored:
            line, lines = f.line + dh, lines - dh
        else:
            line = f.line + dh
    elif p.bottom_anchored:
        line = f.line - dp
    return _frame(f, line, lines)


def _changed_frames(s: Setup, dp: int, dh: int) -> dict[int, Frame]:
    """Photo index -> its new frame, for the photos a plan moves or resizes."""
    out: dict[int, Frame] = {}
    if dh:
        for i in s.movers:
            f = s.art.photos[i].frame
            out[i] = _frame(f, f.line + dh, f.lines)
    if s.photo is not None and (dp or dh):
        f = _photo_frame(s, dp, dh)
        if f != s.photo.frame:
            out[s.photo.index] = f
    return out


def _plan_ok(s: Setup, dp: int, dh: int) -> bool:
    """The main photo changed by ``dp`` lines and the headline block by ``dh``: every photo the
    plan moves stays inside the module (the L of a stepped one), in its columns' body (below the
    heads), clear of the other photos and ads; the main photo within its range (and a group's
    cells no smaller than validation allows); and the new headline block runs into no photo, ad
    or bottom notch it did not already."""
    if s.photo is None and dp:
        return False
    art, a = s.art, s.art.frame
    changed = _changed_frames(s, dp, dh)
    if s.photo is not None and s.photo.index in changed:
        p = s.photo
        f = changed[p.index]
        if not (p.lo <= f.lines - p.frame.lines <= p.hi) or f.lines - p.reserved < 1:
            return False
        photo = replace(art.photos[p.index], frame=f)
        if photo.group is not None and group_problems(photo, (), s.ctx.grid):
            return False
    top = s.body_top + dh
    if dh > 0:
        n = notch_frame(a)
        hf = head_frame(a)
        if n is not None and n.line > a.line and top > n.line and s.body_top <= n.line:
            return False  # the heads would run into a bottom notch
        block, was = _frame(hf, a.line, top - a.line), _frame(hf, a.line, s.body_top - a.line)
        fixed = [ph.frame for i, ph in enumerate(art.photos) if ph.frame is not None and i not in changed]
        if any(overlap(o, block) and not overlap(o, was) for o in fixed + s.obstacles):
            return False
    spans = column_spans(a, top, notch_gap=s.notch_gap)
    spans0 = column_spans(a, s.body_top, notch_gap=s.notch_gap)
    fixed = [ph.frame for i, ph in enumerate(art.photos) if ph.frame is not None and i not in changed] + s.obstacles
    done: list[tuple[Frame, Frame]] = []
    for i, f in changed.items():
        orig = art.photos[i].frame
        if not inside(f, a):
            return False
        for c in range(f.column, f.column + f.columns):
            first, last = spans[c]
            if f.line < first and not (orig.line < spans0[c][0] and f.line >= orig.line):
                return False  # in the headline block (or on the rule under a top notch)
            if f.line + f.lines - 1 > last and f.line + f.lines > orig.line + orig.lines:
                return False  # below its column's body (over a bottom notch)
        if any(overlap(o, f) and not overlap(o, orig) for o in fixed):
            return False
        if any(overlap(g, f) and not overlap(g0, orig) for g0, g in done):
            return False
        done.append((orig, f))
    return True


# --- set-up ---------------------------------------------------------------------------------------

def _setup(art: Article, ctx: Context, obstacles: list[Frame]) -> Setup:
    lang = ctx.doc.typography.language
    base = ctx.body_style().tracking
    lo, hi = tracking_bounds(lang)
    scratch = replace(ctx, notes=Notes())
    head_lines = compose_headblock(art, scratch, [])
    body_top = art.frame.line + head_lines
    notch_gap = 1 if notch_rule(art, scratch) is not None else 0
    spans = column_spans(art.frame, body_top, notch_gap=notch_gap)
    photo = _main_photo(art, ctx, spans)
    s = Setup(art=art, ctx=ctx, obstacles=list(obstacles), base_tracking=base,
               t_lo=round(base + lo, 4), t_hi=round(base + hi, 4), body_top=body_top, photo=photo,
               notch_gap=notch_gap)
    s.movers = [i for i, ph in enumerate(art.photos)
                if ph.frame is not None and (photo is None or i != photo.index) and _under_head(art, ph.frame, body_top)
                and not ({"top", "bottom"} & set(ph.bleed))]
    s.head_size = set_size(art, ctx)
    if art.head_lines is None:
        s.heads = head_options(art, scratch, head_lines, s.head_size)
    return s


def _main_photo(art: Article, ctx: Context, spans: dict[int, tuple[int, int]]) -> _Photo | None:
    best = None
    for i, ph in enumerate(art.photos):
        f = ph.frame
        if f is None or "top" in ph.bleed or "bottom" in ph.bleed:
            continue  # a bleeding photo's height is the page's, not the story's
        key = (-f.columns, -f.lines, i)
        if best is None or key < best[0]:
            best = (key, i, ph)
    if best is None:
        return None
    _, i, ph = best
    f = ph.frame
    picture = f.lines - ph.reserved_lines
    if picture < 1:
        return None
    lo = -min(picture - 1, math.floor(picture * PHOTO_RANGE))
    hi = math.floor(picture * PHOTO_RANGE)
    if ctx.doc.place == "auto":
        # the layout already bent the picture from its proportions (within PHOTO_RANGE): copyfit's
        # range is measured from the proportions too, so the two never add up to more
        from layout.compose.autoplace import round_half_up
        from layout.compose.photo import picture_aspect

        g = ctx.grid
        natural = max(1, round_half_up(g.span_width(f.columns) / g.pitch / picture_aspect(ph, ctx)))
        flex = int(natural * PHOTO_RANGE)
        lo = min(0, max(lo, max(1, natural - flex) - picture))
        hi = max(0, min(hi, natural + flex - picture))
    foot = f.line + f.lines - 1
    # a photo on its columns' last body line (the frame's foot, or over a bottom notch) keeps it
    anchored = any(spans[c][1] == foot for c in range(f.column, f.column + f.columns) if c in spans)
    return _Photo(index=i, name=ph.label, frame=f, reserved=ph.reserved_lines, lo=lo, hi=hi,
                  columns=f.columns, bottom_anchored=anchored)


def set_size(art: Article, ctx: Context) -> float:
    """The size the head is set at: across the head's own width (beside a top notch, the columns
    it spans)."""
    g = ctx.grid
    h = art.headline
    width = g.span_width(head_frame(art.frame).columns)
    return fit_head(h.text, ctx.fonts.metrics(h.font), width, size=h.size, fit=h.fit, min_size=h.min_size,
                    max_size=h.max_size, max_lines=h.max_lines, tracking=h.tracking, lang=ctx.lang).size


def head_options(art: Article, scratch: Context, lines0: int, size0: float) -> list[tuple[int, float, float]]:
    """(change in head lines, requested size, set size) for the head sizes nearest the head's own
    that make the headline block a different height, one smaller and one larger, within the
    head's size band. The block's height grows with the size, so each is found by bisecting the
    half-point sizes, to the end (log2 of the sizes + 1 blocks each way). A head already shrunk
    below its band to fit its width (or above it) gets no options: the band is the editor's."""
    h = art.headline
    if h.fit:
        lo = max(h.min_size or h.size / 2, size0 * (1 - HEAD_BAND))
        hi = size0  # a fitted head is already as large as the width allows
    else:
        lo = h.min_size if h.min_size is not None else h.size * (1 - HEAD_BAND)
        hi = h.max_size if h.max_size is not None else h.size * (1 + HEAD_BAND)
    if size0 < lo - 1e-9 or size0 > hi + 1e-9:
        return []
    k_lo, k_hi = math.ceil(lo / HEAD_STEP - 1e-9), math.floor(hi / HEAD_STEP + 1e-9)
    k0 = size0 / HEAD_STEP
    memo: dict[float, tuple[int, bool]] = {}

    def block(req: float) -> tuple[int, bool]:
        """(change in lines, fits its width) of the head at ``req``."""
        if req not in memo:
            trial = replace(art, headline=head_at(art, req))
            notes = Notes()
            lines = compose_headblock(trial, replace(scratch, notes=notes), [])
            memo[req] = (lines - lines0, not any(kind == "head-shrunk" for kind, _ in notes.problems))
        return memo[req]

    found: list[tuple[int, float, float]] = []
    for sizes, grows in (([k * HEAD_STEP for k in range(math.floor(k0 - 1e-9), k_lo - 1, -1)], False),
                         ([k * HEAD_STEP for k in range(math.ceil(k0 + 1e-9), k_hi + 1)], True)):
        sizes = [x for x in sizes if abs(x - size0) > 1e-9]
        if not sizes:
            continue

        def hit(req: float, grows=grows) -> bool:
            d, ok = block(req)
            # growing, a size too wide for the head counts as "past" the last one that fits
            return (d > 0 or not ok) if grows else (d < 0 and ok)

        # the first size (nearest the head's own) that changes the block: bisection on the sizes,
        # carried to the end so that the nearest such size is found, not one further out
        a, b = 0, len(sizes) - 1
        if not hit(sizes[b]):
            continue
        while a < b:
            mid = (a + b) // 2
            if hit(sizes[mid]):
                b = mid
            else:
                a = mid + 1
        req = sizes[b]
        d, ok = block(req)
        if d == 0 or not ok or (d > 0) != grows:
            continue
        actual = set_size(replace(art, headline=head_at(art, req)), scratch)
        found.append((d, req, actual))
    return sorted(found, key=lambda x: (abs(x[0]), x[0]))


# --- the report -----------------------------------------------------------------------------------

def _record(s: Setup, plan: Plan, before: Trial, after: Trial, at: tuple, note: str) -> Copyfit:
    changes = []
    if abs(plan.tracking - s.base_tracking) > 1e-9:
        changes.append(CopyfitChange(what="tracking", before=round(s.base_tracking, 4), after=round(plan.tracking, 4),
                                     unit="em"))
    changed = _changed_frames(s, plan.photo, plan.head_delta)
    if s.photo is not None and s.photo.index in changed and changed[s.photo.index].lines != s.photo.frame.lines:
        f0, f1 = s.photo.frame, changed[s.photo.index]
        changes.append(CopyfitChange(what="photo", photo=s.photo.name, before=f0.lines, after=f1.lines, unit="lines",
                                     line=(f0.line, f1.line)))
    if plan.head is not None:
        # photos that only moved (down or up with the headline block) are listed with the head
        moved = [{"photo": s.art.photos[i].label, "line": [s.art.photos[i].frame.line, f.line]}
                 for i, f in changed.items() if f.lines == s.art.photos[i].frame.lines]
        changes.append(CopyfitChange(what="headline", before=round(s.head_size, 1),
                                     after=round(next(a for d, r, a in s.heads if r == plan.head), 1), unit="pt",
                                     lines=plan.head_delta, moved=moved))
    return Copyfit(article=s.art.id, at=at, changes=changes, before=FitState(before.over, before.under),
                   after=FitState(after.over, after.under), trials=len(s.trials), note=note)

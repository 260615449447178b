"""Copyfit (``fit: auto``): make a story fill its module exactly, as a make-up editor would.

An article with ``fit: auto`` is composed a few times in a scratch context (its own notes, no
image preparation) with small adjustments, each within bounds:

* **photo height** — the article's main photo (the widest, then the tallest) grows or shrinks by
  whole grid lines, at most :data:`PHOTO_RANGE` of its picture height, staying inside the frame,
  below the headline block and clear of the other photos and ads. A photo that ends on the
  frame's last line keeps its foot there and moves its top; any other photo keeps its top;
* **main head size** — between the headline's ``min_size`` and ``max_size`` when given, else within
  :data:`HEAD_BAND` of its size (a fitted head only shrinks), and never at a size that no longer
  fits the frame's width. It changes the headline block by whole lines; a photo standing directly
  under the head moves with it;
* **body tracking** (字距, ``ParagraphStyle.tracking``: the em added between characters, what both
  line composers use) — within :data:`TRACKING_BOUNDS` for the body's language, in steps of
  :data:`TRACKING_STEP` em. ``letterspace`` is not touched: it is the Latin composer's allowance
  for justifying one line, not the body's colour.

Photo and head change the room by whole lines (a photo line is worth its columns, a head line the
frame's width); tracking changes the text itself, finely. So the search is: measure the story as
written; if it does not fit exactly, measure tracking at its limit (how many lines tracking alone
can win or lose); pick the smallest photo/head change that brings the remainder within tracking's
reach (estimated from the geometry, then measured); then bisect the tracking. Every trial is the
real composer (:func:`layout.compose.article.compose_article`), so what is measured is what is
set. The best trial wins: no overset first, then the fewest empty lines, then the smallest
change; the story as written is always a candidate, so copyfit never makes a story worse. A
story copyfit cannot fit is still reported as overset, with its numbers.

Cost: at most :data:`MAX_TRIALS` compositions of the one article (about ten in practice), plus
the real one. Deterministic: the same trials in the same order, no clock, no randomness.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from layout.compose.article import compose_article, compose_headblock
from layout.compose.context import Context, Notes
from layout.compose.heads import fit_head
from layout.display import Item
from layout.model.content import Article, Frame
from layout.text.languages import is_chinese

#: body tracking copyfit may set, in em (Chinese: a 13 字 line keeps 13 characters down to
#: -1/13 em, so -0.03 only tightens lines with marks to squeeze; +0.05 opens 0.05 em between
#: characters, still well inside 字距 an editor would accept). Latin: letter-spacing shows sooner.
TRACKING_BOUNDS = {"zh": (-0.03, 0.05), "latin": (-0.01, 0.02)}
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
#: how much each kind of change "costs", against an empty line left at the foot of a column: a
#: head line is the most visible change, a photo line less, a tracking step (0.005 em) least; so a
#: single empty line is left rather than resizing the head, but filled by a little tracking.
#: Overset always counts first: copyfit never trades a line of overset for anything.
COST_HEAD_LINE, COST_PHOTO_LINE, COST_TRACK_STEP, COST_EMPTY_LINE = 12, 4, 1, 8


def tracking_bounds(language: str) -> tuple[float, float]:
    """(least, most) body tracking copyfit may add for text in ``language``, em."""
    return TRACKING_BOUNDS["zh" if is_chinese(language) else "latin"]


@dataclass(frozen=True)
class Plan:
    """One set of adjustments: body tracking (em), the main photo's change in lines, the head size."""

    tracking: float = 0.0
    photo: int = 0
    head: float | None = None  # None: as written
    head_delta: int = 0  # lines the headline block grows (+) or shrinks (-) at ``head``


@dataclass
class Trial:
    over: int
    under: int
    headline_shrunk: bool

    @property
    def excess(self) -> int:
        """Lines over (+) or empty (-)."""
        return self.over - self.under


@dataclass
class _Photo:
    index: int
    name: str
    frame: Frame
    reserved: int
    lo: int  # least change in lines (negative)
    hi: int  # most change in lines
    columns: int
    bottom_anchored: bool


@dataclass
class _Setup:
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


class _NoImages:
    """Trials prepare no pictures (the frame's size is all they need, and the build report lists
    only the pictures of the real composition); anything else is asked of the real preparer."""

    class _Prepared:
        path = ""
        pixel_width = 1
        pixel_height = 1
        effective_ppi = 0.0
        warnings = ()

    def __init__(self, real=None):
        self._real = real

    def prepare(self, *args, **kwargs):
        return self._Prepared()

    def __getattr__(self, name):
        if self._real is None:
            raise AttributeError(name)
        return getattr(self._real, name)


def compose_fitted(art: Article, ctx: Context, obstacles: list[Frame]) -> list[Item]:
    """Compose ``art`` like :func:`compose_article`, copyfitted when it says ``fit: auto``; what
    changed goes to ``ctx.notes.copyfit``."""
    if art.fit != "auto" or art.frame is None or art.jump_to is not None:
        # a story that jumps to another page is cut by its jump line, not fitted
        return compose_article(art, ctx, obstacles)
    s = _setup(art, ctx, obstacles)
    plan, before, after = search(s)
    fitted, tracking = apply(s, plan)
    n_over, n_under = len(ctx.notes.overset), len(ctx.notes.underset)
    items = compose_article(fitted, _with_tracking(ctx, tracking, s), obstacles)
    # the real composition's own figures (the same as the trial's: composition is deterministic)
    after = Trial(over=sum(o["lines"] for o in ctx.notes.overset[n_over:]),
                  under=sum(u["lines"] for u in ctx.notes.underset[n_under:]), headline_shrunk=after.headline_shrunk)
    ctx.notes.copyfit.append(_record(s, plan, before, after))
    return items


# --- the search --------------------------------------------------------------------------------

def search(s: _Setup) -> tuple[Plan, Trial, Trial]:
    """(best plan, the story as written, the best plan's result)."""
    p0 = Plan(tracking=s.base_tracking)
    t0 = _measure(s, p0)
    best = (p0, t0)
    if t0.over == 0 and t0.under == 0:
        return p0, t0, t0

    def better(a: tuple[Plan, Trial], b: tuple[Plan, Trial]) -> bool:
        return _key(s, *a) < _key(s, *b)

    def consider(plan: Plan) -> Trial:
        nonlocal best
        tr = _measure(s, plan)
        if better((plan, tr), best):
            best = (plan, tr)
        return tr

    # what tracking alone can do, at its limit in the direction needed
    if t0.over:
        lim = consider(replace(p0, tracking=s.t_lo))
        reach_down, reach_up = max(0, t0.excess - lim.excess), 0
    else:
        lim = consider(replace(p0, tracking=s.t_hi))
        reach_down, reach_up = 0, max(0, lim.excess - t0.excess)
    # coarse plans (photo, head) ranked by how well tracking can close what they leave
    for plan, _miss in _coarse_plans(s, t0.excess, reach_down, reach_up)[:3]:
        if _done(best[1]) or len(s.trials) >= MAX_TRIALS:
            break
        base = t0 if (plan.photo == 0 and plan.head is None) else consider(plan)
        _bisect_tracking(s, plan, base, consider)
    return best[0], t0, best[1]


def _done(t: Trial) -> bool:
    return t.over == 0 and t.under == 0


def _bisect_tracking(s: _Setup, plan: Plan, at_base: Trial, consider) -> None:
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


def _coarse_plans(s: _Setup, excess: int, reach_down: int, reach_up: int) -> list[tuple[Plan, int]]:
    """Photo and head changes, best first by the lines they are expected to leave for tracking to
    close (estimated from the geometry: a photo line is worth its columns, a head line the frame's
    width), then by how visible they are; with the lines each misses even with tracking at its
    limit. Only changes in the right direction (towards filling the module) are listed."""
    w = s.art.frame.columns
    photo_opts = [0]
    if s.photo is not None:
        photo_opts = list(range(s.photo.lo, s.photo.hi + 1))
    head_opts = [(0, None)] + [(d, req) for d, req, _ in s.heads]
    cols = s.photo.columns if s.photo is not None else 0
    moved = s.photo is not None and s.photo.frame.line == s.body_top
    # a photo under the head moves with it; one on the frame's foot loses the head's lines
    head_cols = w - cols if (moved and s.photo.bottom_anchored) else w
    steps_to_limit = len(_steps(s.base_tracking, s.t_lo if excess > 0 else s.t_hi))
    ranked = []
    for dh, req in head_opts:
        for dp in photo_opts:
            if (dp or dh) and (dp * excess > 0 or dh * excess > 0 or not _photo_ok(s, dp, dh)):
                continue  # a change that makes it worse, or leaves the photo's bounds
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


def _key(s: _Setup, plan: Plan, tr: Trial) -> tuple:
    steps = round(abs(plan.tracking - s.base_tracking) / TRACKING_STEP)
    cost = COST_HEAD_LINE * abs(plan.head_delta) + COST_PHOTO_LINE * abs(plan.photo) + COST_TRACK_STEP * steps
    return (tr.over, tr.headline_shrunk, COST_EMPTY_LINE * tr.under + cost, tr.under, plan.photo, plan.tracking,
            plan.head or 0.0)


def _measure(s: _Setup, plan: Plan) -> Trial:
    got = s.trials.get(plan)
    if got is not None:
        return got
    art, tracking = apply(s, plan)
    notes = Notes()
    ctx = replace(_with_tracking(s.ctx, tracking, s), notes=notes, images=_NoImages(s.ctx.images))
    compose_article(art, ctx, s.obstacles)
    tr = Trial(over=sum(o["lines"] for o in notes.overset), under=sum(u["lines"] for u in notes.underset),
               headline_shrunk=any("headline does not fit" in w for w in notes.warnings))
    s.trials[plan] = tr
    return tr


# --- applying a plan ----------------------------------------------------------------------------

def apply(s: _Setup, plan: Plan) -> tuple[Article, float]:
    """The article with the plan's photo and head, and the body tracking to set it with."""
    art = s.art
    update: dict = {}
    if plan.head is not None:
        update["headline"] = _head_at(art, plan.head)
    if s.photo is not None and (plan.photo or plan.head_delta):
        photos = list(art.photos)
        p = s.photo
        photos[p.index] = art.photos[p.index].model_copy(update={"frame": _photo_frame(s, plan.photo, plan.head_delta)})
        update["photos"] = photos
    if update:
        art = art.model_copy(update=update)
    return art, plan.tracking


def _with_tracking(ctx: Context, tracking: float, s: _Setup) -> Context:
    if abs(tracking - s.base_tracking) < 1e-9:
        return ctx
    return replace(ctx, body={**ctx.body, "tracking": tracking})


def _head_at(art: Article, size: float):
    h = art.headline
    if h.fit:
        lo = h.min_size or h.size / 2
        return h.model_copy(update={"max_size": size, "min_size": min(lo, size)})
    upd = {"size": size}
    if h.min_size is not None and h.min_size > size:
        upd["min_size"] = size
    if h.max_size is not None and h.max_size < size:
        upd["max_size"] = size
    return h.model_copy(update=upd)


def _photo_frame(s: _Setup, dp: int, dh: int) -> Frame:
    p = s.photo
    f = p.frame
    line, lines = f.line, f.lines + dp
    if f.line == s.body_top:  # directly under the head: it moves with the head
        if p.bottom_anchored:
            line, lines = f.line + dh, lines - dh
        else:
            line = f.line + dh
    if p.bottom_anchored and f.line != s.body_top:
        line = f.line - dp
    return Frame(column=f.column, columns=f.columns, line=line, lines=lines)


def _photo_ok(s: _Setup, dp: int, dh: int) -> bool:
    """The main photo changed by ``dp`` lines (and moved with a head changed by ``dh``) stays in
    its bounds, inside the frame, below the heads and clear of the other photos and ads."""
    if s.photo is None:
        return dp == 0
    p = s.photo
    f = _photo_frame(s, dp, dh)
    picture = f.lines - p.reserved
    if not (p.lo <= f.lines - p.frame.lines <= p.hi) or picture < 1:
        return False
    a = s.art.frame
    top = min(s.body_top + dh, p.frame.line) if p.frame.line < s.body_top else s.body_top + dh
    if f.line < top or f.line + f.lines > a.line + a.lines:
        return False
    others = [ph.frame for i, ph in enumerate(s.art.photos) if i != p.index and ph.frame is not None] + list(s.obstacles)
    was = [o for o in others if _overlap(o, p.frame)]
    return not any(_overlap(o, f) for o in others if o not in was)


def _overlap(a: Frame, b: Frame) -> bool:
    return (a.column < b.column + b.columns and b.column < a.column + a.columns
            and a.line < b.line + b.lines and b.line < a.line + a.lines)


# --- set-up ---------------------------------------------------------------------------------------

def _setup(art: Article, ctx: Context, obstacles: list[Frame]) -> _Setup:
    lang = ctx.doc.typography.language
    base = ctx.body_style().tracking
    lo, hi = tracking_bounds(lang)
    scratch = replace(ctx, notes=Notes(), images=_NoImages(ctx.images))
    head_lines = compose_headblock(art, scratch, [])
    s = _Setup(art=art, ctx=ctx, obstacles=list(obstacles), base_tracking=base,
               t_lo=round(base + lo, 4), t_hi=round(base + hi, 4), body_top=art.frame.line + head_lines,
               photo=_main_photo(art, art.frame.line + head_lines, obstacles))
    s.head_size = _set_size(art, ctx)
    if art.head_lines is None:
        s.heads = _head_options(art, scratch, head_lines, s.head_size)
    return s


def _main_photo(art: Article, body_top: int, obstacles: list[Frame]) -> _Photo | None:
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
    a = art.frame
    return _Photo(index=i, name=ph.id or ph.file or f"photo {i + 1}", frame=f, reserved=ph.reserved_lines, lo=lo, hi=hi,
                  columns=f.columns, bottom_anchored=f.line + f.lines == a.line + a.lines)


def _set_size(art: Article, ctx: Context) -> float:
    g = ctx.grid
    h = art.headline
    width = g.span_width(art.frame.columns)
    size, _, _ = fit_head(h.text, ctx.fonts.metrics(h.font), width, size=h.size, fit=h.fit,
                          min_size=h.min_size, max_size=h.max_size, max_lines=h.max_lines, tracking=h.tracking)
    return size


def _head_options(art: Article, scratch: Context, lines0: int, size0: float) -> list[tuple[int, float, float]]:
    """(change in head lines, requested size, set size) for each other headline-block height the
    head's size band allows, the size nearest the head's own for each."""
    h = art.headline
    if h.fit:
        lo = max(h.min_size or h.size / 2, size0 * (1 - HEAD_BAND))
        hi = size0  # a fitted head is already as large as the width allows
    else:
        lo = h.min_size if h.min_size is not None else h.size * (1 - HEAD_BAND)
        hi = h.max_size if h.max_size is not None else h.size * (1 + HEAD_BAND)
    lo, hi = min(lo, size0), max(hi, size0)
    found: dict[int, tuple[float, float, float]] = {}
    k_lo, k_hi = math.ceil(lo / HEAD_STEP - 1e-9), math.floor(hi / HEAD_STEP + 1e-9)
    for k in range(k_lo, k_hi + 1):
        req = k * HEAD_STEP
        trial = art.model_copy(update={"headline": _head_at(art, req)})
        notes = Notes()
        lines = compose_headblock(trial, replace(scratch, notes=notes), [])
        if any("headline does not fit" in w for w in notes.warnings):
            continue
        actual = _set_size(trial, scratch)
        d = lines - lines0
        if d == 0:
            continue
        dist = abs(actual - size0)
        if d not in found or dist < found[d][0]:
            found[d] = (dist, req, actual)
    return [(d, req, actual) for d, (_, req, actual) in sorted(found.items(), key=lambda kv: (abs(kv[0]), kv[0]))]


# --- the report -----------------------------------------------------------------------------------

def _record(s: _Setup, plan: Plan, before: Trial, after: Trial) -> dict:
    changes = []
    if abs(plan.tracking - s.base_tracking) > 1e-9:
        changes.append({"what": "tracking", "from": round(s.base_tracking, 4), "to": round(plan.tracking, 4),
                        "unit": "em"})
    if s.photo is not None and (plan.photo or plan.head_delta):
        f0 = s.photo.frame
        f1 = _photo_frame(s, plan.photo, plan.head_delta)
        changes.append({"what": "photo", "photo": s.photo.name, "from": f0.lines, "to": f1.lines, "unit": "lines",
                        "line": [f0.line, f1.line]})
    if plan.head is not None:
        changes.append({"what": "headline", "from": round(s.head_size, 1),
                        "to": round(next(a for d, r, a in s.heads if r == plan.head), 1), "unit": "pt",
                        "lines": plan.head_delta})
    return {"article": s.art.id, "changes": changes,
            "before": {"overset": before.over, "underset": before.under},
            "after": {"overset": after.over, "underset": after.under},
            "trials": len(s.trials)}

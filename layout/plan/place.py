"""Placing booked ads on an edition's pages by the rules ad desks apply (Naviga Plan, CCI
PageDirector; design notes, newsroom.md):

* ads **stack from the foot** of the page and **pyramid toward the outer edge** (the right of an
  odd, right-hand page, the left of an even one): every ad stands on the foot or on ads only,
  and the ads' height never falls toward the outer edge, so the stories keep a rectangular area
  at the top and on the inner side. Widest lowest; ads of one width side by side when they fit;
* **ear ads** (报眼) go beside the masthead, in the room on its lines (left, right, outer or
  inner ear, as booked);
* a **full page** (整版) goes on a page with no stories and nothing else on it;
* **no two ads of one category face each other** (nor share a page): a spread is pages 2-3,
  4-5 ...; page 1 stands alone;
* no ad on a page **closed to ads** (``free``), no colour ad on a page printed in black (``mono``);
* on a page with stories the ads take at most :data:`MAX_AD_SHARE` of its height;
* a booking with a fixed place (``at``) gets exactly that place or is reported.

Bookings are placed fixed places first, then those for a page, a section, anywhere, each group
largest first, then in the list's order; a booking with a choice of pages takes the one with the
least ad area so far (then the lowest number). What cannot be placed becomes an
:class:`~layout.findings.AdUnplaced` finding with its reason. Frames are ``(column, columns,
line, lines)`` on the page's grid, as :class:`layout.model.content.Frame` counts them.

Pure: no file is read here (the driver says which bookings' files are refused, and why).
"""

from __future__ import annotations

from typing import Literal

from msgspec import Struct, field

from layout.findings import AdUnplaced, Location
from layout.plan.sizes import kind_of, measure

Box = tuple[int, int, int, int]

#: the most of a page's height (in lines) ads may take from the foot on a page with stories
MAX_AD_SHARE = 0.75


class Slot(Struct, frozen=True):
    """A page as the planner sees it: its grid, what the edition says of it, and the modules
    already on it (its own ads, the masthead), which booked ads must leave alone."""

    number: int
    columns: int
    lines: int
    odd: bool
    section: str = ""
    free: bool = False
    mono: bool = False
    stories: int = 0
    masthead: Box | None = None
    taken: tuple[tuple[str, Box], ...] = ()  # (what, frame)
    stacked: tuple[tuple[str, int, int], ...] = ()  # the page's own ads its automatic layout stacks: (what, columns, lines)
    ok: bool = True  # False: the page does not read (its build says why)


class Placement(Struct, frozen=True):
    """Where a booking went: its page and frame, and by which rule."""

    id: str
    page: int
    frame: Box
    how: Literal["fixed", "ear", "full", "stack"]


class Plan(Struct):
    placed: list[Placement] = field(default_factory=list)
    unplaced: list[AdUnplaced] = field(default_factory=list)

    def on(self, page: int) -> list[Placement]:
        return [p for p in self.placed if p.page == page]


def facing(page: int) -> int:
    """The page a page faces in a spread: 2-3, 4-5 ...; page 1 faces none (0)."""
    if page <= 1:
        return 0
    return page + 1 if page % 2 == 0 else page - 1


def overlaps(a: Box, b: Box) -> bool:
    return (a[0] < b[0] + b[1] and b[0] < a[0] + a[1] and a[2] < b[2] + b[3] and b[2] < a[2] + a[3])


def _outer_right(slot: Slot, side: str = "outer") -> bool:
    if side in ("left", "right"):
        return side == "right"
    return slot.odd if side == "outer" else not slot.odd


def ear_room(slot: Slot) -> list[Box]:
    """The ears of a page: the room beside its masthead on the masthead's lines (left, right)."""
    mh = slot.masthead
    if mh is None:
        return []
    c, cs, ln, ls = mh
    out = []
    if c > 1:
        out.append((1, c - 1, ln, ls))
    if c + cs - 1 < slot.columns:
        out.append((c + cs, slot.columns - (c + cs) + 1, ln, ls))
    return out


def pack(ads: list[tuple[str, int, int]], slot: Slot, obstacles: list[Box], limit: int) -> dict[str, Box] | None:
    """Frames for ``ads`` ((id, columns, lines), in priority order) stacked from the foot of
    ``slot`` in a pyramid toward its outer edge, clear of ``obstacles``, no higher than
    ``limit`` lines; None when they do not all fit."""
    C, L = slot.columns, slot.lines
    right = _outer_right(slot)
    sky = [0] * C  # lines taken from the foot, per column
    for c, cs, ln, ls in obstacles:  # a module standing on the foot: ads may stand on it too
        if ln + ls - 1 == L:
            for k in range(c - 1, min(C, c - 1 + cs)):
                sky[k] = max(sky[k], ls)
    out: dict[str, Box] = {}
    order = sorted(range(len(ads)), key=lambda i: (-ads[i][1], -ads[i][2], i))
    for i in order:
        aid, w, h = ads[i]
        if w > C:
            return None
        best = None
        xs = range(C - w, -1, -1) if right else range(0, C - w + 1)
        for dist, x in enumerate(xs):
            span = sky[x:x + w]
            base = span[0]
            if any(v != base for v in span) or base + h > limit:
                continue  # an ad stands on the foot or on ads, flat, and below the limit
            new = sky[:x] + [base + h] * w + sky[x + w:]
            steps = new if right else new[::-1]
            if any(steps[k] > steps[k + 1] for k in range(C - 1)):
                continue  # the stack never falls toward the outer edge
            box = (x + 1, w, L - base - h + 1, h)
            if any(overlaps(box, o) for o in obstacles):
                continue
            if best is None or (base, dist) < best[0]:
                best = ((base, dist), x, box, new)
        if best is None:
            return None
        _, x, box, sky = best
        out[aid] = box
    return out


class _Page:
    def __init__(self, slot: Slot):
        self.slot = slot
        self.fixed: list[tuple[str, Box, str]] = []  # (id, frame, how)
        self.stack: list[tuple[str, int, int]] = list(slot.stacked)
        self.own = {what for what, _, _ in slot.stacked}
        self.frames: dict[str, Box] = {}  # the stack's current frames
        self.categories: dict[str, str] = {}  # booking id -> category

    @property
    def area(self) -> int:
        return sum(b[1] * b[3] for _, b, _ in self.fixed) + sum(w * h for _, w, h in self.stack)

    def obstacles(self) -> list[Box]:
        out = [b for _, b in self.slot.taken]
        if self.slot.masthead is not None:
            out.append(self.slot.masthead)
        return out + [b for _, b, _ in self.fixed]

    def limit(self) -> int:
        s = self.slot
        return s.lines if not s.stories else max(1, int(s.lines * MAX_AD_SHARE))

    def who(self, box: Box) -> str:
        for what, b in self.slot.taken:
            if overlaps(box, b):
                return what
        if self.slot.masthead is not None and overlaps(box, self.slot.masthead):
            return "the masthead"
        for aid, b, _ in self.fixed:
            if overlaps(box, b):
                return f"ad {aid!r}"
        for aid, b in self.frames.items():
            if overlaps(box, b):
                return aid if aid in self.own else f"ad {aid!r}"
        return ""


def plan_ads(bookings: list, slots: list[Slot], *, refused: dict[str, tuple[str, str]] | None = None,
             where: dict[str, Location] | None = None) -> Plan:
    """Place ``bookings`` (:class:`layout.model.content.Booking` records) on ``slots``; the
    ``refused`` bookings (id -> (reason, message): a missing file, a file that fails the press
    checks) are reported as they are. ``where`` locates each booking for the findings."""
    refused = refused or {}
    where = where or {}
    plan = Plan()
    pages = {s.number: _Page(s) for s in slots}
    numbers = sorted(pages)
    sections = sorted({s.section for s in slots if s.section})

    def unplaced(b, reason: str, message: str) -> None:
        plan.unplaced.append(AdUnplaced(ad=b.id, advertiser=b.advertiser, size=b.size, reason=reason, message=message,
                                        page=b.page or 0, where=where.get(b.id)))

    def rough_area(b) -> int:
        s = slots[0] if slots else None
        if s is None:
            return 0
        got = measure(b.size, s.columns, s.lines, ear_room(s)[0][1:4:2] if ear_room(s) else None)
        return got[0] * got[1] if got else 0

    order = sorted(range(len(bookings)), key=lambda i: (
        0 if bookings[i].at is not None else 1,
        0 if bookings[i].page is not None else 1 if bookings[i].section else 2,
        -rough_area(bookings[i]), i))
    for i in order:
        b = bookings[i]
        if b.id in refused:
            unplaced(b, *refused[b.id])
            continue
        kind = kind_of(b.size)
        position = b.position or ("ear" if kind == "ear" else "foot")
        # which pages it may go on
        if b.page is not None:
            if b.page not in pages:
                span = f"pages {numbers[0]}-{numbers[-1]}" if numbers else "no pages"
                unplaced(b, "page", f"page {b.page} is not in the edition ({span})")
                continue
            if b.section and pages[b.page].slot.section != b.section:
                unplaced(b, "section", f"page {b.page} is {pages[b.page].slot.section or 'no section'}, not {b.section!r}")
                continue
            cands = [pages[b.page]]
        elif b.section:
            cands = [p for n, p in sorted(pages.items()) if p.slot.section == b.section]
            if not cands:
                unplaced(b, "section", f"no page of section {b.section!r} in the edition"
                         + (f" (its sections: {', '.join(sections)})" if sections else ""))
                continue
        else:
            cands = [p for _, p in sorted(pages.items())]
        where_text = f"page {b.page}" if b.page is not None else f"section {b.section!r}" if b.section else "the edition"
        if not any(p.slot.ok for p in cands):
            unplaced(b, "page", f"{where_text} does not read (its build says why)")
            continue
        cands = [p for p in cands if p.slot.ok]
        if all(p.slot.free for p in cands):
            unplaced(b, "free", f"{where_text} is closed to ads (free)" if len(cands) == 1
                     else f"every page of {where_text} is closed to ads (free)")
            continue
        cands = [p for p in cands if not p.slot.free]
        if b.color == "colour" and all(p.slot.mono for p in cands):
            unplaced(b, "colour", f"{where_text} prints in black only (mono): the ad is in colour")
            continue
        if b.color == "colour":
            cands = [p for p in cands if not p.slot.mono]
        sized = []
        for p in cands:
            ears = ear_room(p.slot)
            ear = (max(e[1] for e in ears), max(e[3] for e in ears)) if ears else None
            dims = measure(b.size, p.slot.columns, p.slot.lines, ear)
            if dims is None:
                continue
            if position == "ear":
                if any(dims[0] <= e[1] and dims[1] <= e[3] for e in ears):
                    sized.append((p, dims))
            elif dims[0] <= p.slot.columns and dims[1] <= p.slot.lines:
                sized.append((p, dims))
        if not sized:
            if position == "ear" or kind == "ear":
                why = f"{where_text} has no masthead with room beside it for an ear" if not any(ear_room(p.slot) for p in cands) \
                    else f"{b.size} is larger than the ears of {where_text}"
            else:
                p = cands[0].slot
                dims = measure(b.size, p.columns, p.lines)
                why = (f"{b.size} ({dims[0]} columns x {dims[1]} lines) is larger than "
                       + (f"page {p.number}'s" if len(cands) == 1 else f"any page's of {where_text}")
                       + f" type area ({p.columns} columns x {p.lines} lines)")
            unplaced(b, "size", why)
            continue
        if b.category:
            def clash(p: _Page) -> tuple[str, int] | None:
                for q in (p.slot.number, facing(p.slot.number)):
                    other = pages.get(q)
                    if other is None:
                        continue
                    for aid, cat in other.categories.items():
                        if cat == b.category:
                            return aid, q
                return None

            free_of = [(p, d) for p, d in sized if clash(p) is None]
            if not free_of:
                aid, q = clash(sized[0][0])
                unplaced(b, "facing", f"ad {aid!r} of the same category ({b.category}) is on page {q}"
                         + (f", which page {sized[0][0].slot.number} faces" if q != sized[0][0].slot.number else "")
                         + ("" if len(sized) == 1 else f" (and on or facing every other page of {where_text})"))
                continue
            sized = free_of
        sized.sort(key=lambda pd: (pd[0].area / (pd[0].slot.columns * pd[0].slot.lines), pd[0].slot.number))
        done = None
        last_why = ""
        for p, (w, h) in sized:
            s = p.slot
            if b.at is not None:
                box = (b.at.column, w, b.at.line, h)
                if box[0] + w - 1 > s.columns or box[2] + h - 1 > s.lines:
                    last_why = (f"at column {b.at.column}, line {b.at.line} a {w} x {h} ad runs off page {s.number}'s "
                                f"type area ({s.columns} columns x {s.lines} lines)")
                    continue
                other = p.who(box)
                if other:
                    unplaced(b, "collision", f"its place on page {s.number} (column {b.at.column}, line {b.at.line}, "
                                             f"{w} x {h}) is taken by {other}")
                    done = "reported"
                    break
                p.fixed.append((b.id, box, "fixed"))
                done = Placement(id=b.id, page=s.number, frame=box, how="fixed")
                break
            if position == "ear":
                ears = ear_room(s)
                right = _outer_right(s, b.side)
                ears.sort(key=lambda e: (e[0] == 1) == right)  # the wished-for side first
                if b.side in ("left", "right"):
                    ears = ears[:1] if ((ears[0][0] == 1) != right) else []
                for e in ears:
                    if w > e[1] or h > e[3]:
                        continue
                    box = (e[0] if e[0] == 1 else s.columns - w + 1, w, e[2], h)
                    if not p.who(box):
                        p.fixed.append((b.id, box, "ear"))
                        done = Placement(id=b.id, page=s.number, frame=box, how="ear")
                        break
                    last_why = f"the {'left' if e[0] == 1 else 'right'} ear of page {s.number} is taken by {p.who(box)}"
                if done:
                    break
                if not last_why:
                    last_why = f"page {s.number} has no {b.side} ear"
                continue
            if kind == "full":
                if s.stories or p.fixed or p.stack or s.taken or s.masthead:
                    last_why = f"page {s.number} is not empty (a full-page ad needs a page of its own)"
                    continue
                box = (1, s.columns, 1, s.lines)
                p.fixed.append((b.id, box, "full"))
                done = Placement(id=b.id, page=s.number, frame=box, how="full")
                break
            frames = pack(p.stack + [(b.id, w, h)], s, p.obstacles(), p.limit())
            if frames is None:
                last_why = (f"no room on page {s.number}: stacked from the foot with the "
                            f"{len(p.stack)} other ad(s) there, a {w} x {h} ad "
                            + ("would take more than 3/4 of the page's height" if s.stories else "does not fit"))
                continue
            p.stack.append((b.id, w, h))
            p.frames = frames
            done = "stacked"
            break
        if done is None:
            if b.at is not None:
                unplaced(b, "collision", last_why)
            elif kind == "full" and len(sized) > 1:
                unplaced(b, "room", f"no page of {where_text} is free for it (a full-page ad needs a page with no stories "
                                    "and no other ad)")
            else:
                unplaced(b, "room", last_why if len(sized) == 1 else f"no room on any page of {where_text} (the last "
                                                                     f"tried: {last_why})")
            continue
        if done == "reported":
            continue
        page = pages[p.slot.number]
        page.categories[b.id] = b.category
    for n in numbers:
        p = pages[n]
        for aid, box, how in p.fixed:
            plan.placed.append(Placement(id=aid, page=n, frame=box, how=how))
        for aid, _, _ in p.stack:
            if aid in p.own:
                continue
            plan.placed.append(Placement(id=aid, page=n, frame=p.frames[aid], how="stack"))
    plan.unplaced.sort(key=lambda f: [b.id for b in bookings].index(f.ad))
    return plan

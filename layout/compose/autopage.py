"""``place: auto``: measure each article, let :mod:`layout.compose.autoplace` tile the page, and
return the frames it chose (:class:`AutoLayout`), which the build applies to the page's records
(:func:`placed`) before the frame checks and composition: the rest of the build sees an ordinary
hand-placed page. The report lists the frames, so the editor can copy them into content.yaml to
fine-tune them.

Articles on an automatic page are copyfitted (``fit: auto``) unless they say ``fit: off`` or jump
to another page: the layout is told how far copyfit can stretch or shrink each story (its text at
the tightest and loosest tracking — the same for Chinese text, which copyfit does not track —,
its photo's height range and a full-width photo), and :mod:`layout.compose.copyfit` then fills
each module at composition, its photo range measured from the picture's proportions as the
layout's is.
"""

from __future__ import annotations

from msgspec import Struct, field
from msgspec.structs import replace

from layout.compose.autoplace import AdBlock, Story, default_photo_columns, place
from layout.compose.copyfit import PHOTO_RANGE, tracking_bounds
from layout.compose.context import Context, Notes
from layout.errors import Problem, ProblemsError
from layout.model.content import Document, Frame, ModuleFrame, SectionHead
from layout.model.geometry import Grid
from layout.text.paragraphs import compose_paragraph
from layout.text.languages import conventions
from layout.text.normalize import normalize


#: the most stories ``place: auto`` lays out on one page (a front page has 10-20; 60 take about a
#: second; 200 took 15 s and 1,000 ran past five minutes before this limit)
MAX_STORIES = 60


class AutoLayout(Struct, frozen=True):
    """What the automatic layout chose: a frame per article and ad (by index on the page), the
    frame of each article's photo, which articles copyfit fills, and the layout's score."""

    articles: tuple[Frame, ...]
    photos: tuple[Frame | None, ...]
    ads: tuple[Frame, ...]
    fitted: tuple[bool, ...]
    score: int = 0
    fit: dict = field(default_factory=dict)  # story id -> lines over (+) or under (-) its module
    notes: list[str] = field(default_factory=list)

    def report(self) -> dict:
        return {"score": self.score, "fit": self.fit, "notes": list(self.notes)}


def _fits(art) -> bool:
    """Articles on an automatic page are copyfitted unless they say ``fit: off``, or jump to
    another page (copyfit leaves a story with ``jump_to`` alone: its jump line cuts it), so the
    layout counts on copyfit's range only for the stories copyfit will fit."""
    return art.fit != "off" and art.jump_to is None


def placed(doc: Document, placement: AutoLayout) -> Document:
    """The page's records with the layout's frames (and copyfit where it applies)."""
    arts = []
    for art, frame, photo, fitted in zip(doc.articles, placement.articles, placement.photos, placement.fitted):
        photos = list(art.photos)
        if photos and photo is not None:
            photos[0] = replace(photos[0], frame=photo)
        arts.append(replace(art, frame=ModuleFrame(column=frame.column, columns=frame.columns, line=frame.line,
                                                   lines=frame.lines),
                            photos=photos, fit="auto" if fitted else (art.fit or "off")))
    ads = [replace(ad, frame=f) for ad, f in zip(doc.ads, placement.ads)]
    return replace(doc, articles=arts, ads=ads)


def place_page(doc: Document, g: Grid, faces, picture_sizes: dict) -> AutoLayout:
    """The frames of a ``place: auto`` page (read without frames: ``validate(..., layout=False)``).
    Raises :class:`ProblemsError` (located at the page's data) when no layout is possible."""
    if len(doc.articles) > MAX_STORIES:  # (refused at once: the search grows far faster than the stories)
        raise ProblemsError([Problem(("articles",), f"place: auto lays out at most {MAX_STORIES} stories on a page; "
                                                    f"this page has {len(doc.articles):,}",
                                     hint="split the stories over more pages, or place them by hand (frames)",
                                     key=True, code="auto-too-many")])
    ctx = Context(doc=doc, grid=g, fonts=faces, notes=Notes())
    style = ctx.body_style()
    metrics = faces.metrics("body")
    from layout.compose.article import compose_headblock

    stories = []
    for ai, art in enumerate(doc.articles):
        if len(art.photos) > 1:
            raise ProblemsError([Problem(("articles", ai, "photos"), "place: auto sets one photo per article",
                                         hint="give the others frames by hand, on a manual page", code="auto-photos")])
        fitted = _fits(art)
        t_lo, t_hi = tracking_bounds(doc.typography.language) if fitted else (0.0, 0.0)
        counts = {}
        for t in dict.fromkeys((0.0, t_lo, t_hi)):
            pstyle = replace(style, tracking=style.tracking + t)
            lines = 0
            for block in art.body:
                if isinstance(block, SectionHead):
                    lines += 3
                    continue
                conv = conventions(doc.typography.language)
                text = (normalize(block, conv.quotes, marks=conv.normalize_marks, lang=doc.typography.language).text
                        if doc.typography.normalize else block)
                lines += len(compose_paragraph(text, g.column_width, pstyle, metrics))
            counts[t] = lines
        lines = counts[0.0]
        heads: dict[int, int] = {}

        def head_lines(w: int, art=art, heads=heads) -> int:
            if w not in heads:
                trial = replace(art, frame=Frame(column=1, columns=w, line=2, lines=g.lines - 1))
                heads[w] = compose_headblock(trial, ctx, [])
            return heads[w]

        photo = None
        if art.photos:
            p = art.photos[0]
            # upright (EXIF orientation applied), as copyfit and the engine read it
            w, h = picture_sizes.get(p.file, (3, 2))
            photo = (w / h if w > 0 and h > 0 else 1.5, p.reserved_lines)
        lo = art.min_columns or min(2, g.columns)
        hi = min(art.max_columns or g.columns, g.columns)
        flex = {}
        if fitted:
            # copyfit will adjust tracking and the photo's height: the layout may count on it
            # (docs/auto-layout.md, "Copyfit"); a photo may also take the story's full width
            rng = (min(counts.values()), max(counts.values()))
            flex = dict(text_range=(lambda w, r=rng: r), photo_range=PHOTO_RANGE,
                        photo_columns=lambda w: (default_photo_columns(w), w))
        stories.append(Story(id=art.id, priority=art.priority, min_columns=min(lo, hi), max_columns=hi,
                             text_lines=(lambda w, n=lines: n), head_lines=head_lines, photo=photo, **flex))
    # a front page's nameplate and the ads beside it (its ears) keep their frames: the layout
    # tiles the type area below them
    band = top_band(doc)
    if band and band >= g.lines:
        raise ProblemsError([Problem(("masthead", "frame"), "the masthead leaves no room for the automatic layout",
                                     code="auto")])
    fixed = [band and ad.frame.line + ad.frame.lines - 1 <= band for ad in doc.ads]
    ads = [AdBlock(id=ad.id or f"ad{di + 1}", columns=ad.frame.columns, lines=ad.frame.lines, side=ad.side,
                   column=ad.frame.column)
           for di, ad in enumerate(doc.ads) if not fixed[di]]
    try:
        result = place(stories, ads, g.columns, g.lines - band, column_width_lines=g.column_width / g.pitch,
                       gutter_lines=g.gutter / g.pitch)
    except ValueError as exc:
        raise ProblemsError([Problem(("place",), f"automatic layout impossible: {exc}", code="auto")]) from None

    def frame(box) -> Frame:
        c, cs, ln, ls = box
        return Frame(column=c, columns=cs, line=ln + band, lines=ls)

    return AutoLayout(
        articles=tuple(frame(result.frames[a.id]) for a in doc.articles),
        photos=tuple(frame(result.photos[a.id]) if a.photos and a.id in result.photos else None
                     for a in doc.articles),
        ads=tuple(ad.frame if fixed[di] else frame(result.frames[ad.id or f"ad{di + 1}"])
                  for di, ad in enumerate(doc.ads)),
        fitted=tuple(_fits(a) for a in doc.articles),
        score=result.score, fit=dict(result.fit), notes=list(result.notes))


def top_band(doc: Document) -> int:
    """Lines at the top of a ``place: auto`` page the layout leaves alone: those of a masthead
    that starts on line 1 (its ears beside it), else 0."""
    mh = doc.masthead
    if mh is None or mh.frame.line != 1:
        return 0
    return mh.frame.lines

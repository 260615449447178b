"""``place: auto``: measure each article, let :mod:`layout.compose.autoplace` tile the page, and
write the frames it chose into the page's data, so the rest of the build sees an ordinary
hand-placed page (and the editor can copy the frames into content.yaml to fine-tune them).

Articles on an automatic page are copyfitted (``fit: auto`` is written into their data unless
they say ``fit: off`` or jump to another page): the layout is told how far copyfit can stretch or
shrink each story (its text at the tightest and loosest tracking — the same for Chinese text,
which copyfit does not track —, its photo's height range and a full-width photo), and
:mod:`layout.compose.copyfit` then fills each module at composition, its photo range measured from
the picture's proportions as the layout's is.
"""

from __future__ import annotations

import copy
from pathlib import Path

from msgspec.structs import replace

from layout.compose.autoplace import AdBlock, Story, default_photo_columns, place
from layout.compose.copyfit import PHOTO_RANGE, tracking_bounds
from layout.compose.context import Context, Notes
from layout.errors import InputError
from layout.model.records import Frame, SectionHead
from layout.model.source import Source
from layout.text.paragraphs import compose_paragraph
from layout.text.languages import conventions
from layout.text.normalize import normalize


def _trial(source: Source, grid_columns: int = 8, grid_lines: int = 100) -> Source:
    """The page with provisional frames, so the model validates before anything is placed."""
    data = copy.deepcopy(source.data)
    for art in data.get("articles") or []:
        if isinstance(art, dict):
            art.setdefault("frame", {"column": 1, "columns": 1, "line": 1, "lines": 1})
            for ph in art.get("photos") or []:
                if isinstance(ph, dict):
                    ph.setdefault("frame", {"column": 1, "columns": 1, "line": 1, "lines": 1})
    trial = Source(file=source.file, text=source.text, data=data, values=source.values, keys=source.keys,
                   warnings=[])
    return trial


def _fits(data: dict, ai: int) -> bool:
    """Articles on an automatic page are copyfitted (``fit: auto``) unless they say ``fit: off``,
    or jump to another page (copyfit leaves a story with ``jump_to`` alone: its jump line cuts
    it), so the layout counts on copyfit's range only for the stories copyfit will fit."""
    art = (data.get("articles") or [])[ai]
    if not isinstance(art, dict):
        return True
    return art.get("fit") != "off" and art.get("jump_to") is None


def place_page(source: Source, faces, *, allow_outside: bool = False) -> dict | None:
    """Fill in the frames of a ``place: auto`` page (in ``source.data``); return what the layout
    reported (score and notes), or None for a hand-placed page."""
    from layout.model.validate import validate

    data = source.data
    if not isinstance(data, dict) or data.get("place") != "auto":
        return None
    v = validate(_trial(source), allow_outside=allow_outside, layout=False)
    doc, g = v.doc, v.grid
    ctx = Context(doc=doc, grid=g, fonts=faces, notes=Notes())
    style = ctx.body_style()
    metrics = faces.metrics("body")
    from layout.compose.article import compose_headblock

    stories = []
    for ai, art in enumerate(doc.articles):
        if len(art.photos) > 1:
            raise InputError([source.diagnostic(("articles", ai, "photos"), "place: auto sets one photo per article",
                                                hint="give the others frames by hand, on a manual page", code="auto-photos")])
        fitted = _fits(data, ai)
        t_lo, t_hi = tracking_bounds(doc.typography.language) if fitted else (0.0, 0.0)
        counts = {}
        for t in dict.fromkeys((0.0, t_lo, t_hi)):
            pstyle = replace(style, tracking=style.tracking + t)
            lines = 0
            for block in art.body:
                if isinstance(block, SectionHead):
                    lines += 3
                    continue
                text = normalize(block).text if conventions(doc.typography.language).normalize_marks else block
                lines += len(compose_paragraph(text, g.column_width, pstyle, metrics))
            counts[t] = lines
        lines = counts[0.0]
        heads: dict[int, int] = {}

        def head_lines(w: int, art=art, heads=heads) -> int:
            if w not in heads:
                trial = art.model_copy(update={"frame": Frame(column=1, columns=w, line=2, lines=g.lines - 1)})
                heads[w] = compose_headblock(trial, ctx, [])
            return heads[w]

        photo = None
        if art.photos:
            from layout import images

            p = art.photos[0]
            # upright (EXIF orientation applied), as copyfit and the engine read it
            w, h = images.upright_size(Path(source.folder) / p.file)
            photo = (w / h, p.reserved_lines)
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
    ads = [AdBlock(id=ad.id or f"ad{di + 1}", columns=ad.frame.columns, lines=ad.frame.lines)
           for di, ad in enumerate(doc.ads)]
    try:
        result = place(stories, ads, g.columns, g.lines, column_width_lines=g.column_width / g.pitch,
                       gutter_lines=g.gutter / g.pitch)
    except ValueError as exc:
        raise InputError([source.diagnostic(("place",), f"automatic layout impossible: {exc}", code="auto")]) from None
    for ai, art in enumerate(data.get("articles") or []):
        if _fits(data, ai):
            art["fit"] = "auto"  # an automatic page is copyfitted unless the editor says fit: off
        c, cs, ln, ls = result.frames[doc.articles[ai].id]
        art["frame"] = {"column": c, "columns": cs, "line": ln, "lines": ls}
        if art.get("photos"):
            c, cs, ln, ls = result.photos[doc.articles[ai].id]
            art["photos"][0]["frame"] = {"column": c, "columns": cs, "line": ln, "lines": ls}
    for di, ad in enumerate(data.get("ads") or []):
        c, cs, ln, ls = result.frames[doc.ads[di].id or f"ad{di + 1}"]
        ad["frame"] = {"column": c, "columns": cs, "line": ln, "lines": ls}
    return {"score": result.score, "fit": result.fit, "notes": list(result.notes)}

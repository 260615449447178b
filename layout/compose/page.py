"""Composing one page: folio, articles (with their photos), ads. The result is a display list.

Composition is a pure function of records: the page (``Document``) and its grid, the fonts'
metrics, the pictures' sizes and the text continued from other pages go in; the display list
and what composition noticed (``Notes``) come out. It reads no file, prepares no picture and
draws nothing: the build does those before and after (``layout.build``).
"""

from __future__ import annotations

from layout.compose.ad import compose_ad
from layout.compose.article import compose_article
from layout.compose.context import Context, Fonts, Notes
from layout.compose.folio import compose_folio
from layout.compose.masthead import compose_masthead
from layout.display import Page
from layout.model.content import Document
from layout.model.frames import overlap
from layout.model.geometry import Grid


def compose_page(doc: Document, grid: Grid, fonts: Fonts, *, picture_sizes: dict | None = None,
                 continuations: dict | None = None, name: str = "") -> tuple[Page, Notes]:
    """The page's display list and what composition noticed. ``picture_sizes`` holds each
    picture file's upright size in pixels (engine-placed photos and copyfit follow the
    picture's proportions); ``continuations`` holds, for an article continued from another
    page, the blocks that did not fit there."""
    notes = Notes()
    ctx = Context(doc=doc, grid=grid, fonts=fonts, notes=notes, picture_sizes=picture_sizes or {},
                  continuations=continuations or {})
    g = grid
    page = Page(width=g.width, height=g.height, bleed=g.bleed, slug=g.slug, name=name)
    parts = _Parts(ctx)
    page.extend(parts.get(("folio",), compose_folio))
    page.extend(parts.get(("masthead",), compose_masthead))
    # ads first in the painting order (backgrounds), articles flow around ads inside their frames
    ad_items = []
    for i, ad in enumerate(doc.ads):
        ad_items.extend(parts.get(("ad", i, ad), lambda c, ad=ad: compose_ad(ad, c)))
    for i, art in enumerate(doc.articles):
        obstacles = [ad.frame for ad in doc.ads if overlap(ad.frame, art.frame)]
        # fit: auto articles are copyfitted (layout.compose.copyfit), the others set as written
        if art.fit == "auto":
            from layout.compose.copyfit import compose_fitted  # only pages that copyfit load it

            make = lambda c, art=art, obstacles=obstacles: compose_fitted(art, c, obstacles)  # noqa: E731
        else:
            make = lambda c, art=art, obstacles=obstacles: compose_article(art, c, obstacles)  # noqa: E731
        files = [pic.file for ph in art.photos for pic in ph.pictures]
        page.extend(parts.get(("article", i, art, obstacles, {f: ctx.picture_sizes.get(f) for f in files},
                               ctx.continuations.get(art.id)), make))
    page.extend(ad_items)
    return page, notes


#: parts of pages composed in this process (see _Parts): key -> (items, notes)
_PARTS: dict = {}
#: how many parts are remembered (a page has a few dozen; `serve` may hold an edition)
PARTS_LIMIT = 2048


class _Parts:
    """The folio, the masthead, each ad and each article of a page, each composed once per
    everything it depends on: its own record and place, the page's settings (the document less
    its articles and ads), the grid and the fonts. A rebuild after an edit (``watch``, ``serve``)
    composes again only the story that changed; the others' display items and what composing
    them noticed (findings, audit counts, rests, photo frames) are handed out again, as the
    paragraph memo hands out lines. Fonts without an identity (test doubles) are never memoised."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        fonts = getattr(ctx.fonts, "identity", None)
        self.common = None
        if isinstance(fonts, str):
            from msgspec.structs import replace

            doc = replace(ctx.doc, articles=[], ads=[])
            self.common = (doc, ctx.grid, dict(ctx.body), fonts)

    def get(self, what: tuple, make) -> list:
        ctx = self.ctx
        if self.common is None:
            return make(ctx)
        key = _digest((what, self.common))
        hit = _PARTS.get(key) if key is not None else None
        if hit is None:
            from msgspec.structs import replace

            sub = replace(ctx, notes=Notes())
            hit = (tuple(make(sub)), sub.notes)
            if key is not None:
                if len(_PARTS) >= PARTS_LIMIT:
                    _PARTS.pop(next(iter(_PARTS)))
                _PARTS[key] = hit
        items, part = hit
        _merge(ctx.notes, part)
        return list(items)


def _merge(notes: Notes, part: Notes) -> None:
    """What composing one part noticed, added to the page's notes as composing it there would
    have added it (a notice or a normalised mark once; the same photo-fit error once)."""
    from msgspec.structs import asdict

    from layout.findings import Normalized, Notice

    for f in part.findings:
        if isinstance(f, (Notice, Normalized)):
            notes.once(f)
        else:
            notes.findings.append(f)
    for e in part.errors:
        if not (e.code == "photo-fit" and any(x.message == e.message for x in notes.errors)):
            notes.errors.append(e)
    notes.text_audit.add(asdict(part.text_audit))
    notes.rest.update(part.rest)
    notes.photo_frames.update(part.photo_frames)


_ENCODER = None


def _encode_other(v):
    if isinstance(v, float):
        return ("float", float(v))
    if isinstance(v, (set, frozenset)):
        return ("set", sorted(map(repr, v)))
    return (type(v).__name__, repr(v))


def _digest(value) -> bytes | None:
    """A digest of ``value`` (records, numbers, text, paths), or None when it holds something
    that cannot be encoded faithfully."""
    global _ENCODER
    import hashlib

    if _ENCODER is None:
        from msgspec.msgpack import Encoder

        _ENCODER = Encoder(enc_hook=_encode_other)
    try:
        return hashlib.sha1(_ENCODER.encode(value)).digest()
    except (TypeError, ValueError, OverflowError):
        return None
